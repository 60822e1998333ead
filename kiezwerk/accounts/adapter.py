"""allauth, adapted: after logging in, people land where their work is."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

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
