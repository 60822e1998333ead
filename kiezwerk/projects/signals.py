"""Every new district starts with the three shipped project templates (the team edits them)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from kiezwerk.core.models import District

from .services.templates import templates_ship


@receiver(post_save, sender=District, dispatch_uid="projects-templates-ship")
def district_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        templates_ship(district=instance)
