"""Run the cases BENCH_ONLY names (default: pages, inbox, projects, events, ranking) and write their figures."""

import json
import os
import platform
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from bench import data, events, inbox, pages, projects
from bench.timing import WARMUP, N
from kiezwerk.concerns import opendata
from kiezwerk.concerns.models import Concern
from kiezwerk.core.models import District

CASES = ("pages", "inbox", "projects", "events", "ranking", "signup", "load", "lighthouse")
DEFAULT = (
    "pages",
    "inbox",
    "projects",
    "events",
    "ranking",
)  # load needs gunicorn and wrk; signup hashes passwords for a minute
ON_DATA = {
    "pages",
    "inbox",
    "projects",
    "events",
    "load",
    "lighthouse",
}  # the cases that need the filled bench districts
VAR = Path(__file__).resolve().parent / "var"


def selected(value):
    """The cases a comma-separated BENCH_ONLY names, in their order; DEFAULT when empty."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in CASES]
    if unknown:
        raise SystemExit(f"BENCH_ONLY: unknown {', '.join(unknown)}; name some of {', '.join(CASES)}, comma-separated")
    return [case for case in CASES if case in names] if names else list(DEFAULT)


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
    }


def filled():
    """The measured district, filled once for BENCH_CONCERNS, with the search checked."""
    if not data.is_filled():
        print(f"Filling the bench database for {data.CONCERNS:,} concerns in {data.MEASURED} (once)…", flush=True)
        start = time.perf_counter()
        data.fill()
        print(f"filled in {time.perf_counter() - start:.1f} s", flush=True)
    district = District.objects.get(slug=data.MEASURED)
    checked = inbox.search_check(district)
    public = Concern.objects.public().filter(district=district).count()
    opened = Concern.objects.open().filter(district=district).count()
    print(
        f"{data.MEASURED}: {checked['district_concerns']:,} concerns, {public:,} public, {opened:,} open; "
        f"search finds {checked[inbox.SEARCH_ONE]} for {inbox.SEARCH_ONE!r}, "
        f"{checked[inbox.SEARCH_TWO]} for {inbox.SEARCH_TWO!r}"
    )
    return district, checked | {"public": public, "open": opened}


def case_pages(district):
    opendata.build(district.pk)  # open data is served from files built after a change, not by a request
    result = pages.measure(district)
    pages.report(result)
    return result | {"n": N, "warmup": WARMUP}


def case_inbox(district):
    result = inbox.measure(district)
    inbox.report(result)
    plans = inbox.explain_failed(district, result, VAR / f"explain-{connection.vendor}-{data.CONCERNS}.txt")
    if plans:
        print(f"query plans of the cases that missed the target: {plans}")
    return result | {"n": N, "warmup": WARMUP}


def case_projects(district):
    held = projects.filled(district)
    result = projects.measure(district)
    projects.report(result)
    path = projects.explain(result, VAR / f"projects-queries-{connection.vendor}-{data.CONCERNS}.txt")
    print(f"the queries of one request per page (plans for the pages that missed the target): {path}")
    return {key: value for key, value in result.items() if key != "queries"} | {"data": held, "n": N, "warmup": WARMUP}


def case_events(district):
    held = events.filled(district)
    result = events.measure(district)
    events.report(result)
    path = projects.explain(result, VAR / f"events-queries-{connection.vendor}-{data.CONCERNS}.txt")
    print(f"the queries of one request per page (plans for the pages that missed the target): {path}")
    return {key: value for key, value in result.items() if key != "queries"} | {"data": held, "n": N, "warmup": WARMUP}


def case_ranking(_district):
    from bench import ranking

    result = ranking.evaluate()
    ranking.report(result)
    return result


def case_signup(_district):
    from bench import signup

    result = signup.measure()
    signup.report(result)
    return result


def case_load(district):
    from bench import load

    result = load.run(district)
    load.report(result)
    return result


def case_lighthouse(district):
    from bench import lighthouse

    result = lighthouse.run(district)
    lighthouse.report(result)
    return result


RUN = {
    "pages": case_pages,
    "inbox": case_inbox,
    "projects": case_projects,
    "events": case_events,
    "ranking": case_ranking,
    "signup": case_signup,
    "load": case_load,
    "lighthouse": case_lighthouse,
}


def main():
    cases = selected(os.environ.get("BENCH_ONLY", ""))
    # A stop (kill, Ctrl-C) unwinds like an error, so the load profile's gunicorn is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    call_command("migrate", interactive=False, verbosity=0)
    info = machine()
    print(f"machine: nproc={info['nproc']} cpu={info['cpu'] or '?'} python={info['python']}; {info['database']}")
    print(f"cases: {', '.join(cases)}; BENCH_CONCERNS={data.CONCERNS:,}", flush=True)
    path = VAR / f"results-{connection.vendor}-{data.CONCERNS}.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results |= {"machine": info, "concerns": data.CONCERNS}
    district = None
    if ON_DATA & set(cases):
        district, results["data"] = filled()
    for case in cases:
        start = round(os.getloadavg()[0], 2)
        measured = datetime.now(UTC).isoformat(timespec="seconds")
        result = RUN[case](district)
        results[case] = result | {"measured": measured, "load_average": [start, round(os.getloadavg()[0], 2)]}
        print(
            f"{case}: 1-minute load average {start} at the start, {results[case]['load_average'][1]} at the end "
            f"(above {info['nproc']}, other processes shared the CPU and the figures are noisy)",
            flush=True,
        )
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
