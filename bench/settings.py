"""Settings for the benchmark: the project's, with the bench URLconf and DEBUG off.

bench/__main__.py sets DATABASE_URL (a separate database) before this module is imported. In-process
(`python -m bench`) static URLs need no collectstatic manifest, as in the tests; the load profile's
gunicorn (BENCH_SERVER=1) keeps the project's manifest storage, as production does.
"""

import os

from kiezwerk.settings import *  # noqa: F403
from kiezwerk.settings import ALLOWED_HOSTS, CACHES, REDIS_URL, STORAGES

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver", "127.0.0.1", "localhost"]
if not os.environ.get("BENCH_SERVER"):
    STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
if REDIS_URL:
    # The load profile's server: the cache in the Redis database REDIS_URL names (not the project's /1),
    # and no task leaves the benchmark (no worker runs; a task runs in the request, as without Redis).
    CACHES = {"default": {**CACHES["default"], "LOCATION": REDIS_URL, "KEY_PREFIX": "bench"}}
    CELERY_TASK_ALWAYS_EAGER = True
