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
