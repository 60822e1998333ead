from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kiezwerk.core"
    verbose_name = _("Districts")

    def ready(self):
        # Each app declares its audit verbs and its personal data in modules of its own.
        autodiscover_modules("audit")
        autodiscover_modules("privacy")
