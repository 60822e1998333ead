"""`BENCH_ONLY=load`: gunicorn as in production, loaded with wrk at 20 and 50 connections per page.

The server runs with DEBUG off on static files collected into a temporary STATIC_ROOT with the project's
manifest storage (as .ci/run does), on the bench database and a Redis cache of its own, with
`bench.settings` so the bare view exists; its bytes are one real response of the server, written to
bench/var/bare/ before the bare view's first request.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client
from django.urls import reverse

from bench import data
from bench.pages import concern_urls, map_data_url
from bench.urls import bare_write
from kiezwerk.accounts.models import User

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "30"))
PORT = int(os.environ.get("BENCH_LOAD_PORT", "8110"))
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
WORKERS = 3  # docs/operations.md: `gunicorn kiezwerk.wsgi -w 3` on a 2-core host
CONNECTIONS = (20, 50)
THREADS = 2  # wrk's, one per core
WARMUP_SECONDS = 2
TARGET_SHARE = 1 / 3  # list and concern page: at least a third of the map data's requests per second


def wrk_installed():
    """The path of wrk; installs Debian's package when missing and running as root."""
    if not shutil.which("wrk"):
        if os.geteuid() != 0:
            raise SystemExit("The load profile needs wrk: sudo apt-get install wrk")
        print("installing wrk (apt-get)…", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            stdout=subprocess.DEVNULL,
        )
    return shutil.which("wrk")


def redis_emptied(url):
    """Empty the benchmark's own Redis database; refuse a URL without a database number of its own."""
    import redis

    number = urlsplit(url).path.strip("/")
    if not number.isdigit() or int(number) == 0:
        raise SystemExit(
            f"BENCH_REDIS_URL={url} must name a Redis database of the benchmark's own (e.g. …/5): it is emptied"
        )
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.RedisError as error:
        raise SystemExit(f"The load profile needs Redis at {url} (BENCH_REDIS_URL): {error}") from None


def server_env(static_root):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_SERVER": "1",
        "DEBUG": "0",
        "STATIC_ROOT": static_root,
        "REDIS_URL": REDIS,
        "LOG_LEVEL": "WARNING",
    }


def port_free(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


class Server:
    """gunicorn in a session of its own, stopped (master and workers) when the block ends, whatever happens."""

    def __init__(self, env, log):
        self.env, self.log, self.process = env, log, None
        self.base = f"http://127.0.0.1:{PORT}"

    def __enter__(self):
        if not port_free(PORT):
            raise SystemExit(f"Port {PORT} is in use: set BENCH_LOAD_PORT to a free one")
        command = [sys.executable, "-m", "gunicorn", "kiezwerk.wsgi", "--workers", str(WORKERS)]
        command += ["--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        for _ in range(120):
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at its start (exit {self.process.returncode}): see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer /healthz with 200 within a minute: see {self.log}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the master stops its workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process:
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return
            os.killpg(self.process.pid, signal.SIGKILL)  # a worker left behind

    def get(self, path, cookie=None):
        request = urllib.request.Request(self.base + path, headers={"Cookie": cookie} if cookie else {})
        with urllib.request.urlopen(request, timeout=60) as response:  # raises on 4xx and 5xx
            if response.url != request.full_url:  # e.g. to the login page: the session was not taken
                raise SystemExit(f"GET {path} was redirected to {response.url}")
            return response.read(), response.headers["Content-Type"]


def session_cookie(district):
    """A session of the district's manager, in the database the server reads too."""
    client = Client()
    client.force_login(User.objects.get(email=data.team_email(district, "manager")))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def lua_paths(paths, path):
    """A wrk script cycling through paths."""
    listed = ",\n".join(f'  "{p}"' for p in paths)
    path.write_text(
        f"local paths = {{\n{listed}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n  return wrk.format(nil, paths[i % #paths + 1])\nend\n"
    )
    return path


UNITS = {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}


def parse(output):
    """Requests per second, p50 and p99 in ms, requests, non-2xx/3xx answers and socket errors of wrk --latency."""
    latency = {
        int(share): float(value) * UNITS[unit]
        for share, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    }
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": round(latency[50], 2),
        "p99_ms": round(latency[99], 2),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }


def wrk(binary, url, connections, seconds, cookie=None, script=None):
    command = [binary, f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", str(script)]
    result = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"wrk failed on {url}: {result.stderr or result.stdout}")
    return parse(result.stdout)


def pages(district, server, cookie):
    """(name, path, cookie, script) per page loaded; notes for pages left out."""
    slug = district.slug
    listing = reverse("concerns:concern-list", args=[slug])
    concerns = concern_urls(district, 220)
    content, content_type = server.get(listing)
    bare_write("load-list-page", content, content_type)
    rows = [
        ("home", "/", None, None),
        ("list page", listing, None, None),
        ("concern page", concerns[0], None, lua_paths(concerns, VAR / "load-concerns.lua")),
    ]
    notes = []
    if url := map_data_url(district):
        rows.append(("map data", url, None, None))
    else:
        notes.append("map data: skipped, the endpoint concerns:map-data is not in this branch yet")
    rows += [
        ("desk inbox", reverse("desk:inbox", args=[slug]), cookie, None),
        ("bare (list page's bytes)", "/bench/bare/load-list-page/", None, None),
    ]
    return rows, notes


def run(district):
    binary = wrk_installed()
    redis_emptied(REDIS)
    static_root = tempfile.mkdtemp(prefix="kiezwerk-bench-static-")
    env = server_env(static_root)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
        )
        cookie = session_cookie(district)
        results, notes = [], []
        with Server(env, VAR / "gunicorn.log") as server:
            loaded, notes = pages(district, server, cookie)
            for name, path, page_cookie, script in loaded:
                server.get(path, page_cookie)  # answers 200 (urlopen raises otherwise)
                print(f"load: {name} …", flush=True)
                wrk(binary, server.base + path, CONNECTIONS[0], WARMUP_SECONDS, page_cookie, script)
                for connections in CONNECTIONS:
                    row = wrk(binary, server.base + path, connections, SECONDS, page_cookie, script)
                    results.append({"name": name, "path": path, "connections": connections, **row})
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    return {"seconds": SECONDS, "workers": WORKERS, "threads": THREADS, "rows": results, "notes": notes} | target(
        results
    )


def target(rows):
    """List and concern page at 20 connections: at least a third of the map data's requests per second."""
    at20 = {r["name"]: r["rps"] for r in rows if r["connections"] == CONNECTIONS[0]}
    if "map data" not in at20:
        return {"pass": None}
    floor = at20["map data"] * TARGET_SHARE
    return {"pass": at20["list page"] >= floor and at20["concern page"] >= floor, "floor_rps": round(floor, 1)}


def report(result):
    print()
    print(
        f"Load: gunicorn, {result['workers']} workers, DEBUG off, Redis cache; wrk {result['threads']} threads, "
        f"{result['seconds']} s per page and connection count"
    )
    header = ("page", "conns", "req/s", "p50 ms", "p99 ms", "requests", "errors")
    print(f"{header[0]:<26}" + "".join(f"{h:>10}" for h in header[1:]))
    for r in result["rows"]:
        values = (r["connections"], f"{r['rps']:.1f}", r["p50_ms"], r["p99_ms"], r["requests"])
        errors = r["non_2xx"] + r["socket_errors"]
        print(f"{r['name']:<26}" + "".join(f"{v:>10}" for v in values) + f"{errors:>10}")
    for note in result["notes"]:
        print(note)
    if any(r["non_2xx"] or r["socket_errors"] for r in result["rows"]):
        print("errors: some requests did not answer 2xx/3xx or failed at the socket: those rows' figures are void")
    verdict = {True: "PASS", False: "FAIL", None: "not judged (no map data)"}[result["pass"]]
    print(f"list and concern page ≥ 1/3 of the map data's req/s at {CONNECTIONS[0]} connections: {verdict}")
