"""allauth, adapted: after logging in, people land where their work is."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.module_loading import import_string


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """The first page `settings.LOGIN_LANDINGS` offers the user (the desk, the partner list), else the start page.

        Each app that has a landing page says so (`desk.rules.login_landing`, `network.rules.login_landing`),
        so accounts needs to know none of them. A `next` parameter (a page that asked for the login) still
        wins: allauth only asks here without one.
        """
        for path in settings.LOGIN_LANDINGS:
            url = import_string(path)(request.user)
            if url:
                return url
        return super().get_login_redirect_url(request)
