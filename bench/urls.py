"""The project's URLs plus a "bare" view: the same bytes from memory, through the same middleware."""

import json
from pathlib import Path

from django.http import Http404, HttpResponse
from django.urls import include, path

# key -> (content, content type): filled in-process by the pages case, or (in the load profile's gunicorn)
# read once from bench/var/bare/<key>, written by the benchmark from one real response of the server.
BARE = {}
BARE_FILES = Path(__file__).resolve().parent / "var" / "bare"


def bare_write(key, content, content_type):
    BARE_FILES.mkdir(parents=True, exist_ok=True)
    (BARE_FILES / key).write_bytes(content)
    (BARE_FILES / f"{key}.json").write_text(json.dumps({"content_type": content_type}))


def bare(request, key):
    if key not in BARE:
        try:
            meta = json.loads((BARE_FILES / f"{key}.json").read_text())
        except FileNotFoundError:
            raise Http404 from None
        BARE[key] = ((BARE_FILES / key).read_bytes(), meta["content_type"])
    content, content_type = BARE[key]
    return HttpResponse(content, content_type=content_type)


urlpatterns = [
    path("bench/bare/<slug:key>/", bare),
    path("", include("kiezwerk.urls")),
]
