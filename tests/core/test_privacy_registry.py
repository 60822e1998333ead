"""The privacy registry: every app's personal data found, exported and erased from the desk's page, and retention."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from kiezwerk.accounts.models import RoleKind, User
from kiezwerk.concerns.models import Concern, ConcernStatus
from kiezwerk.core import privacy
from kiezwerk.core.models import AuditEvent, Entry
from kiezwerk.core.tasks import privacy_retention_task
from kiezwerk.network.models import Contact, LegalBasis, Organisation, Relationship

from ..factories import ConcernFactory, RoleFactory, UserFactory

ADDRESS = "m.weber@stadtteilladen.example"
PHONE = "+49 521 12345"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def desk(client, manager):
    client.force_login(manager)
    return client


def page(district):
    return reverse("desk:privacy", args=[district.slug])


def contact_person(district, **fields):
    """A contact person working at an organisation that serves `district`."""
    organisation = Organisation.objects.create(name=f"Stadtteilladen {district.name}", kind="association")
    organisation.districts.add(district)
    fields.setdefault("name", "Maria Weber")
    return Contact.objects.create(
        organisation=organisation,
        role="Leitung",
        legal_basis=LegalBasis.CONSENT,
        consent_note="Mündlich am Infostand, 3. März",
        last_confirmed_on=timezone.localdate() - timedelta(days=500),
        channels="Signal",
        notes="Mag keine Anrufe vor 10 Uhr",
        languages=["de", "pl"],
        **fields,
    )


def assert_audit_names_nobody(*values):
    for event in AuditEvent.objects.all():
        stored = json.dumps(event.data) + event.target_id
        assert all(value not in stored for value in values), event.verb


# Values ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling", ["0521 12345", "+49 521 12345", "0049 521 12345", "+49 (0)521 12345", "0521/12345"]
)
def test_phone_numbers_compare_in_any_german_spelling(spelling):
    assert privacy.phone_key(spelling) == privacy.phone_key("0521-12345") == "4952112345"


def test_foreign_and_german_numbers_stay_apart():
    assert privacy.phone_key("+43 1 234567") != privacy.phone_key("0431 234567")  # Vienna is not Kiel
    assert privacy.phone_key("0043 1 234567") == privacy.phone_key("+43 1 234567")


def test_each_app_declares_its_personal_data():
    keys = [provider.key for provider in privacy.providers()]
    assert keys == ["mails", "accessibility", "accounts", "concerns", "network", "projects", "events"]


# The network's contact persons ----------------------------------------------------------------------


def test_a_contact_person_is_found_exported_and_erased_by_email(desk, district):
    contact = contact_person(district, email=ADDRESS, phone=PHONE)

    found = desk.post(page(district), {"email": ADDRESS.upper(), "action": "find"})
    assert found.status_code == 200
    assert "Maria Weber" in found.content.decode()
    assert reverse("network:contact", args=[contact.pk]) in found.content.decode()

    export = json.loads(desk.post(page(district), {"email": ADDRESS, "action": "export"}).content)
    [exported] = export["contacts"]
    assert (exported["name"], exported["email"], exported["phone"]) == ("Maria Weber", ADDRESS, PHONE)
    assert exported["consent_note"] == "Mündlich am Infostand, 3. März" and exported["notes"]

    response = desk.post(page(district), {"email": ADDRESS, "action": "erase", "confirm": "on"})
    assert response.status_code == 302
    # Nothing refers to this person: the entry is gone.
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Organisation.objects.filter(pk=contact.organisation_id).exists()
    assert AuditEvent.objects.get(verb="contact.deleted").target_id == str(contact.pk)
    assert AuditEvent.objects.get(verb="privacy.erased").data["contacts_deleted"] == 1
    assert_audit_names_nobody(ADDRESS, "52112345")


def test_a_contact_person_is_found_by_phone_in_another_spelling_and_anonymised_when_history_refers_to_them(
    desk, district, manager
):
    contact = contact_person(district, phone="0521 12345")
    colleague = contact_person(district, name="Jan Nowak", phone="0521 99999")
    met = Entry.objects.create(
        district=district, kind="call", created_at=timezone.now(), target=contact, text="Rückruf"
    )
    knows = Relationship.objects.create(
        district=district, from_contact=contact, to_contact=colleague, label="kennt", reverse_label="kennt"
    )

    found = desk.post(page(district), {"phone": PHONE, "action": "find"}).content.decode()
    assert "Maria Weber" in found and "Jan Nowak" not in found
    export = json.loads(desk.post(page(district), {"phone": PHONE, "action": "export"}).content)
    assert [c["id"] for c in export["contacts"]] == [contact.pk]
    assert export["contacts"][0]["interactions"][0]["note"] == "Rückruf"

    desk.post(page(district), {"phone": PHONE, "action": "erase", "confirm": "on"})
    contact.refresh_from_db()
    assert contact.name == "Gelöschte Person"
    cleared = ("email", "phone", "role", "channels", "notes", "consent_note")
    assert [getattr(contact, field) for field in cleared] == [""] * len(cleared)
    assert contact.languages == [] and contact.last_confirmed_on == timezone.localdate()
    # The history keeps its ends; the colleague is untouched.
    assert Entry.objects.get(pk=met.pk).target == contact
    assert Relationship.objects.get(pk=knows.pk).from_contact_id == contact.pk
    assert Contact.objects.get(pk=colleague.pk).phone == "0521 99999"
    assert AuditEvent.objects.get(verb="contact.anonymised").actor == manager
    assert_audit_names_nobody("52112345", "0521 12345")
    # Found no more.
    assert "Gelöschte Person" not in desk.post(page(district), {"phone": PHONE, "action": "find"}).content.decode()


def test_a_contact_of_another_district_is_not_found_by_a_manager_who_does_not_look_after_it(
    desk, district, other_district, other_manager, client
):
    elsewhere = contact_person(other_district, email=ADDRESS, phone=PHONE)

    found = desk.post(page(district), {"email": ADDRESS, "phone": "0521 12345", "action": "find"}).content.decode()
    assert "Maria Weber" not in found
    export = json.loads(desk.post(page(district), {"email": ADDRESS, "action": "export"}).content)
    assert export["contacts"] == []
    desk.post(page(district), {"email": ADDRESS, "phone": PHONE, "action": "erase", "confirm": "on"})
    assert Contact.objects.get(pk=elsewhere.pk).email == ADDRESS

    client.force_login(other_manager)  # the manager who looks after it finds it
    assert "Maria Weber" in client.post(page(other_district), {"email": ADDRESS, "action": "find"}).content.decode()


# Other apps through the same page -------------------------------------------------------------------


def test_a_reporter_is_found_and_erased_by_phone_in_another_spelling(desk, district):
    concern = ConcernFactory(district=district, reporter_name="Herr Kaya", reporter_phone="0521 12345")
    stranger = ConcernFactory(district=district, reporter_name="Frau Lenz", reporter_phone="0521 54321")

    found = desk.post(page(district), {"phone": PHONE, "action": "find"}).content.decode()
    assert "Herr Kaya" in found and "Frau Lenz" not in found
    desk.post(page(district), {"phone": PHONE, "action": "erase", "confirm": "on"})
    concern.refresh_from_db()
    assert (concern.reporter_name, concern.reporter_phone) == ("", "")
    assert Concern.objects.get(pk=stranger.pk).reporter_phone == "0521 54321"


def test_an_account_is_listed_and_exported_but_not_erased_here(desk, district, other_district):
    account = UserFactory(email=ADDRESS, display_name="Maria Weber")
    RoleFactory(user=account, kind=RoleKind.VOLUNTEER, district=district)
    RoleFactory(user=account, kind=RoleKind.RESIDENT, district=other_district)  # not this manager's district

    found = desk.post(page(district), {"email": ADDRESS, "action": "find"}).content.decode()
    assert f"Konto {ADDRESS} (Ehrenamtliche/r: {district.name})" in found
    assert "Benutzerkonten werden hier nicht gelöscht" in found
    export = json.loads(desk.post(page(district), {"email": ADDRESS, "action": "export"}).content)
    [exported] = export["accounts"]
    assert exported["email"] == ADDRESS and exported["name"] == "Maria Weber"
    assert exported["roles"] == [{"district": district.slug, "role": "volunteer"}]

    desk.post(page(district), {"email": ADDRESS, "action": "erase", "confirm": "on"})
    assert User.objects.filter(pk=account.pk, email=ADDRESS).exists()


# Bad input changes nothing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer ein."),
        ({"email": "  ", "phone": " "}, "Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer ein."),
        ({"email": "m.weber@"}, "gültige E-Mail-Adresse"),
        ({"phone": "Maria Weber"}, "Bitte geben Sie eine Telefonnummer in Ziffern ein"),
        ({"phone": "12"}, "Bitte geben Sie eine Telefonnummer in Ziffern ein"),
    ],
)
@pytest.mark.parametrize("action", ["find", "export", "erase"])
def test_bad_input_gets_a_clear_error_and_changes_nothing(desk, district, data, message, action):
    contact = contact_person(district, email=ADDRESS, phone=PHONE)
    before = AuditEvent.objects.count()

    response = desk.post(page(district), {**data, "action": action, "confirm": "on"})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Contact.objects.get(pk=contact.pk).email == ADDRESS
    assert AuditEvent.objects.count() == before


def test_erase_without_confirmation_changes_nothing(desk, district):
    contact = contact_person(district, email=ADDRESS, phone=PHONE)
    concern = ConcernFactory(district=district, reporter_name="Maria Weber", reporter_email=ADDRESS)

    response = desk.post(page(district), {"email": ADDRESS, "phone": PHONE, "action": "erase"})

    assert response.status_code == 400
    assert "Maria Weber" in response.content.decode()  # still listed, with the confirmation asked for
    assert Contact.objects.get(pk=contact.pk).phone == PHONE
    assert Concern.objects.get(pk=concern.pk).reporter_email == ADDRESS
    assert not AuditEvent.objects.filter(verb__in=["privacy.erased", "contact.deleted", "contact.anonymised"]).exists()


def test_the_email_and_phone_never_travel_in_a_url(desk, district):
    contact_person(district, email=ADDRESS)
    response = desk.get(page(district), {"email": ADDRESS, "phone": PHONE})
    assert response.status_code == 200 and "Maria Weber" not in response.content.decode()


# Retention ------------------------------------------------------------------------------------------


class Recorder(privacy.Provider):
    key = "test"
    label = "Test"

    def __init__(self):
        self.asked = []

    def retain(self, *, now):
        self.asked.append(now)
        return {"rows": 3}


def old_closed_concern(district):
    concern = ConcernFactory(
        district=district, status=ConcernStatus.RESOLVED, reporter_name="Maria Weber", reporter_email=ADDRESS
    )
    Concern.objects.filter(pk=concern.pk).update(closed_at=timezone.now() - timedelta(days=800))
    return concern


def test_retention_runs_every_providers_rule(district, monkeypatch):
    recorder = Recorder()
    monkeypatch.setitem(privacy._providers, recorder.key, recorder)
    concern = old_closed_concern(district)
    now = timezone.now()

    done = privacy.retain(now=now)

    assert done == {
        "mails": {"mails": 0},
        "accessibility": {"accessibility": 0},
        "accounts": {},
        "concerns": {"concerns": 1},
        "network": {},
        "projects": {"anonymised": 0, "deleted": 0},
        "events": {"anonymised": 0, "deleted": 0},
        "test": {"rows": 3},
    }
    assert recorder.asked == [now]
    assert Concern.objects.get(pk=concern.pk).reporter_email == ""


def test_the_daily_task_and_the_command_run_the_retention_rules(district, monkeypatch, settings):
    recorder = Recorder()
    monkeypatch.setitem(privacy._providers, recorder.key, recorder)
    concern = old_closed_concern(district)

    privacy_retention_task()
    assert Concern.objects.get(pk=concern.pk).reporter_email == ""
    Concern.objects.filter(pk=concern.pk).update(reporter_email=ADDRESS)  # as if stored again
    call_command("privacy_retention", stdout=io.StringIO())
    assert Concern.objects.get(pk=concern.pk).reporter_email == ""
    assert len(recorder.asked) == 2

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "kiezwerk.core.tasks.privacy_retention_task" in scheduled
    assert all(callable(import_string(task)) for task in scheduled)
