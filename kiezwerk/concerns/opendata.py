"""The open-data files of a district: its public concerns as GeoJSON and CSV (licence dl-de/by-2-0).

Built by a task after a change, never on a visitor's request: `core.services.district_touch` calls
`build_soon` once the change commits, and the task builds only when the files are older than the
district's `data_version`, so a burst of changes builds once. Each build writes new files to the
default storage (`open-data/<slug>/concerns-<version>-<token>.geojson` and `.csv`); only when both
are complete does the district's record (`District.open_data_*`) switch to them, so a visitor gets
the old files or the new ones, never half of one. The files the record named before stay for
downloads that started then; older ones are deleted.
"""

import json
import re
import secrets
import tempfile

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone, translation

from kiezwerk.core.csv import csv_lines
from kiezwerk.core.models import District
from kiezwerk.core.services import district_touch_hook

from . import selectors

FOLDER = "open-data"
SUFFIXES = (".geojson", ".csv")
# What a view needs of the district to serve the files.
RECORD = ("pk", "slug", "open_data_version", "open_data_built_at", "open_data_name")
_FILE = re.compile(r"concerns-(\d+)-[0-9a-f]+\.(geojson|csv)")
# A build queued and not yet started; it outlives a lost task message only this long.
_QUEUED_SECONDS = 600


def build(district_id, *, force=False):
    """Write the district's files if they are older than its data or missing (with `force`: always).

    Returns True when it built. A build that fails leaves the record and the files served so far alone.
    """
    fields = ("slug", "data_version", "open_data_version", "open_data_name")
    district = District.objects.only(*fields).filter(pk=district_id).first()
    if district is None:  # deleted since the build was queued
        return False
    version = district.data_version
    if not force and district.open_data_version == version and _files_exist(district.open_data_name):
        return False
    name = f"{FOLDER}/{district.slug}/concerns-{version}-{secrets.token_hex(6)}"
    built_at = timezone.now()
    try:
        with translation.override(settings.LANGUAGE_CODE):
            for suffix, write in ((".geojson", _write_geojson), (".csv", _write_csv)):
                with tempfile.TemporaryFile() as temp:
                    write(district, temp)
                    temp.seek(0)
                    default_storage.save(name + suffix, File(temp))
        # Replace an older build, or the one this build started from (forced, or its files gone); a build of
        # the same or newer data that finished meanwhile stays.
        replaceable = Q(open_data_version=None) | Q(open_data_version__lt=version)
        switched = District.objects.filter(
            replaceable | Q(open_data_name=district.open_data_name), pk=district_id
        ).update(open_data_version=version, open_data_built_at=built_at, open_data_name=name)
    except BaseException:
        _delete(name)
        raise
    if not switched:
        _delete(name)
        return False
    _prune(district.slug, version=version, keep={name, district.open_data_name})
    return True


def build_all(*, force=False):
    """Build every district's files that are out of date. Returns the names of the districts built."""
    return [
        district.name
        for district in District.objects.only("pk", "name").order_by("name")
        if build(district.pk, force=force)
    ]


@district_touch_hook
def build_soon(district_id):
    """Queue a build in OPEN_DATA_BUILD_DELAY seconds unless one is waiting already.

    Called after the commit of every change to the district's public data. Without a worker (Celery
    eager) the build runs here and now (a transaction of many changes: the first builds, the rest skip).
    """
    from . import tasks

    if not _worker():
        build(district_id)
    elif cache.add(_queued_key(district_id), True, timeout=_QUEUED_SECONDS):
        tasks.open_data_build_task.apply_async(args=[district_id], countdown=settings.OPEN_DATA_BUILD_DELAY)


def build_queued(district_id):
    """The queued build (the task): changes from now on queue the next one, this one reads the data after them."""
    cache.delete(_queued_key(district_id))
    return build(district_id)


def build_requested(district_id):
    """A visitor found no files: queue a build, never run one in the request.

    Without a worker (Celery eager) nothing is queued, as the build would run in the visitor's request;
    there every change builds right after its commit, and `manage.py open_data_build` builds the rest.
    """
    if _worker():
        build_soon(district_id)


def file_open(district, suffix):
    """The district's built file with this suffix, open for reading; None when it is gone."""
    try:
        return default_storage.open(district.open_data_name + suffix, "rb")
    except FileNotFoundError:
        return None


def etag(district):
    """The built files' ETag: their version and the token that tells builds apart."""
    return '"' + district.open_data_name.rsplit("/concerns-", 1)[1] + '"'


def _write_geojson(district, out):
    licence, licence_url = settings.OPEN_DATA_LICENCE
    head = {
        "type": "FeatureCollection",
        "name": f"kiezwerk-{district.slug}-concerns",
        "licence": licence,
        "licence_url": licence_url,
        "attribution": f"{settings.OPERATOR_NAME}, Kiezwerk",
    }
    out.write(_json(head)[:-1] + b',"features":[')
    for number, feature in enumerate(selectors.concern_geojson_features(district=district)):
        out.write(b"," + _json(feature) if number else _json(feature))
    out.write(b"]}")


def _write_csv(district, out):
    for line in csv_lines(selectors.concern_csv_rows(district=district)):
        out.write(line.encode())


def _json(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _files_exist(name):
    return bool(name) and all(default_storage.exists(name + suffix) for suffix in SUFFIXES)


def _prune(slug, *, version, keep):
    """Delete the district's files up to `version` but those named in `keep` (newer ones may be being written)."""
    folder = f"{FOLDER}/{slug}"
    for filename in default_storage.listdir(folder)[1]:
        match = _FILE.fullmatch(filename)
        if match and int(match[1]) <= version and f"{folder}/{filename.rsplit('.', 1)[0]}" not in keep:
            default_storage.delete(f"{folder}/{filename}")


def _delete(name):
    for suffix in SUFFIXES:
        default_storage.delete(name + suffix)


def _worker():
    """Whether tasks go to a worker (else Celery runs them inline, as without REDIS_URL)."""
    from . import tasks

    return not tasks.open_data_build_task.app.conf.task_always_eager


def _queued_key(district_id):
    return f"open-data-queued:{district_id}"
