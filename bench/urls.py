"""The project's URLs plus a "bare" view: the same bytes from memory, through the same middleware."""

from django.http import HttpResponse
from django.urls import include, path

# key -> (content, content type), filled by the benchmark with one real response of each page.
BARE = {}


def bare(request, key):
    content, content_type = BARE[key]
    return HttpResponse(content, content_type=content_type)


urlpatterns = [
    path("bench/bare/<int:key>/", bare),
    path("", include("kiezwerk.urls")),
]
