"""Photos chosen in the report form are shown and can be removed before sending."""

import pytest
from playwright.sync_api import expect

from kiezwerk.concerns.models import Concern

from ..conftest import image_bytes


@pytest.fixture
def photos(tmp_path):
    wide, tall = tmp_path / "sperrmuell.jpg", tmp_path / "gehweg.png"
    wide.write_bytes(image_bytes("JPEG", size=(640, 480)))
    tall.write_bytes(image_bytes("PNG", size=(300, 400), colour=(20, 90, 200)))
    return wide, tall


def fill_report(page, category):
    page.fill("input[name=street]", "Donauwörther Straße")
    page.fill("input[name=house_number]", "12")
    page.select_option("select[name=category]", str(category.pk))
    page.fill("input[name=title]", "Sperrmüll auf dem Gehweg")
    page.fill("textarea[name=description]", "Zwei Sofas stehen seit Montag auf dem Gehweg.")


def chosen_files(page):
    return page.locator("input[name=photos]").evaluate("input => Array.from(input.files, file => file.name)")


def test_chosen_photos_are_shown_and_one_is_removed_with_the_keyboard(
    page, live_server, district, category, street, photos, axe_check
):
    wide, tall = photos
    page.goto(f"{live_server.url}/districts/{district.slug}/report/")
    fill_report(page, category)
    page.set_input_files("input[name=photos]", [str(wide), str(tall)])

    chosen = page.get_by_role("list", name="Ausgewählte Fotos")
    expect(chosen.get_by_role("listitem")).to_have_count(2)
    for image in chosen.locator("img").all():
        expect(image).to_be_visible()
        assert image.evaluate("image => image.complete && image.naturalWidth > 0")  # a real preview
    status = page.locator("[data-photo-status]")
    expect(status).to_have_text("2 Fotos ausgewählt.")
    axe_check(page)

    remove = chosen.get_by_role("button", name="Foto entfernen: sperrmuell.jpg")
    remove.focus()
    page.keyboard.press("Enter")
    expect(chosen.get_by_role("listitem")).to_have_count(1)
    expect(chosen).to_contain_text("gehweg.png")
    expect(status).to_have_text("Foto entfernt. 1 Foto ausgewählt.")
    # Focus stays in the list: on the button of the photo that is left.
    expect(chosen.get_by_role("button", name="Foto entfernen: gehweg.png")).to_be_focused()
    assert chosen_files(page) == ["gehweg.png"]

    page.get_by_role("button", name="Anliegen absenden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vielen Dank")
    photo = Concern.objects.get().photos.get()
    assert (photo.width, photo.height) == (300, 400)


def test_choosing_again_adds_and_the_last_removal_returns_to_the_input(page, live_server, district, photos):
    wide, tall = photos
    page.goto(f"{live_server.url}/districts/{district.slug}/report/")
    page.set_input_files("input[name=photos]", str(wide))
    page.set_input_files("input[name=photos]", str(tall))
    chosen = page.get_by_role("list", name="Ausgewählte Fotos")
    expect(chosen.get_by_role("listitem")).to_have_count(2)
    assert chosen_files(page) == ["sperrmuell.jpg", "gehweg.png"]
    chosen.get_by_role("button", name="Foto entfernen: gehweg.png").click()
    chosen.get_by_role("button", name="Foto entfernen: sperrmuell.jpg").click()
    expect(chosen).to_be_hidden()
    expect(page.locator("[data-photo-status]")).to_have_text("Foto entfernt. Kein Foto ausgewählt.")
    expect(page.locator("input[name=photos]")).to_be_focused()
    assert chosen_files(page) == []


def test_without_javascript_the_plain_file_input_sends_the_photo(
    page_without_js, live_server, district, category, street, photos
):
    page = page_without_js
    page.goto(f"{live_server.url}/districts/{district.slug}/report/")
    expect(page.locator("[data-photo-choice] ul")).to_be_hidden()
    fill_report(page, category)
    page.set_input_files("input[name=photos]", [str(path) for path in photos])
    page.get_by_role("button", name="Anliegen absenden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vielen Dank")
    assert Concern.objects.get().photos.count() == 2
