from django.urls import reverse


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
    category.translations = {"en": "Illegal dumping"}
    category.save()
    url = reverse("concerns:report", args=[district.slug])
    assert "Wilder Müll" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert "Illegal dumping" in client.get(url).content.decode()
