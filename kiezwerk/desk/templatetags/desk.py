from django import template

from .. import shell

register = template.Library()


@register.simple_tag
def desk_screens(district):
    """The staff screens the apps added to the desk, for the district's navigation."""
    return shell.screens(district)


@register.simple_tag
def concern_sections(concern):
    """Panels the apps added to the concern workspace: [(template_name, context)]."""
    return shell.concern_sections(concern)


@register.simple_tag
def bulk_actions(district):
    """Buttons the apps added to the inbox's selection: [(label, url)]."""
    return shell.bulk_actions(district)
