from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "kiezwerk.network"
    verbose_name = _("Network")

    def ready(self):
        from kiezwerk.desk import shell

        shell.register(_("Network"), "network:directory", position=100)
        shell.register(_("Overdue referrals"), "network:escalations", position=110)
