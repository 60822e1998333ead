"""allauth, adapted: after logging in, people land where their work is; its mails go through the outbox."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse

from kiezwerk.core import outbox

from . import policy


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """The desk for a district's staff, the partner list for an organisation's people, else the start page.

        A `next` parameter (a page that asked for the login) still wins: allauth only asks here without one.
        """
        user = request.user
        if policy.is_desk_user(user):
            return reverse("desk:home")
        if policy.is_partner_user(user):
            return reverse("network:partner-home")
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix, email, context):
        """Sign-up, verification and password mails: stored in the outbox with the request's changes.

        A mail server that is down then neither fails the request nor loses the mail (core.outbox).
        """
        request = allauth_context.request
        context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        outbox.enqueue(self.render_mail(template_prefix, email, context), purpose=template_prefix)
