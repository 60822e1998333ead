from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProjectsConfig(AppConfig):
    name = "kiezwerk.projects"
    verbose_name = _("Projects")

    def ready(self):
        from kiezwerk.concerns.selectors import district_section_register, map_layer_register
        from kiezwerk.desk import shell

        from . import audit, signals, timeline  # noqa: F401  (verbs, entry labels, follower mails, shipped templates)
        from .selectors import concern_section, district_section, due_tasks_section

        shell.register(_("Projects"), "projects:team-list", position=60)
        shell.today(due_tasks_section, template_name="projects/_today_tasks.html")
        shell.concern_section(concern_section, template_name="projects/_concern_panel.html")
        shell.bulk_action(_("Make an action of them"), "projects:from-selection")
        # The district's public page: the actions on its map, those looking for helpers below it.
        legend = pgettext_lazy("district map legend", "Actions")
        map_layer_register(key="projects", label=legend, url_name="projects:map")
        district_section_register(district_section, template_name="projects/start_section.html")
