import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from ..factories import UserFactory


def test_german_is_the_default(client, district):
    response = client.get("/")
    assert response.headers["Content-Language"] == "de"
    assert '<html lang="de"' in response.content.decode()
    assert "Anliegen melden" in response.content.decode()


def test_language_switcher_keeps_the_page(client, district):
    page = reverse("concerns:concern-list", args=[district.slug]) + "?status=new"
    response = client.post(reverse("set_language"), {"language": "en", "next": page})
    assert response.status_code == 302 and response.url == page
    english = client.get(page)
    assert '<html lang="en"' in english.content.decode()
    assert "Report a concern" in english.content.decode()
    client.post(reverse("set_language"), {"language": "de", "next": page})
    assert "Anliegen melden" in client.get(page).content.decode()


def test_switcher_form_offers_the_other_language_and_current_path(client, district):
    body = client.get(reverse("concerns:district-map", args=[district.slug])).content.decode()
    assert f'name="next" value="/districts/{district.slug}/"' in body
    assert 'value="en" lang="en"' in body


def test_category_names_follow_the_language(client, district, category):
    category.name_en = "Illegal dumping"
    category.save()
    url = reverse("concerns:report", args=[district.slug])
    assert "Wilder Müll" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert "Illegal dumping" in client.get(url).content.decode()


# The seven languages (issue G) -----------------------------------------------------------------------

SEVEN = ["de", "en", "tr", "ar", "ru", "uk", "pl"]


@pytest.mark.parametrize("code", SEVEN)
def test_every_language_serves_the_pages_in_it_and_arabic_right_to_left(client, district, code):
    client.post(reverse("set_language"), {"language": code, "next": "/"})
    body = client.get(reverse("concerns:district-map", args=[district.slug])).content.decode()
    with translation.override(code):
        report = gettext("Report a concern")
    assert f'<html lang="{code}" dir="{"rtl" if code == "ar" else "ltr"}">' in body
    assert report in body and (code in ("de", "en") or report != "Anliegen melden")
    # The switch offers the six others, each named in its own language, and keeps the page.
    offered = re.findall(r'name="language" value="(\w+)" lang="\w+"', body)
    assert sorted(offered) == sorted(c for c in SEVEN if c != code)


def test_a_signed_in_persons_choice_is_kept_for_their_next_device(client, district):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "uk", "next": "/"})
    user.refresh_from_db()
    assert user.language == "uk"
    other_device = Client()
    other_device.force_login(user)
    with translation.override("uk"):
        assert gettext("Report a concern") in other_device.get("/").content.decode()
    assert '<html lang="uk"' in other_device.get("/").content.decode()
    # A visitor's choice is a cookie only.
    visitor = Client()
    visitor.post(reverse("set_language"), {"language": "pl", "next": "/"})
    assert '<html lang="pl"' in visitor.get("/").content.decode()


def test_the_check_fails_when_a_catalogue_lacks_a_string(settings, tmp_path):
    import shutil

    import polib
    from django.core.management import CommandError, call_command

    shutil.copytree(settings.LOCALE_PATHS[0], tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("checktranslations")  # complete as committed
    path = tmp_path / "locale/tr/LC_MESSAGES/django.po"
    catalogue = polib.pofile(str(path))
    catalogue.remove(next(e for e in catalogue if e.msgid == "Report a concern"))
    catalogue.save(str(path))
    with pytest.raises(CommandError, match=r"tr/LC_MESSAGES/django.po: missing: 'Report a concern'"):
        call_command("checktranslations")


def test_the_check_fails_when_the_code_has_a_string_the_catalogues_lack(settings, tmp_path):
    import shutil

    import polib
    from django.core.management import CommandError, call_command

    shutil.copytree(settings.LOCALE_PATHS[0], tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    for code, _name in settings.LANGUAGES:  # gone from every catalogue, as when a new string was never added
        path = tmp_path / f"locale/{code}/LC_MESSAGES/django.po"
        catalogue = polib.pofile(str(path))
        catalogue.remove(next(e for e in catalogue if e.msgid == "Which category fits?"))
        catalogue.save(str(path))
    with pytest.raises(CommandError, match=r"not in the catalogue \(make messages\): 'Which category fits\?'"):
        call_command("checktranslations")


def test_the_strings_are_read_from_code_and_templates(tmp_path):
    from kiezwerk.core.management.commands.checktranslations import source_entries

    package = tmp_path / "pkg"
    (package / "templates").mkdir(parents=True)
    (package / "views.py").write_text('from django.utils.translation import gettext as _\n_("From the code")\n')
    (package / "templates/page.html").write_text('{% load i18n %}{% translate "From a template" context "x" %}')
    assert source_entries(package) >= {(None, "From the code"), ("x", "From a template")}
