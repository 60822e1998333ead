"""allauth's sign-up form, adapted: its timing does not tell whether an address has an account."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        """A known address gets no new account (allauth mails "you already have one"), but the same work is
        done as for a new one: the password is hashed, so the answer takes as long either way."""
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
