"""German pages and mails address people as "Sie" and show no English words.

Three nets: every German text of ours, allauth's and Django's catalogues as the site translates it
(ours takes precedence), the visible text of the pages of every app in German (with form errors),
and the mails allauth sends.
"""

import importlib
import pkgutil
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import allauth
import django
import polib
import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from kiezwerk.accounts.models import RoleKind
from kiezwerk.accounts.services import membership_add
from kiezwerk.core.models import AccessibilityFeedback, OutboxMail
from kiezwerk.network.models import Contact, LegalBasis, Organisation, OrganisationKind, Visibility
from kiezwerk.network.services import referrals as referral_services

from .conftest import _user_with_role
from .factories import UserFactory, concern_reported

# "du" and its forms, and the imperatives allauth's German uses without a pronoun ("Bitte wähle …").
DU = re.compile(
    r"\b(du|dich|dir|dein\w*|euch|euer\w*)\b"
    r"|\bbitte (gib|lass|klick|klicke|wähle|versuche|bestätige|kontaktiere|folge|melde|habe|überprüfe|prüfe|gehe|nutze"
    r"|verwende|erstelle|trage|tippe)\b",
    re.IGNORECASE,
)
# English words that have leaked onto German pages before, or would: field names, allauth's and
# Django's untranslated texts, Python values. Case matters: "E-Mail" is German, "Email" is not.
ENGLISH = re.compile(
    r"\b(the|and|of|you|your|this|that|with|please|field|required)\b"
    r"|\b(Location|Place|Password|Email|E-mail|Username|Sign [Ii]n|Sign [Uu]p|Sign [Oo]ut|Log [Ii]n|Submit|Cancel|Save"
    r"|Delete|Remove|Search|Reset|Remember|Forgot|Confirm|Verify|Choose|Select|Previous|Next|Page|Error|Warning"
    r"|Hidden|None|True|False|Unknown|Edit|Add|Close|Street|Category|Description|Photos|Subject|Token|Step)\b"
    r"|\b(core|accounts|concerns|desk|network)\.[a-z]+\b",  # a model's code ("network.organisation")
)

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Visible(HTMLParser):
    """The text a person reads or hears: text, labels in attributes; not scripts, not text in another language.

    Not the <title> either: it names a concern in the resident's language and cannot mark it (the
    heading repeats the page's own words).
    """

    ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")

    def __init__(self, language="de"):
        super().__init__(convert_charrefs=True)
        self.language = language  # text marked with another `lang` is left out
        self.stack = []  # (tag, skipped)
        self.parts = []

    def _skipped(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        skipped = (
            self._skipped()
            or tag in ("script", "style", "template", "title")
            or (lang is not None and lang[:2] != self.language)
        )
        if not skipped:
            self.parts += [attrs[name] for name in self.ATTRIBUTES if attrs.get(name)]
            self.parts += [
                value for name, value in attrs.items() if name.startswith("data-") and value and " " in value
            ]
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._skipped() and data.strip():
            self.parts.append(data.strip())


def visible_text(html, language="de"):
    parser = _Visible(language)
    parser.feed(html)
    return "\n".join(parser.parts)


def problems(text):
    """Every du-form and English word in a text, with its line."""
    found = []
    for line in text.splitlines():
        found += [f"du-form {m.group(0)!r} in {line!r}" for m in DU.finditer(line)]
        found += [f"English {m.group(0)!r} in {line!r}" for m in ENGLISH.finditer(line)]
    return found


def test_the_checks_find_what_they_look_for():
    assert (
        problems("Bitte gib dein Passwort ein.") and problems("Bist du sicher?") and problems("Bitte wähle eine aus.")
    )
    assert problems("Location: Der Ort konnte nicht erkannt werden.") and problems("This field is required.")
    assert problems("desk.replytemplate 3") and not problems("quartier@example.org")
    assert not problems("Bitte geben Sie Ihr Passwort ein. Ihre E-Mail-Adresse: Ort, Kategorie, Fotos.")
    html = '<p lang="en">Your street</p><p title="Sign In">Anmelden</p><script>var the = 1;</script><input value="x">'
    assert visible_text(html) == "Sign In\nAnmelden"


# The catalogues -----------------------------------------------------------------------------------


def _catalogue(path):
    return [entry for entry in polib.pofile(str(path)) if entry.msgid and not entry.obsolete]


def _translated(entry):
    """What the site shows in German for a catalogue entry (every catalogue merged, ours first)."""
    with translation.override("de"):
        if entry.msgid_plural:
            forms = [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            if entry.msgctxt:
                forms = [translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            return " ".join(forms)
        if entry.msgctxt:
            return translation.pgettext(entry.msgctxt, entry.msgid)
        return translation.gettext(entry.msgid)


OURS = Path(settings.LOCALE_PATHS[0]) / "de" / "LC_MESSAGES" / "django.po"
THEIRS = [
    Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po",
    Path(django.__file__).parent / "conf" / "locale" / "de" / "LC_MESSAGES" / "django.po",
]


def test_our_german_catalogue_says_sie():
    found = [
        f"{entry.msgid!r}: {text!r}"
        for entry in _catalogue(OURS)
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if DU.search(text)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", THEIRS, ids=["allauth", "django"])
def test_every_german_text_of_allauth_and_django_says_sie(path):
    """allauth's German says "du" in many places; our catalogue (LOCALE_PATHS) overrides each of them."""
    found = [f"{entry.msgid!r}: {text!r}" for entry in _catalogue(path) if DU.search(text := _translated(entry))]
    assert not found, "\n".join(found)


def test_our_catalogue_takes_precedence_over_allauths():
    (entry,) = [e for e in _catalogue(THEIRS[0]) if e.msgid == "Are you sure you want to sign out?"]
    assert DU.search(entry.msgstr)  # allauth's own words
    assert _translated(entry) == "Möchten Sie sich wirklich abmelden?"


def _our_forms():
    import kiezwerk

    for info in pkgutil.walk_packages(kiezwerk.__path__, "kiezwerk."):
        if info.name.rsplit(".", 1)[-1] == "forms" or ".forms." in info.name:
            module = importlib.import_module(info.name)
            for form in vars(module).values():
                if isinstance(form, type) and issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                    yield form


def test_every_visible_form_field_of_ours_has_a_translated_label():
    """Without one Django shows the field's name ("Location"); a hidden field's error stands alone in the summary."""
    unlabelled = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _our_forms()
        for name, field in form.base_fields.items()
        if field.label is None and not field.widget.is_hidden
    ]
    assert list(_our_forms()) and not unlabelled, unlabelled


# The pages ----------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def concern(district, category, street):
    concern, token = concern_reported(district, category, reporter_name="Ayşe K.", reporter_email="ayse@example.org")
    concern.token = token
    return concern


@pytest.fixture
def english_concern(district, category):
    """A resident who wrote in English: their words are marked as English and are not checked."""
    concern, _token = concern_reported(
        district,
        category,
        title="Please fix the street light",
        description="The light at the corner is off.",
        language="en",
    )
    return concern


@pytest.fixture
def referral(concern, manager):
    organisation = Organisation.objects.create(
        name="Amt für Abfallwirtschaft",
        kind=OrganisationKind.CITY_OFFICE,
        email="abfall@example.org",
        visibility=Visibility.PUBLIC,
    )
    organisation.districts.add(concern.district)
    Contact.objects.create(
        name="Birgit Yılmaz",
        organisation=organisation,
        email="birgit@example.org",
        legal_basis=LegalBasis.PUBLIC_TASK,
        last_confirmed_on=date.today(),
    )
    referral, _token = referral_services.referral_create(
        concern=concern, organisation=organisation, actor=manager, message="Bitte abholen."
    )
    return referral


class Pages:
    """Visits pages with the test client and keeps the visible text of each HTML answer."""

    def __init__(self, client, language="de"):
        self.client = client
        self.language = language
        self.texts = {}

    def visit(self, method, url, data=None, **kwargs):
        response = getattr(self.client, method)(url, data or {}, **kwargs)
        if "html" in response.headers.get("Content-Type", ""):
            self.texts[f"{method.upper()} {url} {data or ''}"] = visible_text(response.content.decode(), self.language)
        return response

    def get(self, url, **kwargs):
        return self.visit("get", url, **kwargs)

    def post(self, url, data, **kwargs):
        return self.visit("post", url, data, **kwargs)

    def assert_german(self):
        found = [f"{page}: {problem}" for page, text in self.texts.items() for problem in problems(text)]
        assert not found, "\n".join(found)


def test_public_pages_and_report_errors_are_german(client, district, concern, english_concern):
    pages = Pages(client)
    for name in (
        "core:home",
        "core:privacy",
        "core:imprint",
        "core:accessibility",
        "core:open-data",
        "core:offline",
        "core:easy-read",
    ):
        pages.get(reverse(name))
    pages.post(reverse("core:accessibility"), {"text": "", "email": "kein-at"})
    pages.post(reverse("core:accessibility"), {"text": "Kontrast zu schwach", "email": "a@example.org"}, follow=True)
    for name in ("concerns:district-map", "concerns:concern-list", "concerns:report"):
        pages.get(reverse(name, args=[district.slug]))
    for item in (concern, english_concern):
        pages.get(reverse("concerns:concern-detail", args=[item.pk]))
    pages.get(reverse("concerns:concern-flag", args=[concern.pk]))
    pages.post(reverse("concerns:concern-flag", args=[concern.pk]), {"note": "?"})
    pages.post(reverse("concerns:concern-subscribe", args=[concern.pk]), {"email": "kein-at"})
    report = reverse("concerns:report", args=[district.slug])
    errors = pages.post(report, {"location": "a,b", "reporter_email": "kein-at"})
    assert "Ort: " in pages.texts[f"POST {report} {{'location': 'a,b', 'reporter_email': 'kein-at'}}"]
    assert errors.status_code == 400
    pages.post(report, {"street": "Nirgendwo", "house_number": "1", "title": "x"})
    pages.get(reverse("concerns:track", args=[concern.token]))
    pages.get(reverse("concerns:track", args=["unbekannt"]))
    pages.get(reverse("core:follow-confirm", args=["unbekannt"]))
    pages.get("/gibt-es-nicht/")
    pages.assert_german()


def test_allauth_pages_messages_and_errors_are_german(client, resident):
    pages = Pages(client)
    for name in ("account_login", "account_signup", "account_reset_password", "account_reset_password_done"):
        pages.get(reverse(name))
    pages.post(reverse("account_login"), {"login": resident.email, "password": "falsch"})
    pages.post(reverse("account_login"), {"login": "", "password": ""})
    pages.post(reverse("account_signup"), {"email": "kein-at", "password1": "kurz", "password2": "anders"})
    pages.post(reverse("account_signup"), {"email": "neu@example.org", "password1": "x", "password2": "y"})
    pages.post(
        reverse("account_signup"),
        {"email": "neu@example.org", "password1": "Kiez-werk-2026!", "password2": "Kiez-werk-2026!"},
        follow=True,
    )
    pages.post(reverse("account_reset_password"), {"email": "kein-at"})
    pages.post(reverse("account_reset_password"), {"email": resident.email}, follow=True)
    pages.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "falsch"}))
    pages.get(reverse("account_confirm_email", args=["falsch"]))
    pages.get(reverse("account_inactive"))
    pages.get(reverse("account_email_verification_sent"))

    client.force_login(resident)
    pages.get(reverse("account_email"))
    pages.post(reverse("account_email"), {"action_add": "", "email": "kein-at"})
    pages.post(reverse("account_email"), {"action_remove": "", "email": resident.email}, follow=True)
    pages.get(reverse("account_change_password"))
    pages.post(reverse("account_change_password"), {"oldpassword": "falsch", "password1": "a", "password2": "b"})
    pages.get(reverse("account_logout"))
    pages.post(reverse("account_logout"), {}, follow=True)
    pages.assert_german()


def test_desk_pages_and_their_errors_are_german(client, district, manager, moderator, concern, english_concern):
    pages = Pages(client)
    client.force_login(manager)
    slug = district.slug
    client.post(reverse("desk:templates", args=[slug]), {"title": "Eingang bestätigt", "text_de": "Danke."})
    barrier = AccessibilityFeedback.objects.create(text="Zu klein", email="a@example.org")
    AccessibilityFeedback.objects.create(text="Zu blass", answer="Geändert.", answered_at=timezone.now())
    pages.post(reverse("desk:accessibility-answer", args=[slug, barrier.pk]), {"answer": ""})
    for name in ("inbox", "today", "round", "capture", "templates", "audit", "privacy", "mail", "accessibility"):
        pages.get(reverse(f"desk:{name}", args=[slug]))
    pages.get(reverse("desk:inbox", args=[slug]) + "?status=all&period=x")
    pages.get(reverse("desk:audit", args=[slug]) + "?concern=x&verb=unbekannt")
    for item in (concern, english_concern):
        pages.get(reverse("desk:concern", args=[item.pk]))
    pages.post(reverse("desk:capture", args=[slug]), {"title": "", "location": "a,b"})
    pages.post(reverse("desk:contact-record", args=[slug]), {"location": "a,b"})
    pages.post(reverse("desk:note-record", args=[slug]), {"location": "a,b"})
    pages.post(reverse("desk:templates", args=[slug]), {"title": ""})
    pages.post(reverse("desk:privacy", args=[slug]), {"email": "kein-at"})
    pages.post(reverse("desk:concern-reply", args=[concern.pk]), {"text": ""})
    pages.post(reverse("desk:concern-duplicate", args=[concern.pk]), {"duplicate-original": "x"})
    pages.post(reverse("desk:concern-follow-up", args=[concern.pk]), {"follow_up_on": "x"}, follow=True)
    client.force_login(moderator)
    pages.get(reverse("desk:concern", args=[concern.pk]))
    pages.post(reverse("desk:concern-redact", args=[concern.pk]), {"redact-field": "title"})
    pages.assert_german()


def test_network_and_partner_pages_are_german(client, district, manager, referral):
    pages = Pages(client)
    client.force_login(manager)
    slug = district.slug
    for name in ("directory", "contacts", "map", "escalations", "organisation-create", "contact-create"):
        pages.get(reverse(f"network:{name}", args=[slug]))
    for name in ("relationship-create", "interaction-create"):
        pages.get(reverse(f"network:{name}", args=[slug]))
    pages.get(reverse("network:organisation", args=[referral.organisation.pk]))
    pages.get(reverse("network:contact", args=[referral.organisation.contacts.get().pk]))
    pages.get(reverse("network:referral", args=[referral.pk]))
    pages.get(reverse("network:refer", args=[referral.concern.pk]))
    pages.post(reverse("network:organisation-create", args=[slug]), {"name": ""})
    pages.post(reverse("network:contact-create", args=[slug]), {"name": ""})
    pages.post(reverse("network:relationship-create", args=[slug]), {"label": ""})
    pages.post(reverse("network:interaction-create", args=[slug]), {"kind": ""})

    partner = UserFactory()
    membership_add(user=partner, target=referral.organisation)
    client.force_login(partner)
    pages.get(reverse("network:partner-home"))
    pages.get(reverse("network:partner-referral", args=[referral.pk]))
    pages.post(reverse("network:partner-referral", args=[referral.pk]), {"step": "close"})
    pages.get(reverse("desk:home"))  # 403
    pages.assert_german()


# allauth's mails ----------------------------------------------------------------------------------


def test_allauths_mails_are_german_and_say_sie(client, district, django_capture_on_commit_callbacks):
    known = _user_with_role(RoleKind.RESIDENT, district)
    password = "Kiez-werk-2026!"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"), {"email": "neu@example.org", "password1": password, "password2": password}
        )
        client.post(reverse("account_signup"), {"email": known.email, "password1": password, "password2": password})
        client.post(reverse("account_reset_password"), {"email": known.email})
        client.post(reverse("account_reset_password"), {"email": "unbekannt@example.org"})
    mails = {mail.purpose: mail for mail in OutboxMail.objects.all()}
    assert set(mails) == {
        "account/email/email_confirmation_signup",
        "account/email/account_already_exists",
        "account/email/password_reset_key",
        "account/email/unknown_account",
    }
    found = [
        f"{purpose}: {problem}"
        for purpose, mail in mails.items()
        for problem in problems(mail.subject + "\n" + mail.body)
    ]
    assert not found, "\n".join(found)
