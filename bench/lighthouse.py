"""`BENCH_ONLY=lighthouse`: Lighthouse (npm, Debian's Chromium, mobile profile) on the public pages, served as
in production (the load profile's gunicorn), map tiles blocked: performance, accessibility, best practices
and the bytes transferred per page."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

from django.urls import reverse

from bench.load import ROOT, VAR, Server, redis_emptied, server_env
from bench.pages import concern_urls

VERSION = "12.8.2"
CHROMIUM = "/usr/bin/chromium"
PREFIX = VAR / "lighthouse"
TARGETS = {"performance": 95, "accessibility": 100}
WEIGHT_KB = 150
KB = 1024


def installed():
    """The lighthouse command, installed from the npm registry into bench/var/lighthouse when missing."""
    binary = PREFIX / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if not shutil.which("npm"):
            raise SystemExit("Lighthouse needs Node.js and npm")
        print(f"installing lighthouse {VERSION} (npm) into {PREFIX}…", flush=True)
        PREFIX.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(PREFIX), "--no-audit", "--no-fund", "--silent", f"lighthouse@{VERSION}"],
            check=True,
        )
    return binary


def audit(binary, url, out):
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    command = [str(binary), url, "--quiet", "--output=json", f"--output-path={out}", "--form-factor=mobile"]
    command += ["--only-categories=performance,accessibility,best-practices"]
    command += ["--blocked-url-patterns=*tile.openstreetmap.org*", "--chrome-flags=--headless=new --no-sandbox"]
    for attempt in range(3):  # Lighthouse itself asks to run again after a lost trace (NO_NAVSTART)
        if subprocess.run(command, env=env).returncode == 0:
            break
        print(f"lighthouse failed on {url} (attempt {attempt + 1} of 3)", flush=True)
    else:
        raise SystemExit(f"Lighthouse failed three times on {url}")
    report = json.loads(out.read_text())
    scores = {name: round(category["score"] * 100) for name, category in report["categories"].items()}
    failing = [
        key
        for key, item in report["audits"].items()
        if item.get("score") is not None and item["score"] < 1 and item.get("scoreDisplayMode") == "binary"
    ]
    weight = report["audits"]["total-byte-weight"]["numericValue"]
    return scores | {"bytes": round(weight), "failing_audits": sorted(failing)}


def run(district):
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"Lighthouse runs Debian's Chromium: {CHROMIUM} is missing (apt-get install chromium)")
    binary = installed()
    redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
    redis_emptied(redis)
    static_root = tempfile.mkdtemp(prefix="kiezwerk-bench-static-")
    env = server_env(static_root)
    slug = district.slug
    pages = [
        ("home", "/"),
        ("report", reverse("concerns:report", args=[slug])),
        ("map", reverse("concerns:district-map", args=[slug])),
        ("list", reverse("concerns:concern-list", args=[slug])),
        ("concern", concern_urls(district, 1)[0]),
    ]
    only = [name.strip() for name in os.environ.get("BENCH_LIGHTHOUSE_PAGES", "").split(",") if name.strip()]
    unknown = sorted(set(only) - {name for name, _ in pages})
    if unknown:
        names = ", ".join(name for name, _ in pages)
        raise SystemExit(f"BENCH_LIGHTHOUSE_PAGES: unknown {', '.join(unknown)}; name some of {names}")
    pages = [(name, path) for name, path in pages if not only or name in only]
    rows = []
    try:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
        )
        with Server(env, VAR / "gunicorn.log") as server:
            for name, path in pages:
                print(f"lighthouse: {name} …", flush=True)
                result = audit(binary, server.base + path, PREFIX / f"{name}.json")
                passed = (
                    all(result[key] >= floor for key, floor in TARGETS.items()) and result["bytes"] <= WEIGHT_KB * KB
                )
                rows.append({"name": name, "path": path, **result, "pass": passed})
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    return {"version": VERSION, "rows": rows, "pass": all(row["pass"] for row in rows)}


def report(result):
    print()
    print(f"Lighthouse {result['version']}, mobile, Debian's Chromium, gunicorn as in production, map tiles blocked")
    header = (
        "page",
        "perf.",
        "access.",
        "best pr.",
        "KB",
        f"≥{TARGETS['performance']}/{TARGETS['accessibility']}, ≤{WEIGHT_KB} KB",
    )
    print(f"{header[0]:<10}" + "".join(f"{h:>10}" for h in header[1:5]) + f"  {header[5]}")
    for row in result["rows"]:
        values = (row["performance"], row["accessibility"], row["best-practices"], f"{row['bytes'] / KB:.0f}")
        verdict = "PASS" if row["pass"] else "FAIL"
        print(f"{row['name']:<10}" + "".join(f"{v:>10}" for v in values) + f"  {verdict}")
        if row["failing_audits"]:
            print(f"{'':<10}failing audits: {', '.join(row['failing_audits'])}")
    print(f"every page at its targets: {'PASS' if result['pass'] else 'FAIL'}")
