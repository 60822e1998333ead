"""The accessibility statement has what BITV 2.0 and the model statement of (EU) 2018/1523 ask for."""

from datetime import date

import pytest
from django.urls import reverse


@pytest.fixture
def statement(client, settings):
    settings.ACCESSIBILITY_STATEMENT_DATE = date(2026, 3, 2)
    settings.ACCESSIBILITY_REVIEWED_ON = date(2026, 11, 28)
    settings.OPERATOR_NAME = "Quartiersbüro Oberhausen"
    settings.OPERATOR_ADDRESS = "Donauwörther Straße 1, 86154 Augsburg"
    settings.OPERATOR_EMAIL = "barrieren@example.org"
    response = client.get(reverse("core:accessibility"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_names_when_it_was_prepared_and_last_reviewed(statement):
    assert "Erstellung dieser Erklärung" in statement
    assert "Diese Erklärung wurde am 2. März 2026 erstellt und zuletzt am 28. November 2026 überprüft." in statement


def test_it_says_how_to_report_a_barrier(statement):
    assert "Feedback und Kontakt" in statement
    assert "Quartiersbüro Oberhausen" in statement
    assert "Donauwörther Straße 1, 86154 Augsburg" in statement
    assert '<a href="mailto:barrieren@example.org">barrieren@example.org</a>' in statement


def test_it_names_the_conciliation_body_under_section_16_bgg(statement):
    assert "Schlichtungsverfahren" in statement
    assert "Schlichtungsstelle nach § 16 BGG" in statement
    assert "Mauerstraße 53, 10117 Berlin" in statement
    assert 'href="https://www.schlichtungsstelle-bgg.de"' in statement
    assert 'href="mailto:info@schlichtungsstelle-bgg.de"' in statement


def test_it_states_its_compliance_and_what_is_not_accessible(statement):
    assert "teilweise mit der BITV 2.0" in statement
    assert "Nicht barrierefreie Inhalte" in statement


def test_the_english_statement_has_the_same_parts(client, settings):
    response = client.get(reverse("core:accessibility"), headers={"accept-language": "en"})
    text = response.content.decode()
    for part in ("Preparation of this statement", "Feedback and contact", "Enforcement procedure", "§ 16 BGG"):
        assert part in text
    assert f"mailto:{settings.OPERATOR_EMAIL}" in text
