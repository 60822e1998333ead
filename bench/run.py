"""Measure the public pages with django.test.Client, each beside a bare view with the same bytes."""

import gc
import json
import os
import platform
import random
import statistics
import time
from pathlib import Path

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import data, inbox, ranking
from bench.urls import BARE
from kiezwerk.concerns import opendata
from kiezwerk.concerns.models import Concern
from kiezwerk.core.models import District

N = int(os.environ.get("BENCH_N", "200"))
# "inbox": only the manager's inbox; "ranking": only "who can help?"; "signup": known and new addresses side by side
ONLY = os.environ.get("BENCH_ONLY", "")
WARMUP = 20
COLD_BUILDS = 5
TARGET_MS, TARGET_RATIO = 50, 3
VAR = Path(__file__).resolve().parent / "var"


def get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return response


def timed(client, url):
    start = time.perf_counter()
    get(client, url)
    return (time.perf_counter() - start) * 1000


def series(client, urls):
    """Milliseconds of N requests after WARMUP ones, cycling through urls."""
    gc.collect()
    for i in range(WARMUP):
        get(client, urls[i % len(urls)])
    return [timed(client, urls[(WARMUP + i) % len(urls)]) for i in range(N)]


def summary(samples):
    return {
        "p50": round(statistics.median(samples), 2),
        "p95": round(statistics.quantiles(samples, n=100, method="inclusive")[94], 2),
    }


def machine():
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        version = cursor.fetchone()[0]
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "")
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "python": platform.python_version(),
        "database": f"{connection.vendor} {version}",
        "concerns": Concern.objects.count(),
        "load_average_start": round(os.getloadavg()[0], 2),
    }


def measure(client, district):
    slug = district.slug
    public = list(Concern.objects.public().filter(district=district).values_list("pk", flat=True))
    concern_urls = [f"/concerns/{pk}/" for pk in random.Random(2).sample(public, min(len(public), WARMUP + N))]
    pages = [
        ("map data", [f"/open-data/{slug}/concerns.geojson"]),
        ("list page", [f"/districts/{slug}/concerns/"]),
        ("list filtered", [f"/districts/{slug}/concerns/?status=resolved&period=365"]),
        ("list page 50", [f"/districts/{slug}/concerns/?page=50"]),
        ("concern page", concern_urls),
    ]
    rows = []
    for key, (name, urls) in enumerate(pages):
        response = get(client, urls[0])
        BARE[key] = (response.content, response["Content-Type"])
        with CaptureQueriesContext(connection) as queries:
            get(client, urls[0])
        row = {"name": name, "url": urls[0], "bytes": len(response.content), "queries": len(queries)}
        page, bare = summary(series(client, urls)), summary(series(client, [f"/bench/bare/{key}/"]))
        ratio = round(page["p95"] / bare["p95"], 1)
        row |= page | {"bare_p50": bare["p50"], "bare_p95": bare["p95"], "ratio_p95": ratio}
        rows.append(row)
    return rows


def forget_map_data():
    cache.clear()


def cold_build(client, district):
    """The map data built afresh: median of COLD_BUILDS requests, each after emptying both caches."""
    url = f"/open-data/{district.slug}/concerns.geojson"
    samples = []
    for _ in range(COLD_BUILDS):
        forget_map_data()
        samples.append(timed(client, url))
    forget_map_data()
    with CaptureQueriesContext(connection) as queries:
        get(client, url)
    return {"median_ms": round(statistics.median(samples), 1), "queries": len(queries)}


def report(info, rows, cold, target):
    print(f"machine: nproc={info['nproc']} cpu={info['cpu'] or '?'} python={info['python']}")
    print(f"database: {info['database']}, {info['concerns']:,} concerns; N={N} requests after {WARMUP} warm-up")
    print()
    header = ("page", "p50 ms", "p95 ms", "bare p50", "bare p95", "p95/bare", "queries", "KB")
    print(f"{header[0]:<14}" + "".join(f"{h:>10}" for h in header[1:]))
    for r in rows:
        values = (r["p50"], r["p95"], r["bare_p50"], r["bare_p95"], f"{r['ratio_p95']}×", r["queries"])
        print(f"{r['name']:<14}" + "".join(f"{v:>10}" for v in values) + f"{r['bytes'] / 1024:>10.0f}")
    print()
    print(
        f"map data cold build (after cache.clear()): median of {COLD_BUILDS} = {cold['median_ms']} ms, "
        f"{cold['queries']} queries"
    )
    print(
        f"map data p95 ≤ {TARGET_MS} ms and ≤ {TARGET_RATIO}× bare: {'PASS' if target['pass'] else 'FAIL'} "
        f"({target['p95']} ms, {target['ratio_p95']}×)"
    )


def main():
    call_command("migrate", interactive=False, verbosity=0)
    if ONLY == "signup":
        from bench import signup

        result = signup.measure()
        signup.report(result)
        (VAR / f"results-{connection.vendor}-signup.json").write_text(json.dumps(result, indent=2) + "\n")
        return
    if ONLY == "ranking":
        result = ranking.evaluate()
        ranking.report(result)
        path = VAR / f"results-{connection.vendor}-ranking.json"
        path.write_text(json.dumps({"ranking": result}, indent=2) + "\n")
        print(f"\nwritten to {path}")
        return
    if not data.is_filled():
        print("Filling the bench database (once)…", flush=True)
        start = time.perf_counter()
        data.fill()
        print(f"filled in {time.perf_counter() - start:.1f} s", flush=True)
    district = District.objects.get(slug="bench-01")
    opendata.build(district.pk)  # open data is served from files built after a change, not by a request
    checked = inbox.search_check(district)
    info = machine()
    results = {"machine": info, "n": N, "warmup": WARMUP}
    path = VAR / f"results-{connection.vendor}.json"
    if ONLY != "inbox":
        client = Client()
        rows = measure(client, district)
        cold = cold_build(client, district)
        map_row = rows[0]
        target = {
            "p95": map_row["p95"],
            "ratio_p95": map_row["ratio_p95"],
            "pass": map_row["p95"] <= TARGET_MS and map_row["p95"] <= TARGET_RATIO * map_row["bare_p95"],
        }
        report(info, rows, cold, target)
        results |= {"pages": rows, "map_cold_build": cold, "target": target}
    else:
        print(f"machine: nproc={info['nproc']} cpu={info['cpu'] or '?'} python={info['python']}")
        print(f"database: {info['database']}, {info['concerns']:,} concerns; N={N} requests after {WARMUP} warm-up")
        path = VAR / f"results-{connection.vendor}-inbox.json"
    results["inbox"] = inbox.measure(district, N, WARMUP, summary) | {"search_check": checked}
    inbox.report(results["inbox"], checked)
    plans = inbox.explain_failed(district, results["inbox"], VAR / f"explain-{connection.vendor}.txt")
    if plans:
        print(f"query plans of the cases that missed the target: {plans}")
    results["ranking"] = ranking.evaluate()
    ranking.report(results["ranking"])
    info["load_average_end"] = round(os.getloadavg()[0], 2)
    print(
        f"1-minute load average at start {info['load_average_start']}, at end {info['load_average_end']} "
        f"(on {info['nproc']} cores: above that, other processes shared the CPU and the figures are noisy)"
    )
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
