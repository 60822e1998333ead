"""Content entered per language (issue G, item 5): category names and descriptions, the district's welcome text
and the operator's legal texts, each falling back to German and marked with the language it is shown in."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from kiezwerk.core.models import AuditEvent, District, LegalText

from ..factories import CategoryFactory

WELCOME_DE = "Willkommen im Quartier! Sie finden uns im Quartiersbüro."
WELCOME_AR = "مرحباً بكم في الحي! تجدوننا في مكتب الحي."


def in_language(code):
    client = Client()
    client.cookies["django_language"] = code
    return client


def test_category_names_and_descriptions_fall_back_to_german(district):
    group = CategoryFactory(
        district=district, slug="waste", name_de="Müll und Sauberkeit", name_en="", name_tr="Çöp ve temizlik"
    )
    CategoryFactory(
        district=district,
        parent=group,
        slug="bins",
        name_de="Überfüllte Mülleimer",
        name_en="",
        description_de="Öffentliche Mülleimer, die überquellen.",
        description_tr="Taşan çöp kutuları.",
    )
    url = reverse("concerns:report", args=[district.slug])
    turkish = in_language("tr").get(url).content.decode()
    assert "Çöp ve temizlik" in turkish and "Taşan çöp kutuları." in turkish
    assert "Überfüllte Mülleimer" in turkish  # no Turkish name: the German one
    polish = in_language("pl").get(url).content.decode()
    assert "Müll und Sauberkeit" in polish and "Öffentliche Mülleimer, die überquellen." in polish
    assert "Taşan" not in polish


def test_without_descriptions_the_report_form_has_no_empty_help(client, district, category):
    body = client.get(reverse("concerns:report", args=[district.slug])).content.decode()
    assert "category-help" not in body


@pytest.fixture
def desk(client, manager):
    client.force_login(manager)
    return client


def test_the_team_writes_the_welcome_text_and_each_language_sees_its_own_or_the_german(desk, district, manager):
    page = reverse("concerns:district-map", args=[district.slug])
    visitor = in_language("ar")
    assert WELCOME_AR not in visitor.get(page).content.decode()  # the shared page is kept now

    url = reverse("desk:welcome", args=[district.slug])
    response = desk.post(url, {"welcome_de": WELCOME_DE, "welcome_ar": WELCOME_AR})
    assert response.status_code == 302

    arabic = visitor.get(page).content.decode()  # the change replaced the shared page
    assert f'<div class="welcome" lang="ar" dir="rtl"><p>{WELCOME_AR}</p></div>' in arabic
    turkish = in_language("tr").get(page).content.decode()
    assert '<div class="welcome" lang="de" dir="ltr"><p>Willkommen im Quartier!' in turkish
    event = AuditEvent.objects.get(verb="district.welcome_changed")
    assert event.actor == manager and event.data == {"languages": ["de", "ar"]}
    form = desk.get(url).content.decode()
    assert 'lang="ar" dir="auto"' in form and WELCOME_AR in form


def test_a_translation_without_german_is_refused_and_kept_in_the_form(desk, district):
    url = reverse("desk:welcome", args=[district.slug])
    response = desk.post(url, {"welcome_de": "", "welcome_ar": WELCOME_AR})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Bitte schreiben Sie zuerst den deutschen Text" in body and WELCOME_AR in body
    response = desk.post(url, {"welcome_de": "x" * 601})
    assert response.status_code == 400 and "höchstens 600 Zeichen" in response.content.decode()
    district.refresh_from_db()
    assert district.welcome_de == district.welcome_ar == ""
    assert not AuditEvent.objects.filter(verb="district.welcome_changed").exists()


def test_saving_the_same_text_again_changes_nothing(desk, district):
    url = reverse("desk:welcome", args=[district.slug])
    desk.post(url, {"welcome_de": WELCOME_DE})
    version = District.objects.get(pk=district.pk).data_version
    desk.post(url, {"welcome_de": f"  {WELCOME_DE}\n"})
    assert District.objects.get(pk=district.pk).data_version == version
    assert AuditEvent.objects.filter(verb="district.welcome_changed").count() == 1


def test_only_the_districts_team_writes_its_welcome_text(client, district, resident, other_manager):
    url = reverse("desk:welcome", args=[district.slug])
    for user in (resident, other_manager):
        client.force_login(user)
        response = client.post(url, {"welcome_de": "Gekapert"})
        assert response.status_code in (302, 403, 404)
    district.refresh_from_db()
    assert district.welcome_de == ""


def test_the_operators_legal_text_in_each_language_or_german(district):
    LegalText.objects.create(
        page=LegalText.Page.IMPRINT,
        body_de="Vertreten durch: Erika Muster\n\nKontakt: https://example.org/kontakt <b>fett</b>",
        body_en="Represented by: Erika Muster",
    )
    url = reverse("core:imprint")
    english = in_language("en").get(url).content.decode()
    assert '<div lang="en" dir="ltr"><p>Represented by: Erika Muster</p></div>' in english
    arabic = in_language("ar").get(url).content.decode()
    assert '<div lang="de" dir="ltr"><p>Vertreten durch: Erika Muster</p>' in arabic
    assert '<a href="https://example.org/kontakt" rel="nofollow">https://example.org/kontakt</a>' in arabic
    assert "&lt;b&gt;fett&lt;/b&gt;" in arabic  # text, never markup
    assert "legal-text" not in in_language("de").get(reverse("core:privacy")).content.decode()  # none entered


@pytest.mark.django_db(transaction=True)
def test_the_old_names_per_language_move_into_the_new_fields():
    before = [("concerns", "0011_concern_language_choices"), ("core", "0006_accessibility_feedback")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    district = old.get_model("core", "District").objects.create(
        name="Alt", slug="alt", boundary={}, min_lat=0, max_lat=1, min_lon=0, max_lon=1
    )
    old.get_model("concerns", "Category").objects.create(
        district_id=district.pk, slug="waste", name="Müll", translations={"en": "Waste", "tr": "Çöp"}
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    category = new.get_model("concerns", "Category").objects.get(slug="waste")
    assert (category.name_de, category.name_en, category.name_tr, category.name_ar) == ("Müll", "Waste", "Çöp", "")
