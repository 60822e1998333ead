"""Declaring who may use a view: `@public` or `@requires(rule, load=...)`.

The rules themselves are plain functions `rule(user, obj) -> bool` in each app's `rules.py` (built
on `accounts.access`); views, templates, services and an API call the same functions. Here is only
the mechanism that puts a rule in front of a view. A test walks the URLconf and fails on any view
that declares nothing (`tests/test_views_declare_policy.py`).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.cache import add_never_cache_headers


def public(view):
    """Mark a view as open to everyone (it still filters what it shows)."""
    view.kiezwerk_policy = "public"
    return view


def by_secret_link(view):
    """Open to whoever holds the secret link in its URL (tracking page, partner link, follower links).

    Like every guarded page, its answers are `Cache-Control: private, no-store`: no shared cache and no
    browser history keeps what only the link's holder may read.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    wrapped.kiezwerk_policy = "public"
    return wrapped


def requires(rule, load=None):
    """Guard a view by `rule(user, obj)`, where `obj = load(request, **url_kwargs)`; `rule(user)` without `load`.

    `load` returns the object the rule is asked about or raises Http404 (missing, or not to be
    revealed). Anonymous visitors are sent to the login page; everybody else who fails gets 403.
    Every answer is `Cache-Control: private, no-store` (staff and partner pages are nobody else's).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            allowed = rule(request.user, load(request, **kwargs)) if load else rule(request.user)
            if not allowed:
                raise PermissionDenied
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

        wrapped.kiezwerk_policy = rule.__name__
        return wrapped

    return decorator


def once_per_request(loader):
    """Run `loader(user, key)` once per request: a view's rule and the view itself share the row.

    The rows are kept on the user object, which lives as long as the request (like the roles in
    `accounts.access`); a loader that raises (Http404) raises again each time, nothing is kept.
    """

    @wraps(loader)
    def wrapped(user, key):
        rows = getattr(user, "_access_rows", None)
        if rows is None:
            rows = user._access_rows = {}
        if (loader, key) not in rows:
            rows[(loader, key)] = loader(user, key)
        return rows[(loader, key)]

    return wrapped


def allowed_or_404(user, rows, pk, rule):
    """The row `pk` of `rows` if `rule(user, row)` allows it; Http404 for missing and forbidden alike.

    A row the user may not see must not reveal that it exists: the loaders of every app's rules use this.
    """
    row = rows.filter(pk=pk).first()
    if row is None or not rule(user, row):
        raise Http404
    return row
