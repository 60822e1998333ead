"""allauth, adapted: after logging in, people land where their work is; its mails go through the outbox."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils.module_loading import import_string

from kiezwerk.core import outbox
from kiezwerk.core.intake.limits import client_address


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

    def get_client_ip(self, request):
        """The client's address behind the trusted proxies, for allauth's limits (failed logins and more)."""
        return client_address(request)

    def send_mail(self, template_prefix, email, context):
        """Sign-up, verification and password mails: stored in the outbox with the request's changes.

        A mail server that is down then neither fails the request nor loses the mail (core.outbox).
        """
        request = allauth_context.request
        context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        outbox.enqueue(self.render_mail(template_prefix, email, context), purpose=template_prefix)
