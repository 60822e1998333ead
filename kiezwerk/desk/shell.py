"""The desk is a shell: each app adds its staff screens to the district's desk navigation.

An app registers its screens at start-up (`register` in its AppConfig.ready); every screen is a URL name
that takes the district's slug. The desk knows no app: the navigation lists what was registered.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Screen:
    label: str  # translated lazily
    url_name: str
    position: int


_screens = {}


def register(label, url_name, *, position):
    """Add a staff screen to every district's desk navigation, ordered by `position`."""
    _screens[url_name] = Screen(label=label, url_name=url_name, position=position)


def screens(district):
    """[(label, url)] of the registered screens for a district, in order."""
    ordered = sorted(_screens.values(), key=lambda screen: screen.position)
    return [(screen.label, reverse(screen.url_name, args=[district.slug])) for screen in ordered]


# Hooks: an app adds a section to "today", a panel to the concern workspace, a button to the inbox's selection.


@dataclass(frozen=True)
class Section:
    load: callable  # -> dict for the template, or a falsy value to leave it out
    template_name: str


_today = []
_concern_sections = []
_bulk_actions = {}


def today(load, *, template_name):
    """Add a section to the desk's "today" page: `load(district, today)` gives its template's context."""
    _today.append(Section(load=load, template_name=template_name))


def today_sections(district, day):
    """[(template_name, context)] of the registered sections that have something to show."""
    sections = []
    for section in _today:
        context = section.load(district, day)
        if context:
            sections.append((section.template_name, context))
    return sections


def concern_section(load, *, template_name):
    """Add a panel to the concern workspace: `load(concern)` gives its template's context (falsy: left out)."""
    _concern_sections.append(Section(load=load, template_name=template_name))


def concern_sections(concern):
    """[(template_name, context)] of the registered workspace panels that have something to show."""
    sections = []
    for section in _concern_sections:
        context = section.load(concern)
        if context:
            sections.append((section.template_name, context))
    return sections


# The inbox's selection is posted under this name (the bulk form's `concerns` field, prefix "bulk").
BULK_CONCERNS = "bulk-concerns"


def bulk_action(label, url_name):
    """A button on the inbox's selection: its form is posted to `url_name` (district's slug), the selected
    concerns' ids as `BULK_CONCERNS`."""
    _bulk_actions[url_name] = (label, url_name)


def bulk_actions(district):
    return [(label, reverse(url_name, args=[district.slug])) for label, url_name in _bulk_actions.values()]
