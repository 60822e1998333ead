"""`python -m bench`: fill a separate database, then run the cases BENCH_ONLY names (bench/README.md)."""

import os
from pathlib import Path

import django

from bench import CONCERNS

VAR = Path(__file__).resolve().parent / "var"


def configure():
    """Environment for bench.settings: a database of its own, DEBUG off."""
    VAR.mkdir(exist_ok=True)
    # SQLite: one file per size, as on PostgreSQL one database per size.
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{VAR / f'bench-{CONCERNS}.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-insecure-key")
    os.environ["STATIC_ROOT"] = str(VAR / "static")  # WhiteNoise wants the folder; nothing is collected
    (VAR / "static").mkdir(exist_ok=True)
    os.environ["MEDIA_ROOT"] = str(VAR / "media")  # files the app writes stay out of the project's var/
    # In-process the cache is the project's default without Redis; the load profile gives its server one.
    os.environ.pop("REDIS_URL", None)
    if url.startswith(("postgres:", "postgresql:", "pgsql:")):
        database_create(url)


def database_create(url):
    """Create the PostgreSQL database if it is missing (connecting to the "postgres" database)."""
    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(url)
    params = {key.lower(): config.get(key) for key in ("HOST", "PORT", "USER", "PASSWORD") if config.get(key)}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


if __name__ == "__main__":
    configure()
    django.setup()
    from bench.run import main

    main()
