"""Leichte Sprache and the accessibility feedback on a 360 px phone, checked with axe-core."""

from playwright.sync_api import expect

from kiezwerk.core.models import AccessibilityFeedback

from .conftest import log_in


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_leichte_sprache_from_the_footer(page, live_server, district, axe_check):
    page.goto(f"{live_server.url}/districts/{district.slug}/concerns/")
    page.get_by_role("contentinfo").get_by_role("link", name="Leichte Sprache").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiezwerk in Leichter Sprache")
    assert page.locator(".easy-read").get_attribute("lang") == "de"
    assert page_width(page) <= 360
    axe_check(page)


def test_leichte_sprache_stays_german_under_a_turkish_interface(page, live_server, axe_check):
    page.context.add_cookies([{"name": "django_language", "value": "tr", "url": live_server.url}])
    page.goto(f"{live_server.url}/leichte-sprache/")
    assert page.locator("html").get_attribute("lang") == "tr"
    expect(page.get_by_text("Bu sayfa kolay Almancadır")).to_be_visible()
    expect(page.get_by_role("heading", level=2).first).to_have_text("Was ist Kiezwerk?")
    assert page_width(page) <= 360
    axe_check(page)


def test_a_barrier_is_reported_from_the_page_it_is_on(page, live_server, district, axe_check):
    page.goto(f"{live_server.url}/districts/{district.slug}/concerns/")
    page.get_by_role("contentinfo").get_by_role("link", name="Barrierefreiheit").click()
    expect(page.get_by_label("Auf welcher Seite?")).to_have_value(f"/districts/{district.slug}/concerns/")
    page.get_by_role("button", name="Rückmeldung senden").click()
    expect(page.get_by_text("Bitte beschreiben Sie die Barriere.")).to_be_visible()
    assert page_width(page) <= 360
    axe_check(page)  # with the error shown
    page.get_by_label("Was ist die Barriere?").fill("Die Liste ist mit Vergrößerung schwer zu lesen.")
    page.get_by_label("Ihre E-Mail-Adresse").fill("leser@example.org")
    page.get_by_role("button", name="Rückmeldung senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Danke für Ihre Rückmeldung")
    axe_check(page)
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.district, feedback.email) == (district, "leser@example.org")


def test_the_team_answers_in_the_desk(page, live_server, district, manager, axe_check):
    AccessibilityFeedback.objects.create(district=district, text="Kontrast zu schwach", email="leser@example.org")
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/desk/{district.slug}/accessibility/")
    assert page_width(page) <= 360
    axe_check(page)
    page.get_by_label("Antwort").fill("Wir haben den Kontrast verstärkt.")
    page.get_by_role("button", name="Antwort speichern und senden").click()
    expect(page.get_by_text("Die Antwort ist gespeichert und wird per E-Mail verschickt.")).to_be_visible()
    expect(page.get_by_text("Wir haben den Kontrast verstärkt.")).to_be_visible()
    axe_check(page)
