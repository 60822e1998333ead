from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "kiezwerk.projects"
    verbose_name = _("Projects")

    def ready(self):
        from kiezwerk.desk import shell

        from . import audit, signals, timeline  # noqa: F401  (verbs, entry labels, follower mails, shipped templates)
        from .selectors import concern_section, due_tasks_section

        shell.register(_("Projects"), "projects:team-list", position=60)
        shell.today(due_tasks_section, template_name="projects/_today_tasks.html")
        shell.concern_section(concern_section, template_name="projects/_concern_panel.html")
        shell.bulk_action(_("Make an action of them"), "projects:new")
