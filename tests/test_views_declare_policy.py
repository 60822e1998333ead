"""Every view of ours declares who may use it (kiezwerk.core.access: `public` or `requires(rule, load=...)`)."""

from django.urls import URLPattern, URLResolver, get_resolver

# Third-party URLconfs with their own access rules.
FOREIGN = ("django.contrib.", "allauth.", "django.views.i18n", "django.views.static")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_view_declares_a_policy():
    views = list(_walk(get_resolver().url_patterns))
    ours = [
        (route, view)
        for route, view in views
        if not route.startswith("admin/") and not view.__module__.startswith(FOREIGN)
    ]
    assert len(ours) > 15
    undeclared = [route for route, view in ours if not getattr(view, "kiezwerk_policy", None)]
    assert undeclared == []
