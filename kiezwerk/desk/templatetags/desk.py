from django import template

from .. import shell

register = template.Library()


@register.simple_tag
def desk_screens(district):
    """The staff screens the apps added to the desk, for the district's navigation."""
    return shell.screens(district)
