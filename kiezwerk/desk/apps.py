from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "kiezwerk.desk"
    verbose_name = _("Desk")

    def ready(self):
        from . import shell

        for position, (label, url_name) in enumerate(
            [
                (_("Inbox"), "desk:inbox"),
                (_("Today"), "desk:today"),
                (_("Street round"), "desk:round"),
                (_("Record a concern"), "desk:capture"),
                (_("Reply templates"), "desk:templates"),
                (_("Audit trail"), "desk:audit"),
                (_("Posters"), "desk:poster"),
                (_("Welcome text"), "desk:welcome"),
            ]
        ):
            shell.register(label, url_name, position=10 * position)
        shell.register(_("Privacy requests"), "desk:privacy", position=900)
        shell.register(_("Undelivered e-mails"), "desk:mail", position=910)
        shell.register(_("Accessibility feedback"), "desk:accessibility", position=920)
