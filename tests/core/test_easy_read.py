"""Kiezwerk in Leichte Sprache: German whatever the interface language, linked from every page's footer."""

import re

import pytest
from django.urls import reverse

from ..factories import ConcernFactory

FOOTER_LINK = '<a href="/leichte-sprache/" lang="de">Leichte Sprache</a>'


def body(response):
    return response.content.decode()


def test_the_page_explains_kiezwerk_the_team_reporting_and_help(client, settings):
    settings.OPERATOR_NAME = "Quartiersbüro Oberhausen"
    settings.OPERATOR_PHONE = "0821 123 45"
    settings.OPERATOR_EMAIL = "hallo@example.org"
    settings.TRIAGE_TARGET_DAYS = 3
    text = body(client.get(reverse("core:easy-read")))
    for part in (
        "Was ist Kiezwerk?",
        "Wer ist das Quartiers-Management?",
        "So melden Sie ein Anliegen",
        "Was passiert dann?",
        "Meistens in 3 Tagen.",
        "Sie brauchen Hilfe?",
        "Das Team heißt: Quartiersbüro Oberhausen",
        '<a href="tel:082112345">0821 123 45</a>',
        '<a href="mailto:hallo@example.org">hallo@example.org</a>',
        f'href="{reverse("concerns:report-start")}"',
    ):
        assert part in text


def test_without_a_phone_number_no_phone_is_offered(client, settings):
    settings.OPERATOR_PHONE = ""
    assert "anrufen" not in body(client.get(reverse("core:easy-read")))


@pytest.mark.parametrize("language", ["de", "tr", "ar"])
def test_the_text_stays_german_in_every_interface_language(client, language):
    client.cookies["django_language"] = language
    text = body(client.get(reverse("core:easy-read")))
    assert f'<html lang="{language}"' in text
    assert '<div class="easy-read" lang="de" dir="ltr">' in text
    assert "<h1>Kiezwerk in Leichter Sprache</h1>" in text
    assert "<title>Leichte Sprache – Kiezwerk</title>" in text
    assert FOOTER_LINK in text


def test_the_note_above_it_is_in_the_interface_language(client):
    client.cookies["django_language"] = "tr"
    assert "Bu sayfa kolay Almancadır (Leichte Sprache)" in body(client.get(reverse("core:easy-read")))
    client.cookies["django_language"] = "de"
    assert "Diese Seite ist in Leichter Sprache" in body(client.get(reverse("core:easy-read")))


def test_no_sentence_is_long(client):
    """One idea per line: no paragraph or list item of the German text has more than 15 words a line."""
    text = body(client.get(reverse("core:easy-read")))
    german = text.split('<div class="easy-read" lang="de" dir="ltr">')[1].split("</div>")[0]
    lines = [re.sub(r"<[^>]+>|\{[^}]*\}", "", line) for line in re.split(r"<br>|</p>|</li>|</h\d>", german)]
    assert max(len(line.split()) for line in lines) <= 15


def test_the_footer_links_it_on_every_page(client, district, manager):
    concern = ConcernFactory(district=district)
    for url in (
        reverse("core:home"),
        reverse("concerns:concern-list", args=[district.slug]),
        reverse("concerns:concern-detail", args=[concern.pk]),
    ):
        assert FOOTER_LINK in body(client.get(url)), url
    client.force_login(manager)
    assert FOOTER_LINK in body(client.get(reverse("desk:inbox", args=[district.slug])))


def test_the_footers_accessibility_link_names_the_page_it_is_on(client, district):
    text = body(client.get(reverse("concerns:concern-list", args=[district.slug])))
    assert f'href="/accessibility/?page=/districts/{district.slug}/concerns/"' in text
