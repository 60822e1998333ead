from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _search_ensure(using, **kwargs):
    from .search import sqlite_ensure

    sqlite_ensure(using)


class ConcernsConfig(AppConfig):
    name = "kiezwerk.concerns"
    verbose_name = _("Concerns")

    def ready(self):
        post_migrate.connect(_search_ensure, sender=self)
        from . import opendata, timeline  # noqa: F401  (register with core: the open-data build, entries and mails)
