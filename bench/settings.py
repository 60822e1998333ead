"""Settings for the benchmark: the project's, with the bench URLconf and DEBUG off.

bench/__main__.py sets DATABASE_URL (a separate database) before this module is imported.
"""

from kiezwerk.settings import *  # noqa: F403
from kiezwerk.settings import ALLOWED_HOSTS, STORAGES

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# Static URLs without a collectstatic manifest, as in the tests.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
