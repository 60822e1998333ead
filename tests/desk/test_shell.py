"""The desk is a shell: the apps add their staff screens to the navigation, the desk names none of them."""

from pathlib import Path

from django.urls import reverse

from kiezwerk.desk import shell


def test_the_navigation_lists_the_screens_the_apps_registered(client, district, manager):
    client.force_login(manager)
    page = client.get(reverse("desk:inbox", args=[district.slug])).content.decode()
    nav = page[page.index('class="desk-nav"') :].split("</nav>")[0]
    expected = [url for _label, url in shell.screens(district)]
    assert [url for url in expected if f'href="{url}"' in nav] == expected
    assert reverse("network:directory", args=[district.slug]) in expected  # added by the network app
    assert f'href="{reverse("desk:inbox", args=[district.slug])}" aria-current="page"' in nav


def test_the_desk_template_names_no_other_app():
    template = Path(__file__).parents[2] / "kiezwerk/templates/desk/_nav.html"
    assert "network:" not in template.read_text()
