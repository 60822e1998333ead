"""The network directory through its services and pages: rules, the 12-month flag, conversation notes, bounds."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kiezwerk.core.models import AuditEvent, Entry
from kiezwerk.desk.models import FieldNote
from kiezwerk.network.models import (
    Contact,
    LegalBasis,
    Organisation,
    OrganisationKind,
    Relationship,
    Visibility,
)
from kiezwerk.network.selectors import directory as selectors
from kiezwerk.network.services import directory as services

from ..factories import CategoryFactory, ConcernFactory, district_create, referral_answered


def codes(error):
    return {item.code for items in error.error_dict.values() for item in items}


def organisation(district, name="Stadtteilmütter e.V.", **kwargs):
    row = Organisation.objects.create(name=name, kind=kwargs.pop("kind", OrganisationKind.ASSOCIATION), **kwargs)
    if district is not None:
        row.districts.add(district)
    return row


def person(district, name="Ayşe Yılmaz", confirmed=None, **kwargs):
    row = Contact.objects.create(
        name=name,
        legal_basis=LegalBasis.PUBLIC_TASK,
        last_confirmed_on=confirmed or timezone.localdate(),
        **kwargs,
    )
    if district is not None:
        row.districts.add(district)
    return row


@pytest.fixture
def desk(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def city_district(district):
    district.city = "Augsburg"
    district.save(update_fields=["city"])
    return district


# Directory ----------------------------------------------------------------------------------------


def test_directory_lists_whom_the_district_is_served_by(desk, city_district, other_district):
    organisation(city_district, "Jugendhaus")
    organisation(None, "Stadtreinigung", city="augsburg", whole_city=True, kind=OrganisationKind.CITY_OFFICE)
    organisation(other_district, "Nachbarschaftshilfe drüben")
    organisation(None, "Tafel München", city="München", whole_city=True)
    body = desk.get(reverse("network:directory", args=[city_district.slug])).content.decode()
    assert "Jugendhaus" in body and "Stadtreinigung" in body
    assert "drüben" not in body and "München" not in body


def test_directory_filters(desk, district):
    CategoryFactory(district=district, slug="youth", name_de="Jugend")
    organisation(district, "Jugendhaus", topics=["youth"], languages=["de", "tr"], visibility=Visibility.PUBLIC)
    organisation(district, "Moschee", kind=OrganisationKind.RELIGIOUS, languages=["ar"], competencies="Übersetzen")
    url = reverse("network:directory", args=[district.slug])

    def names(**query):
        body = desk.get(url, query).content.decode()
        return {name for name in ("Jugendhaus", "Moschee") if name in body}

    assert names() == {"Jugendhaus", "Moschee"}
    assert names(topic="youth") == {"Jugendhaus"}
    assert names(language="tr") == {"Jugendhaus"}
    assert names(language="ar") == {"Moschee"}
    assert names(kind="religious") == {"Moschee"}
    assert names(visibility="public") == {"Jugendhaus"}
    assert names(q="übersetz") == {"Moschee"}
    # An unknown choice is an error at its field, and the list stays unfiltered.
    response = desk.get(url, {"kind": "pub"})
    assert response.status_code == 200 and names(kind="pub") == {"Jugendhaus", "Moschee"}


def test_directory_page_is_bounded(desk, district, django_assert_max_num_queries):
    for number in range(30):
        row = organisation(district, f"Verein {number:02}", topics=["x"], languages=["de"])
        person(None, f"Person {number}", organisation=row, confirmed=date(2020, 1, 1))
    with django_assert_max_num_queries(10):
        response = desk.get(reverse("network:directory", args=[district.slug]))
    assert response.status_code == 200
    assert "Verein 00" in response.content.decode()
    with django_assert_max_num_queries(10):
        assert desk.get(reverse("network:contacts", args=[district.slug])).status_code == 200


# Contacts and the 12-month flag ---------------------------------------------------------------------


def test_contacts_not_confirmed_for_a_year_are_flagged_and_counted(desk, district, settings):
    settings.CONTACT_CONFIRM_MONTHS = 12
    today = timezone.localdate()
    fresh = person(district, "Frisch Bestätigt", confirmed=today - timedelta(days=300))
    stale = person(district, "Lange Her", confirmed=selectors.months_before(today, 12) - timedelta(days=1))
    edge = person(district, "Genau Ein Jahr", confirmed=selectors.months_before(today, 12))
    flagged = {c.pk for c in selectors.contact_list_for_district(district=district) if c.is_stale}
    assert flagged == {stale.pk}
    assert selectors.contact_stale_count(district=district) == 1
    only = selectors.contact_list_for_district(district=district, unconfirmed=True)
    assert [c.pk for c in only] == [stale.pk]

    directory = desk.get(reverse("network:directory", args=[district.slug])).content.decode()
    assert f"{reverse('network:contacts', args=[district.slug])}?unconfirmed=on" in directory
    page = desk.get(reverse("network:contacts", args=[district.slug]), {"unconfirmed": "on"}).content.decode()
    assert "Lange Her" in page and "Frisch Bestätigt" not in page and edge.name not in page
    assert "badge--stale" in page
    assert fresh.pk


def test_confirmed_today_clears_the_flag_and_is_audited(desk, district, manager):
    stale = person(district, "Lange Her", confirmed=date(2019, 5, 1))
    url = reverse("network:contact-confirm", args=[district.slug, stale.pk])
    back = reverse("network:contacts", args=[district.slug]) + "?unconfirmed=on"
    response = desk.post(url, {"next": back})
    assert response.status_code == 302 and response.url == back
    stale.refresh_from_db()
    assert stale.last_confirmed_on == timezone.localdate()
    event = AuditEvent.objects.get(verb="contact.confirmed")
    assert (event.actor, event.district) == (manager, district)
    # An address outside the site is not followed.
    assert desk.post(url, {"next": "https://evil.example/"}).url == reverse("network:contact", args=[stale.pk])


def test_contact_needs_legal_basis_and_confirmation_date(desk, district):
    url = reverse("network:contact-create", args=[district.slug])
    response = desk.post(url, {"name": "Herr Berger", "legal_basis": "", "last_confirmed_on": ""})
    assert response.status_code == 400
    form = response.context["form"]
    assert {e.code for e in form.errors.as_data()["legal_basis"]} == {"required"}
    assert {e.code for e in form.errors.as_data()["last_confirmed_on"]} == {"required"}
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Contact.objects.exists()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = desk.post(url, {"name": "Herr Berger", "legal_basis": "contract", "last_confirmed_on": tomorrow})
    assert response.status_code == 400
    assert {e.code for e in response.context["form"].errors.as_data()["last_confirmed_on"]} == {"future"}
    assert not Contact.objects.exists()


def test_contact_services_refuse_bad_input(district, other_district, manager):
    elsewhere = organisation(other_district, "Drüben e.V.")
    base = {
        "name": "Frau Kaya",
        "role": "",
        "organisation": None,
        "email": "",
        "phone": "",
        "channels": "",
        "languages": [],
        "notes": "",
        "legal_basis": LegalBasis.CONSENT,
        "consent_note": "",
        "last_confirmed_on": timezone.localdate(),
    }
    cases = [
        ({}, "consent_note"),
        ({"legal_basis": ""}, "legal_basis"),
        ({"consent_note": "mündlich", "organisation": elsewhere}, "organisation"),
        ({"consent_note": "mündlich", "email": "kein-mail"}, "invalid"),
        ({"consent_note": "mündlich", "legal_basis": "gut gefühlt"}, "invalid_choice"),
    ]
    for change, code in cases:
        with pytest.raises(ValidationError) as error:
            services.contact_save(district=district, actor=manager, **{**base, **change})
        assert code in codes(error.value), change
    assert not Contact.objects.exists() and not AuditEvent.objects.filter(verb__startswith="contact.").exists()
    saved = services.contact_save(district=district, actor=manager, **{**base, "consent_note": "mündlich, 3.2."})
    assert list(saved.districts.all()) == [district]
    assert AuditEvent.objects.get(verb="contact.created").data["fields"]  # names of fields, no values
    assert "Frau Kaya" not in str(AuditEvent.objects.get(verb="contact.created").data)


def test_organisation_form_creates_and_edits(desk, district, manager):
    CategoryFactory(district=district, slug="youth", name_de="Jugend")
    url = reverse("network:organisation-create", args=[district.slug])
    data = {
        "name": "Jugendhaus Kiez",
        "kind": "association",
        "districts": [str(district.pk)],
        "topics": ["youth"],
        "languages": ["de", "tr"],
        "visibility": "internal",
        "is_active": "on",
        "lat": "48.38",
        "lon": "10.87",
    }
    response = desk.post(url, data)
    saved = Organisation.objects.get()
    assert response.status_code == 302 and response.url == saved.get_absolute_url()
    assert (saved.topics, saved.languages, list(saved.districts.all())) == (["youth"], ["de", "tr"], [district])
    edit = reverse("network:organisation-edit", args=[district.slug, saved.pk])
    assert desk.get(edit).context["form"]["name"].value() == "Jugendhaus Kiez"
    desk.post(edit, {**data, "name": "Jugendhaus am Kiez"})
    assert Organisation.objects.get().name == "Jugendhaus am Kiez"
    verbs = AuditEvent.objects.filter(verb__startswith="organisation.").order_by("pk").values_list("verb", flat=True)
    assert list(verbs) == ["organisation.created", "organisation.changed"]


def test_organisation_bad_input_saves_nothing(desk, district, other_district, manager):
    url = reverse("network:organisation-create", args=[district.slug])
    base = {"name": "X", "kind": "association", "districts": [str(district.pk)], "visibility": "internal"}
    cases = [
        ({"name": ""}, "name", "required"),
        ({"kind": "club"}, "kind", "invalid_choice"),
        ({"lat": "48.3"}, "lat", "position"),
        ({"lat": "148", "lon": "10"}, "lat", "max_value"),
        ({"districts": []}, "districts", "not_served"),
        ({"districts": [], "whole_city": "on"}, "city", "city"),
        ({"districts": [str(other_district.pk)]}, "districts", "invalid_choice"),  # not their district
        ({"website": "nicht eine adresse"}, "website", "invalid"),
    ]
    for change, field, code in cases:
        response = desk.post(url, {**base, **change})
        assert response.status_code == 400, change
        errors = response.context["form"].errors.as_data()
        assert code in {e.code for e in errors.get(field, [])}, (change, errors)
    assert (
        not Organisation.objects.exists() and not AuditEvent.objects.filter(verb__startswith="organisation.").exists()
    )


def test_editing_keeps_districts_the_manager_does_not_look_after(desk, district, other_district, manager):
    shared = organisation(district, "Caritas")
    shared.districts.add(other_district)
    url = reverse("network:organisation-edit", args=[district.slug, shared.pk])
    data = {"name": "Caritas", "kind": "social_service", "districts": [str(district.pk)], "visibility": "public"}
    assert desk.post(url, data).status_code == 302
    assert set(shared.districts.all()) == {district, other_district}


# Relationships and interactions --------------------------------------------------------------------


def test_relationship_is_shown_with_the_label_in_each_direction_and_kept_as_history(desk, district, manager):
    funder = organisation(district, "Stiftung Kiez")
    funded = organisation(district, "Jugendhaus")
    url = reverse("network:relationship-create", args=[district.slug])
    data = {
        "from_end": f"o{funder.pk}",
        "to_end": f"o{funded.pk}",
        "label": "fördert",
        "reverse_label": "gefördert von",
    }
    assert desk.post(url, data).status_code == 302
    relationship = Relationship.objects.get()
    assert "Stiftung Kiez <strong>fördert</strong>" in desk.get(funder.get_absolute_url()).content.decode()
    assert "Jugendhaus <strong>gefördert von</strong>" in desk.get(funded.get_absolute_url()).content.decode()

    end = reverse("network:relationship-end", args=[district.slug, relationship.pk])
    assert desk.post(end, {"end-ended_on": timezone.localdate().isoformat()}).status_code == 302
    relationship.refresh_from_db()
    assert relationship.ended_on == timezone.localdate()
    current, ended = selectors._relationships_of(organisation=funder)
    assert current == [] and [v.label for v in ended] == ["fördert"]
    # Ending it again is an error at the field; nothing changes.
    response = desk.post(end, {"end-ended_on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert {e.code for e in response.context["form"].errors.as_data()["ended_on"]} == {"ended"}
    verbs = AuditEvent.objects.filter(verb__startswith="relationship.").order_by("pk").values_list("verb", flat=True)
    assert list(verbs) == ["relationship.created", "relationship.ended"]


def test_relationship_bad_input(desk, district, other_district, manager):
    one = organisation(district, "Eins")
    foreign = organisation(other_district, "Fremd")
    url = reverse("network:relationship-create", args=[district.slug])
    base = {"from_end": f"o{one.pk}", "label": "kennt", "reverse_label": "kennt"}
    for change, field, code in [
        ({"to_end": f"o{one.pk}"}, "to_end", "same"),
        ({"to_end": f"o{foreign.pk}"}, "to_end", "invalid_choice"),
        ({"to_end": "", "label": ""}, "label", "required"),
    ]:
        response = desk.post(url, {**base, **change})
        assert response.status_code == 400
        assert code in {e.code for e in response.context["form"].errors.as_data()[field]}
    with pytest.raises(ValidationError) as error:
        services.relationship_save(
            district=district,
            actor=manager,
            from_end=one,
            to_end=foreign,
            label="kennt",
            reverse_label="kennt",
            started_on=timezone.localdate() + timedelta(days=3),
        )
    assert codes(error.value) == {"future"}
    assert not Relationship.objects.exists()


def test_interaction_log(desk, district, manager):
    partner_org = organisation(district, "Hausverwaltung Nord")
    url = reverse("network:interaction-create", args=[district.slug])
    response = desk.post(url, {"kind": "call", "at": "", "organisation": "", "contact": ""})
    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()
    assert {e.code for e in errors["at"]} == {"required"} and {e.code for e in errors["organisation"]} == {"partner"}
    future = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = desk.post(url, {"kind": "call", "at": future, "organisation": str(partner_org.pk)})
    assert {e.code for e in response.context["form"].errors.as_data()["at"]} == {"future"}
    assert not Entry.objects.exists()
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = desk.post(url, {"kind": "call", "at": now, "organisation": str(partner_org.pk), "note": "Müll geklärt"})
    assert response.status_code == 302 and response.url == partner_org.get_absolute_url()
    assert Entry.objects.get().author == manager
    assert "Müll geklärt" in desk.get(partner_org.get_absolute_url()).content.decode()


# Conversation notes from the desk -------------------------------------------------------------------


def test_conversation_notes_naming_a_partner_appear_in_its_activity(desk, district, other_district):
    org = organisation(district, "Stadtteilmütter")
    other_org = organisation(district, "Hausverwaltung")
    contact = person(district, "Ayşe Yılmaz", organisation=org)
    now = timezone.now()
    FieldNote.objects.create(district=district, at=now, met="die STADTTEILMÜTTER am Markt", text="Sprachcafé")
    FieldNote.objects.create(district=district, at=now, met="Frau ayşe yılmaz", text="Elternabend")
    FieldNote.objects.create(district=district, at=now, met="Hausmeister", text="nichts dazu")
    FieldNote.objects.create(district=other_district, at=now, met="Stadtteilmütter", text="anderes Viertel")
    org_page = desk.get(org.get_absolute_url()).content.decode()
    assert "Sprachcafé" in org_page and "nichts dazu" not in org_page and "anderes Viertel" not in org_page
    contact_page = desk.get(reverse("network:contact", args=[contact.pk])).content.decode()
    assert "Elternabend" in contact_page and "Sprachcafé" not in contact_page
    assert "nichts dazu" not in desk.get(other_org.get_absolute_url()).content.decode()


def test_activity_is_newest_first_and_merges_interactions(district, manager):
    org = organisation(district, "Stadtteilmütter")
    old = timezone.now() - timedelta(days=5)
    Entry.objects.create(district=district, kind="meeting", created_at=old, target=org, text="Treffen")
    FieldNote.objects.create(district=district, at=timezone.now(), met="Stadtteilmütter", text="Neu")
    detail = selectors.organisation_detail(organisation=org, districts=[district])
    assert [e.text for e in detail["activity"]] == ["Stadtteilmütter: Neu", "Treffen"]


def test_an_interaction_is_an_internal_entry_of_the_organisation_about_the_person(desk, district, manager):
    org = organisation(district, "Stadtteilmütter")
    other_org = organisation(district, "Hausverwaltung")
    ayse = person(district, "Ayşe Yılmaz", organisation=org)
    at = timezone.now() - timedelta(hours=2)
    met = services.interaction_record(
        district=district, actor=manager, kind="meeting", at=at, organisation=other_org, contact=ayse, note="Hoffest"
    )
    called = services.interaction_record(district=district, actor=manager, kind="call", at=at, contact=ayse, note="Ok")
    assert (met.target, met.context, met.created_at, met.is_public) == (other_org, ayse, at, False)
    assert (called.target, called.context) == (ayse, None)
    recorded = AuditEvent.objects.filter(verb="interaction.recorded").order_by("pk")
    assert [(a.target_type, a.target_id) for a in recorded] == [
        ("network.organisation", str(other_org.pk)),
        ("network.contact", str(ayse.pk)),
    ]
    with pytest.raises(ValidationError) as error:
        services.interaction_record(district=district, actor=manager, kind="note", at=at, contact=ayse)
    assert codes(error.value) == {"invalid_choice"}

    # Her organisation's page shows both, naming her; the other organisation's page its own one.
    org_page = desk.get(org.get_absolute_url()).content.decode()
    assert "Hoffest" in org_page and "Ok" in org_page
    assert [
        e.person for e in selectors.organisation_detail(organisation=other_org, districts=[district])["activity"]
    ] == ["Ayşe Yılmaz"]
    # Newest first; at the same time, the later entry first.
    assert [e.text for e in selectors.contact_detail(contact=ayse, districts=[district])["activity"]] == [
        "Ok",
        "Hoffest",
    ]
    # Both are hers in a privacy export.
    assert selectors.interactions_by_contact(contacts=[ayse], districts=[district]) == {ayse.pk: [called, met]}
    # Erasing her keeps the entries (anonymised); deleting the row takes her entries with it.
    assert services.contact_erase(contact=ayse, district=district, actor=manager) == "anonymised"
    ayse.delete()
    assert not Entry.objects.exists()


def test_a_conversation_note_made_into_an_entry_is_listed_once(district):
    org = organisation(district, "Stadtteilmütter")
    note = FieldNote.objects.create(district=district, at=timezone.now(), met="Stadtteilmütter", text="Sprachcafé")
    Entry.objects.create(
        district=district, kind="street", created_at=note.at, target=org, context=note, text="Sprachcafé"
    )
    detail = selectors.organisation_detail(organisation=org, districts=[district])
    assert [(e.text, e.field_note) for e in detail["activity"]] == [("Sprachcafé", None)]


def test_the_organisation_page_reads_its_activity_in_a_fixed_number_of_queries(
    desk, district, manager, django_assert_num_queries
):
    org = organisation(district, "Stadtteilmütter")
    people = [person(district, f"Person {n}", organisation=org) for n in range(3)]

    def log(count):
        for n in range(count):
            services.interaction_record(
                district=district,
                actor=manager,
                kind="call",
                at=timezone.now(),
                organisation=org,
                contact=people[n % 3],
            )

    log(1)
    desk.get(org.get_absolute_url())  # content types cached
    with CaptureQueriesContext(connection) as few:
        desk.get(org.get_absolute_url())
    log(20)
    with django_assert_num_queries(len(few)):
        assert desk.get(org.get_absolute_url()).content.decode().count("Person 2") >= 7


# Map ----------------------------------------------------------------------------------------


def test_map_lists_placed_and_unplaced_organisations(desk, district):
    organisation(district, "Auf der Karte", lat=48.38, lon=10.87)
    organisation(district, "Ohne Ort")
    response = desk.get(reverse("network:map", args=[district.slug]))
    assert [p["name"] for p in response.context["points"]] == ["Auf der Karte"]
    assert "Ohne Ort" in response.content.decode()
    assert 'id="network-points"' in response.content.decode()


def test_organisation_page_sums_up_its_referrals_and_folds_the_older_ones(desk, district):
    amt = organisation(district, "Amt für Abfallwirtschaft")
    category = CategoryFactory(district=district, slug="waste")
    now = timezone.now()
    outcomes = ["solved"] * 6 + ["partly", "not_solved", "not_responsible"]
    for i, outcome in enumerate(outcomes):  # solved in 2, 4, …, 14 days; the rest in 5
        took = 2 * (i + 1) if outcome in ("solved", "partly") else 5
        referral_answered(
            amt,
            ConcernFactory(district=district, category=category),
            sent=now - timedelta(days=60 + i),
            took_days=took,
            outcome=outcome,
        )
    referral_answered(
        amt, ConcernFactory(district=district, category=category), sent=now - timedelta(days=50), status="rejected"
    )
    for i in range(2):
        referral_answered(
            amt, ConcernFactory(district=district, category=category), sent=now - timedelta(days=i), status="sent"
        )
    elsewhere = district_create("Anderswo", lat=48.5)
    referral_answered(amt, ConcernFactory(district=elsewhere), sent=now - timedelta(days=3))  # not counted here
    body = desk.get(reverse("network:organisation", args=[amt.pk])).content.decode()
    record = " ".join(body.split('id="referral-record">')[1].split("</p>")[0].split())
    assert record == "7 von 10 beantworteten gelöst (auch teilweise), Median 8 Tage · 2 offen"
    shown, folded = body.split('id="referrals-heading"')[1].split('<details class="more">')
    assert shown.count("<li>") == 10 and "Die übrigen 2 anzeigen" in folded
    assert folded.split("</details>")[0].count("<li>") == 2


def test_pages_work_for_an_empty_district(desk, district):
    for name in (
        "directory",
        "contacts",
        "map",
        "graph",
        "organisation-create",
        "contact-create",
        "relationship-create",
        "interaction-create",
    ):
        assert desk.get(reverse(f"network:{name}", args=[district.slug])).status_code == 200, name


def test_whole_city_organisation_is_seen_by_every_district_of_the_city(client, db):
    from kiezwerk.accounts.models import RoleKind

    from ..conftest import _user_with_role

    north = district_create("Nord", lat=48.40, lon=10.90, city="Augsburg")
    south = district_create("Süd", lat=48.30, lon=10.90, city="Augsburg")
    shared = organisation(None, "Stadtbücherei", city="Augsburg", whole_city=True)
    client.force_login(_user_with_role(RoleKind.MANAGER, south))
    assert client.get(shared.get_absolute_url()).status_code == 200
    assert {d.pk for d in selectors.organisation_districts(shared)} == {north.pk, south.pk}
