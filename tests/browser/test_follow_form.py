"""Following a concern by e-mail: an error keeps the concern's page and leads to the error."""

import pytest
from playwright.sync_api import expect

from kiezwerk.core.models import Follower

from ..factories import ConcernFactory

TITLE = "Laterne am Spielplatz defekt"


@pytest.fixture
def concern(district, category):
    return ConcernFactory(district=district, category=category, title=TITLE)


def follow(page, email):
    form = page.get_by_role("region", name="Per E-Mail verfolgen")
    form.get_by_label("Ihre E-Mail-Adresse").fill(email)
    form.get_by_role("button", name="Verfolgen").click()


def test_an_error_keeps_the_page_and_focuses_the_message(page, live_server, concern, axe_check):
    page.goto(live_server.url + concern.get_absolute_url())
    follow(page, "nachbar-at-example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Ihre E-Mail-Adresse")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    # The summary links to the field, which keeps what was typed.
    summary.get_by_role("link").click()
    expect(page.get_by_label("Ihre E-Mail-Adresse")).to_be_focused()
    expect(page.get_by_label("Ihre E-Mail-Adresse")).to_have_value("nachbar-at-example.org")
    axe_check(page)
    assert not Follower.objects.exists()


def test_without_javascript_the_error_is_shown_at_the_top_of_the_form(page_without_js, live_server, concern):
    page = page_without_js
    page.goto(live_server.url + concern.get_absolute_url())
    follow(page, "")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    summary = page.locator("#error-summary")
    expect(summary).to_be_in_viewport()
    form = page.locator(".follow form")
    assert form.evaluate("form => form.firstElementChild.id") == "error-summary"
    assert not Follower.objects.exists()


def test_a_valid_address_is_followed_without_an_error(page, live_server, concern):
    page.goto(live_server.url + concern.get_absolute_url())
    follow(page, "nachbar@example.org")
    expect(page.locator(".messages")).to_contain_text("Bitte bestätigen Sie")
    expect(page.locator("#error-summary")).to_have_count(0)
    expect(page.locator(".messages")).to_be_in_viewport()  # the page opens at the top, with the message
    assert Follower.objects.get().email == "nachbar@example.org"


def test_following_a_project_on_a_phone(page, live_server, district, manager, axe_check):
    from ..projects.conftest import project_made

    project = project_made(district, manager, title="Frühjahrsputz Lindenplatz")
    page.goto(live_server.url + project.get_absolute_url())
    follow(page, "nachbarin-at-example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Frühjahrsputz Lindenplatz")
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(page.get_by_label("Ihre E-Mail-Adresse")).to_have_value("nachbarin-at-example.org")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    axe_check(page)
    page.get_by_label("Ihre E-Mail-Adresse").fill("nachbarin@example.org")
    page.get_by_role("region", name="Per E-Mail verfolgen").get_by_role("button", name="Verfolgen").click()
    expect(page.locator(".messages")).to_contain_text("Bitte bestätigen Sie")
    expect(page.get_by_role("region", name="Per E-Mail verfolgen")).to_contain_text("Sie verfolgen dieses Projekt")
    axe_check(page)
    assert Follower.objects.get().email == "nachbarin@example.org"
