from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "kiezwerk.events"
    verbose_name = _("Events")

    def ready(self):
        from kiezwerk.concerns.selectors import district_section_register, map_layer_register
        from kiezwerk.desk import shell
        from kiezwerk.network.views.partner import partner_screen

        from .selectors import district_section

        shell.register(_("Events"), "events:team-list", position=65)
        partner_screen(_("Your events"), "events:partner")
        # The district's public page: what is on in the next two weeks on its map, the next dates below it.
        map_layer_register(key="events", label=_("Events"), url_name="events:map", viewport=True)
        district_section_register(district_section, template_name="events/start_section.html")
