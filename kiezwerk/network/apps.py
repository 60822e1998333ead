from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "kiezwerk.network"
    verbose_name = _("Network")

    def ready(self):
        from kiezwerk.core import activity
        from kiezwerk.desk import shell

        from .models import ReferralStep

        activity.labels(steps=ReferralStep)
        shell.register(_("Network"), "network:directory", position=100)
        shell.register(_("Overdue referrals"), "network:escalations", position=110)
