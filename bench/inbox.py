"""The manager's triage inbox: the real view (logged in as the district's manager) and the selector alone."""

import math
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bench import data
from bench.timing import get, series, summary
from kiezwerk.accounts.models import User
from kiezwerk.concerns.models import Category, Concern
from kiezwerk.concerns.search import concern_search
from kiezwerk.desk import selectors

PAGE_SIZE = 25  # as the view's
TARGET_MS = {"postgresql": 100, "sqlite": 200}  # p95 of the view, on 2 cores
SEARCH_ONE = "schlag"  # a prefix: Schlagloch, Schlaglöcher, Schlag
SEARCH_TWO = "Straße Kinder"


def cases(district):
    """(name, GET parameters, keyword arguments of selectors.inbox, page)."""
    group = Category.objects.get(district=district, slug="g1")  # "Straße" and its three children
    volunteer = User.objects.get(email=data.team_email(district, "volunteer1"))
    height, width = district.max_lat - district.min_lat, district.max_lon - district.min_lon
    # A map area of a quarter of the district, off its centre.
    bbox = (
        round(district.min_lat + 0.2 * height, 6),
        round(district.min_lon + 0.3 * width, 6),
        round(district.min_lat + 0.7 * height, 6),
        round(district.min_lon + 0.8 * width, 6),
    )
    filtered = {"status": "in_progress", "category": group.pk, "assignee": volunteer.pk, "period": "365"}
    # A deep page: page 20, or the last one where there are fewer (1,000 concerns make about 14 pages).
    deep = min(20, max(1, math.ceil(selectors.inbox(district=district).count() / PAGE_SIZE)))
    return [
        ("inbox", {}, {}, 1),
        (
            "filtered",
            filtered,
            {"status": "in_progress", "category": group, "assignee": volunteer, "period": "365"},
            1,
        ),
        ("search 1 word", {"q": SEARCH_ONE}, {"text": SEARCH_ONE}, 1),
        ("search 2 words", {"q": SEARCH_TWO}, {"text": SEARCH_TWO}, 1),
        ("search + bbox", {"q": SEARCH_ONE, "bbox": ",".join(map(str, bbox))}, {"text": SEARCH_ONE, "bbox": bbox}, 1),
        (f"page {deep}", {"page": deep}, {}, deep),
    ]


def search_check(district):
    """After a bulk load: the search index must find some, not all, of the district's concerns."""
    concerns = Concern.objects.filter(district=district)
    total = concerns.count()
    found = {text: concern_search(concerns, text).count() for text in (SEARCH_ONE, SEARCH_TWO)}
    if not all(0 < count < total / 5 for count in found.values()):
        raise SystemExit(f"Search finds {found} of {total} concerns: is the search index kept?")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # raises if the FTS5 index differs from the table
            cursor.execute("INSERT INTO concerns_concern_fts(concerns_concern_fts) VALUES ('integrity-check')")
    return {"district_concerns": total, **found}


def _selector_page(district, kwargs, number):
    page = Paginator(selectors.inbox(district=district, **kwargs), PAGE_SIZE).get_page(number)
    list(page.object_list)
    return page


def inbox_url(district):
    """The inbox view's path, or None while the view does not exist yet."""
    try:
        return reverse("desk:inbox", args=[district.slug])
    except NoReverseMatch:
        return None


def measure(district):
    """One row per case: matching rows, view p50/p95 and queries, selector p50/p95, and the target."""
    manager = User.objects.get(email=data.team_email(district, "manager"))
    client = Client()
    client.force_login(manager)
    base = inbox_url(district)
    target = TARGET_MS.get(connection.vendor, 100)
    rows = []
    for name, params, kwargs, number in cases(district):
        page = _selector_page(district, kwargs, number)
        row = {"name": name, "params": params, "rows": page.paginator.count, "page_rows": len(page.object_list)}
        selector = summary(series(lambda _i, k=kwargs, p=number: _selector_page(district, k, p)))
        row |= {"selector_p50": selector["p50"], "selector_p95": selector["p95"]}
        if base:
            url = f"{base}?{urlencode(params)}" if params else base
            with CaptureQueriesContext(connection) as queries:
                response = get(client, url)
            row |= {"url": url, "queries": len(queries), "bytes": len(response.body)}
            row |= summary(series(lambda _i, url=url: get(client, url)))
            measured = row["p95"]
        else:
            measured = selector["p95"]
        row |= {"target_ms": target, "pass": measured <= target}
        rows.append(row)
    return {"view": bool(base), "target_ms": target, "cases": rows}


def explain(district, kwargs, number):
    """The plans of the selector's two queries on the concerns (count and page), as the database runs them."""
    with CaptureQueriesContext(connection) as queries:
        _selector_page(district, kwargs, number)
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    lines = []
    for query in queries.captured_queries:
        if "concerns_concern" not in query["sql"]:
            continue
        lines.append(query["sql"])
        with connection.cursor() as cursor:
            cursor.execute(prefix + query["sql"])  # the captured SQL has its parameters inlined
            lines += ["    " + " ".join(str(value) for value in row) for row in cursor.fetchall()]
        lines.append("")
    return "\n".join(lines)


def explain_failed(district, result, path):
    """Write the query plans of the cases that missed the target to path; returns path or None."""
    failed = [r for r in result["cases"] if not r["pass"]]
    if not failed:
        path.unlink(missing_ok=True)  # no stale plans of an earlier run
        return None
    kwargs = {name: (kw, number) for name, _params, kw, number in cases(district)}
    text = "\n".join(f"== {r['name']}\n{explain(district, *kwargs[r['name']])}" for r in failed)
    path.write_text(text)
    return path


def report(result):
    print()
    what = "the view (desk:inbox)" if result["view"] else "the SELECTOR ONLY: the view desk:inbox does not exist yet"
    print(f"Manager's inbox, {what}; page size {PAGE_SIZE}, logged in as the district's manager")
    header = ("case", "rows", "p50 ms", "p95 ms", "sel p50", "sel p95", "queries", "KB", "target")
    print(f"{header[0]:<16}" + "".join(f"{h:>9}" for h in header[1:]))
    for r in result["cases"]:
        view = (r["p50"], r["p95"], r["queries"], f"{r['bytes'] / 1024:.0f}") if result["view"] else ("-",) * 4
        verdict = f"{'PASS' if r['pass'] else 'FAIL'}"
        values = (r["rows"], view[0], view[1], r["selector_p50"], r["selector_p95"], *view[2:], verdict)
        print(f"{r['name']:<16}" + "".join(f"{v:>9}" for v in values))
    failed = [r["name"] for r in result["cases"] if not r["pass"]]
    verdict = "PASS" if not failed else f"FAIL ({', '.join(failed)})"
    print(f"inbox p95 ≤ {result['target_ms']} ms on {connection.vendor}: {verdict}")
