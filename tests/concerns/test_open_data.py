"""Open data: files built by a task after a change, served from storage, never built by a visitor's request."""

import csv
import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from kiezwerk.concerns import opendata, selectors, services, tasks
from kiezwerk.concerns.models import Moderation
from kiezwerk.core.models import District
from kiezwerk.core.services import district_touch

from ..factories import CategoryFactory, ConcernFactory, concern_reported


def geojson_url(district):
    return reverse("concerns:open-data-geojson", args=[district.slug])


def csv_url(district):
    return reverse("concerns:open-data-csv", args=[district.slug])


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def titles(client, district):
    response = client.get(geojson_url(district))
    assert response.status_code == 200
    return {feature["properties"]["title"] for feature in json.loads(body(response))["features"]}


def csv_titles(client, district):
    rows = csv.DictReader(io.StringIO(body(client.get(csv_url(district))).decode()))
    return {row["title"] for row in rows}


def stored(district):
    """The district's files in the storage, sorted."""
    return sorted(default_storage.listdir(f"open-data/{district.slug}")[1])


@pytest.fixture
def worker(monkeypatch):
    """Celery with a worker: tasks go to the (in-memory) broker instead of running inline. Yields the queue."""
    app = tasks.open_data_build_task.app
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue("celery")
        queue.clear()
        yield queue
        queue.clear()


def test_a_change_rebuilds_the_files_after_its_commit_and_the_old_ones_are_served_until_then(
    client, district, category, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    ConcernFactory(district=district, category=category, title="Eins")
    assert opendata.build(district.pk)
    old_etag = client.get(geojson_url(district))["ETag"]
    with django_capture_on_commit_callbacks() as callbacks:
        concern_reported(district, category, title="Zwei")
    # Committed, the build not run yet: visitors get the old files, and their request builds nothing.
    for url in (geojson_url(district), csv_url(district)):
        with django_assert_max_num_queries(1):
            response = client.get(url)
            content = body(response)
        assert response.status_code == 200 and response["ETag"] == old_etag
        assert "Eins" in content.decode() and "Zwei" not in content.decode()
    for callback in callbacks:
        callback()
    assert titles(client, district) == csv_titles(client, district) == {"Eins", "Zwei"}
    assert client.get(geojson_url(district))["ETag"] != old_etag
    district.refresh_from_db()
    assert district.open_data_version == district.data_version


def test_without_files_it_answers_503_and_builds_nothing_in_the_request(
    client, district, category, django_assert_max_num_queries
):
    ConcernFactory(district=district, category=category, title="Eins")
    for url in (geojson_url(district), csv_url(district)):
        with django_assert_max_num_queries(1):
            response = client.get(url)
        assert response.status_code == 503 and response["Retry-After"] == "60"
        assert response["Cache-Control"] == "no-store" and response["Access-Control-Allow-Origin"] == "*"
        assert "Die offenen Daten dieses Quartiers werden gerade erstellt" in response.content.decode()
    english = client.get(geojson_url(district), HTTP_ACCEPT_LANGUAGE="en")
    assert "are being prepared" in english.content.decode()
    # Without a worker nothing is queued (it would run in the request): changes and the command build.
    district.refresh_from_db()
    assert district.open_data_name is None and not default_storage.exists(f"open-data/{district.slug}")
    call_command("open_data_build", district.slug, stdout=io.StringIO())
    assert titles(client, district) == {"Eins"}


def test_without_files_visitors_queue_one_build_for_the_worker(client, district, category, worker):
    ConcernFactory(district=district, category=category, title="Eins")
    for _ in range(3):
        assert client.get(geojson_url(district)).status_code == 503
    assert client.get(csv_url(district)).status_code == 503
    assert worker.qsize() == 1  # one build waits, however many visitors asked
    message = worker.get(timeout=1)
    assert message.headers["task"] == tasks.open_data_build_task.name and message.headers["eta"]
    args, _kwargs, _embed = message.payload
    message.ack()
    assert not default_storage.exists(f"open-data/{district.slug}")
    tasks.open_data_build_task(*args)  # what the worker does with it
    assert titles(client, district) == {"Eins"}


def test_changes_queue_one_build_for_the_worker(district, category, django_capture_on_commit_callbacks, worker):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(5):
            concern_reported(district, category, title=f"Nummer {number}")
    assert worker.qsize() == 1
    message = worker.get(timeout=1)
    message.ack()
    tasks.open_data_build_task(*message.payload[0])
    # The next change, after the queued build started, queues the next build.
    with django_capture_on_commit_callbacks(execute=True):
        concern_reported(district, category, title="Danach")
    assert worker.qsize() == 1


def test_a_burst_of_changes_builds_once(client, district, category, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        for number in range(5):
            concern_reported(district, category, title=f"Nummer {number}")
    hooks = [callback for callback in callbacks if getattr(callback, "func", None) is opendata.build_soon]
    assert len(hooks) == 5
    for callback in callbacks:
        callback()
    assert len(stored(district)) == 2  # one GeoJSON, one CSV: built once
    assert titles(client, district) == {f"Nummer {number}" for number in range(5)}
    assert not opendata.build(district.pk)  # up to date: skipped


def test_conditional_requests_and_headers(client, district, category):
    ConcernFactory(district=district, category=category, title="Eins")
    opendata.build(district.pk)
    for url in (geojson_url(district), csv_url(district)):
        response = client.get(url)
        assert response["Cache-Control"] == "public, max-age=300"
        assert response["Access-Control-Allow-Origin"] == "*" and response["Last-Modified"].endswith(" GMT")
        etag = response["ETag"]
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert not_modified.status_code == 304 and not_modified["ETag"] == etag
        assert not_modified["Cache-Control"] == "public, max-age=300" and not not_modified.content
        assert client.get(url, HTTP_IF_NONE_MATCH='"0-abc"').status_code == 200
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    geojson = client.get(geojson_url(district))
    assert geojson["Content-Type"] == "application/geo+json"
    assert geojson["Content-Disposition"] == f'inline; filename="kiezwerk-{district.slug}-concerns.geojson"'


def test_geojson_is_valid_licensed_and_without_personal_data(client, district, category):
    ConcernFactory(district=district, category=category, title="Eins", reporter_email="erika@example.org")
    opendata.build(district.pk)
    data = json.loads(body(client.get(geojson_url(district))))
    assert data["type"] == "FeatureCollection" and data["name"] == f"kiezwerk-{district.slug}-concerns"
    assert data["licence"] == "dl-de/by-2-0" and data["licence_url"].startswith("https://")
    assert data["attribution"].endswith(", Kiezwerk")
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "Point" and feature["id"] == feature["properties"]["id"]
    assert set(feature["properties"]) == set(selectors.CSV_FIELDS) - {"lat", "lon"}
    assert b"erika@" not in body(client.get(geojson_url(district))) + body(client.get(csv_url(district)))


def test_csv_header_licence_and_download_name(client, district, category):
    ConcernFactory(district=district, category=category, title='Komma, "Zitat" und Ümlaut')
    ConcernFactory(district=district, category=category, title='=HYPERLINK("http://x")')
    opendata.build(district.pk)
    response = client.get(csv_url(district))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="kiezwerk-{district.slug}-concerns.csv"'
    assert response["Link"] == '<https://www.govdata.de/dl-de/by-2-0>; rel="license"; title="dl-de/by-2-0"'
    text = body(response).decode()
    assert text.startswith(",".join(selectors.CSV_FIELDS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["title"] for row in rows} == {'Komma, "Zitat" und Ümlaut', '\'=HYPERLINK("http://x")'}
    assert "reporter_email" not in rows[0]


def test_files_are_german_whatever_language_the_change_came_in(client, district):
    category = CategoryFactory(district=district, name_de="Wilder Müll", name_en="Fly-tipping")
    ConcernFactory(district=district, category=category, title="Eins")
    with translation.override("en"):
        opendata.build(district.pk)
    (feature,) = json.loads(body(client.get(geojson_url(district), HTTP_ACCEPT_LANGUAGE="en")))["features"]
    assert feature["properties"]["category"] == "Wilder Müll" and feature["properties"]["status_label"] == "Neu"


def test_non_public_concerns_never_appear(client, district, category, sensitive_category, moderator):
    ConcernFactory(district=district, category=category, title="Öffentlich")
    pending = ConcernFactory(district=district, category=sensitive_category, title="Wartet", moderation="pending")
    ConcernFactory(district=district, category=sensitive_category, title="Abgelehnt", moderation="rejected")
    opendata.build(district.pk)
    assert titles(client, district) == csv_titles(client, district) == {"Öffentlich"}
    services.concern_review(concern=pending, actor=moderator, publish=True)
    opendata.build(district.pk)
    assert titles(client, district) == csv_titles(client, district) == {"Öffentlich", "Wartet"}
    pending.refresh_from_db()
    assert pending.moderation == Moderation.APPROVED


def test_a_failed_build_leaves_the_old_files_served(client, district, category, monkeypatch):
    ConcernFactory(district=district, category=category, title="Eins")
    opendata.build(district.pk)
    before = stored(district)
    record = District.objects.values("open_data_version", "open_data_name").get(pk=district.pk)
    ConcernFactory(district=district, category=category, title="Zwei")
    district_touch(district=district)
    rows = selectors.concern_csv_rows

    def failing(*, district):
        for number, row in enumerate(rows(district=district)):
            if number == 2:
                raise RuntimeError("the database went away")
            yield row

    monkeypatch.setattr(selectors, "concern_csv_rows", failing)  # the GeoJSON is written, the CSV fails midway
    with pytest.raises(RuntimeError):
        opendata.build(district.pk)
    assert District.objects.values("open_data_version", "open_data_name").get(pk=district.pk) == record
    assert stored(district) == before  # the new GeoJSON is gone again
    assert titles(client, district) == csv_titles(client, district) == {"Eins"}
    monkeypatch.undo()
    assert opendata.build(district.pk)
    assert titles(client, district) == csv_titles(client, district) == {"Eins", "Zwei"}


def test_older_files_are_deleted_the_previous_ones_kept(client, district, category):
    names = []
    for title in ("Eins", "Zwei", "Drei"):
        ConcernFactory(district=district, category=category, title=title)
        district_touch(district=district)
        opendata.build(district.pk)
        district.refresh_from_db()
        names.append(district.open_data_name.rsplit("/", 1)[1])
    # The previous build's files stay for downloads that started before the switch.
    assert stored(district) == sorted(name + suffix for name in names[1:] for suffix in (".csv", ".geojson"))
    for _ in range(2):  # forced builds of the same data replace each other too
        assert opendata.build(district.pk, force=True)
        district.refresh_from_db()
        names.append(district.open_data_name.rsplit("/", 1)[1])
    assert stored(district) == sorted(name + suffix for name in names[-2:] for suffix in (".csv", ".geojson"))
    assert titles(client, district) == {"Eins", "Zwei", "Drei"}


def test_a_build_of_older_data_finishing_last_does_not_replace_newer_files(client, district, category, monkeypatch):
    ConcernFactory(district=district, category=category, title="Eins")
    write = opendata._write_csv

    def newer_data_arrives_meanwhile(district_, out):
        # While this build writes, a change and its build finish.
        monkeypatch.setattr(opendata, "_write_csv", write)
        ConcernFactory(district=district, category=category, title="Zwei")
        district_touch(district=district)
        assert opendata.build(district.pk)
        write(district_, out)

    monkeypatch.setattr(opendata, "_write_csv", newer_data_arrives_meanwhile)
    assert not opendata.build(district.pk, force=True)
    assert titles(client, district) == csv_titles(client, district) == {"Eins", "Zwei"}
    assert len(stored(district)) == 2  # the older build's files are gone again


def test_missing_files_are_built_again(client, district, category):
    """A restored backup whose files are older than its database: 503, and the next build writes them."""
    ConcernFactory(district=district, category=category, title="Eins")
    opendata.build(district.pk)
    for name in stored(district):
        default_storage.delete(f"open-data/{district.slug}/{name}")
    assert client.get(geojson_url(district)).status_code == 503
    assert opendata.build(district.pk)
    assert titles(client, district) == {"Eins"}


def test_the_command_builds_what_is_out_of_date(district, other_district, category):
    out = io.StringIO()
    call_command("open_data_build", stdout=out)
    assert "Testviertel: built" in out.getvalue() and "Nachbarviertel: built" in out.getvalue()
    out = io.StringIO()
    call_command("open_data_build", district.slug, stdout=out)
    district.refresh_from_db()
    assert out.getvalue().strip() == f"Testviertel: up to date (data version {district.data_version})."
    call_command("open_data_build", district.slug, "--force", stdout=out)
    assert "Testviertel: built" in out.getvalue()
    with pytest.raises(CommandError, match="gibt-es-nicht"):
        call_command("open_data_build", district.slug, "gibt-es-nicht")
    assert tasks.open_data_build_all_task() == []  # the periodic task: nothing to do
    assert tasks.open_data_build_task(other_district.pk + 1000) is False  # a district deleted since: nothing
