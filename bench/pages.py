"""The public pages, timed in-process beside a bare view with the same bytes, and the map page's weight."""

import gzip
import math
import random
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bench.timing import WARMUP, N, get, summary, url_series
from bench.urls import BARE
from kiezwerk.concerns.models import Concern
from kiezwerk.concerns.views import PAGE_SIZE

TARGET_RATIO = 5  # public list and concern page: p95 ≤ 5× the bare view's
WEIGHT_TARGET_KB = 150  # the map page without tiles, gzip-compressed
GZIP_LEVEL = 6  # to estimate what the web server sends when the response is not compressed already
KB = 1024


def map_data_url(district):
    """The map data of the default viewport (the district's bbox at zoom 15), or None while the endpoint is missing."""
    try:
        base = reverse("concerns:map-data", args=[district.slug])
    except NoReverseMatch:
        return None
    bbox = ",".join(str(value) for value in (district.min_lon, district.min_lat, district.max_lon, district.max_lat))
    return f"{base}?bbox={bbox}&zoom=15"


def concern_urls(district, count):
    public = list(Concern.objects.public().filter(district=district).values_list("pk", flat=True))
    chosen = random.Random(2).sample(public, min(len(public), count))
    return [reverse("concerns:concern-detail", args=[pk]) for pk in chosen]


def deep_list_page(district):
    """Page 50 of the public list, or its last page where there are fewer."""
    return min(50, max(1, math.ceil(Concern.objects.public().filter(district=district).count() / PAGE_SIZE)))


def cases(district):
    """(name, key of the bare view, urls, judged against the bare view) per page; a note for a page left out."""
    slug = district.slug
    listing = reverse("concerns:concern-list", args=[slug])
    deep = deep_list_page(district)
    pages = [
        ("home", "home", ["/"], False),
        ("map page", "map-page", [reverse("concerns:district-map", args=[slug])], False),
    ]
    notes = []
    if url := map_data_url(district):
        pages.append(("map data", "map-data", [url], False))
    else:
        notes.append("map data: skipped, the endpoint concerns:map-data is not in this branch yet")
    pages += [
        ("open-data GeoJSON", "geojson", [reverse("concerns:open-data-geojson", args=[slug])], False),
        ("list page", "list-page", [listing], True),
        ("list filtered", "list-filtered", [f"{listing}?status=resolved&period=365"], True),
        (f"list page {deep}", "list-deep", [f"{listing}?page={deep}"], True),
        # Each concern once: the page rendered afresh (the first visitor after a change in the district).
        ("concern page, first view", "concern-page", concern_urls(district, WARMUP + N), True),
        # Ten concerns viewed again and again, as popular ones are: the shared page (core.pagecache).
        ("concern page, shared", "concern-shared", concern_urls(district, 10), True),
    ]
    return pages, notes


def measure(district):
    client = Client()
    pages, notes = cases(district)
    rows = []
    for name, key, urls, judged in pages:
        response = get(client, urls[0])
        BARE[key] = (response.body, response["Content-Type"])
        with CaptureQueriesContext(connection) as queries:
            get(client, urls[0])
        row = {"name": name, "url": urls[0], "bytes": len(response.body), "queries": len(queries)}
        page, bare = summary(url_series(client, urls)), summary(url_series(client, [f"/bench/bare/{key}/"]))
        ratio = round(page["p95"] / bare["p95"], 1)
        row |= page | {"bare_p50": bare["p50"], "bare_p95": bare["p95"], "ratio_p95": ratio}
        if judged:
            row["pass"] = page["p95"] <= TARGET_RATIO * bare["p95"]
        rows.append(row)
    return {"rows": rows, "notes": notes, "weight": map_page_weight(client, district)}


class _Assets(HTMLParser):
    """The stylesheets and scripts a page references, in order."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split() and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])


def _compressed(body, encoding=""):
    return len(body) if encoding == "gzip" else len(gzip.compress(body, compresslevel=GZIP_LEVEL))


def _asset(client, url):
    """(bytes, gzip-compressed bytes) of a static file: read through the finders, as collectstatic would copy it."""
    path = urlsplit(url).path
    if path.startswith(settings.STATIC_URL) and (found := finders.find(path.removeprefix(settings.STATIC_URL))):
        with open(found, "rb") as file:
            body = file.read()
        return len(body), _compressed(body)
    response = get(client, url, accept_encoding="gzip")
    return len(response.body), _compressed(response.body, response.get("Content-Encoding", ""))


def map_page_weight(client, district):
    """What a browser transfers for the map page without tiles: HTML, its CSS and JS, the default map data."""
    url = reverse("concerns:district-map", args=[district.slug])
    html = get(client, url, accept_encoding="gzip")
    packed = _compressed(html.body, html.get("Content-Encoding", ""))
    items = [{"what": "HTML", "url": url, "bytes": len(html.body), "gzip": packed}]
    parser = _Assets()
    parser.feed((gzip.decompress(html.body) if html.get("Content-Encoding") == "gzip" else html.body).decode())
    for asset in parser.urls:
        raw, packed = _asset(client, asset)
        items.append({"what": "CSS" if asset.endswith(".css") else "JS", "url": asset, "bytes": raw, "gzip": packed})
    data_url = map_data_url(district)
    if data_url:
        data = get(client, data_url, accept_encoding="gzip")
        packed = _compressed(data.body, data.get("Content-Encoding", ""))
        items.append({"what": "map data", "url": data_url, "bytes": len(data.body), "gzip": packed})
    total = sum(item["gzip"] for item in items)
    # Without the map data the weight is incomplete: judged only if it fails already.
    verdict = total < WEIGHT_TARGET_KB * KB if data_url else (False if total >= WEIGHT_TARGET_KB * KB else None)
    return {"items": items, "gzip_total": total, "complete": bool(data_url), "pass": verdict}


def report(result):
    print()
    print(f"Public pages, in-process, each beside the bare view with its bytes; N={N} requests after {WARMUP} warm-up")
    header = ("page", "p50 ms", "p95 ms", "bare p50", "bare p95", "p95/bare", "queries", "KB", f"≤ {TARGET_RATIO}×")
    print(f"{header[0]:<26}" + "".join(f"{h:>10}" for h in header[1:]))
    for r in result["rows"]:
        verdict = ("PASS" if r["pass"] else "FAIL") if "pass" in r else ""
        values = (r["p50"], r["p95"], r["bare_p50"], r["bare_p95"], f"{r['ratio_p95']}×", r["queries"])
        print(f"{r['name']:<26}" + "".join(f"{v:>10}" for v in values) + f"{r['bytes'] / KB:>10.0f}{verdict:>10}")
    for note in result["notes"]:
        print(note)
    judged = [r for r in result["rows"] if "pass" in r]
    failed = [r["name"] for r in judged if not r["pass"]]
    verdict = f"FAIL ({', '.join(failed)})" if failed else "PASS"
    print(f"list and concern page p95 ≤ {TARGET_RATIO}× bare: {verdict}")
    weight = result["weight"]
    print()
    print(f"Map page weight without tiles (gzip, level {GZIP_LEVEL} where the response is not compressed):")
    for item in weight["items"]:
        print(f"  {item['what']:<9}{item['bytes'] / KB:>8.1f} KB{item['gzip'] / KB:>8.1f} KB gzip  {item['url']}")
    verdict = {True: "PASS", False: "FAIL", None: "not judged"}[weight["pass"]]
    missing = "" if weight["complete"] else " without the map data (the endpoint is missing)"
    print(f"map page weight {weight['gzip_total'] / KB:.1f} KB{missing} < {WEIGHT_TARGET_KB} KB: {verdict}")
