"""Celery application. Without REDIS_URL every task runs inline (eagerly)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiezwerk.settings")

app = Celery("kiezwerk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
