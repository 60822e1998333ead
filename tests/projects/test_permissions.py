"""Every URL of projects walked as anonymous, resident, volunteer, partner, another district's manager and the team."""

import json

import pytest
from django.urls import URLPattern, get_resolver, reverse

from kiezwerk.accounts.models import RoleKind
from kiezwerk.core.models import AuditEvent
from kiezwerk.projects.models import Material, ProjectPartner, ProjectTemplate, SignUp, Task
from kiezwerk.projects.services import volunteers

from ..conftest import _user_with_role
from ..factories import UserFactory
from .conftest import project_made, shift_made

# Open to everyone (a public project's pages) or to the holder of a secret link.
PUBLIC = {"list", "detail", "map", "follow", "signup", "shift-ics", "signup-confirm", "signup-cancel"}


def routes():
    resolver = get_resolver()
    app = next(p for p in resolver.url_patterns if getattr(p, "namespace", None) == "projects")
    return [(p.name, list(p.pattern.converters)) for p in app.url_patterns if isinstance(p, URLPattern)]


@pytest.fixture
def walk(district, manager):
    from kiezwerk.network.models import Organisation

    project = project_made(district, manager, visibility="internal")
    shift = shift_made(project, manager)
    organisation = Organisation.objects.create(name="Abfallwirtschaft", kind="city_office")
    organisation.districts.add(district)
    partner = ProjectPartner.objects.create(project=project, organisation=organisation, part="Container")
    task = Task.objects.create(project=project, title="Container bestellen")
    material = Material.objects.create(project=project, name="Handschuhe", needed=20)
    helper = UserFactory()
    signup = SignUp.objects.create(shift=shift, user=helper, status="registered", token="t" * 43)
    template = ProjectTemplate.objects.filter(district=district).first()
    return {
        "slug": district.slug,
        "pk": project.pk,
        "shift_id": shift.pk,
        "partner_id": partner.pk,
        "task_id": task.pk,
        "material_id": material.pk,
        "signup_id": signup.pk,
        "template_id": template.pk,
        "token": signup.token,
        "helper": helper,
    }


def urls(objects, *, only_staff=True):
    found = []
    for name, params in routes():
        if only_staff and name in PUBLIC:
            continue
        found.append(reverse(f"projects:{name}", kwargs={p: objects[p] for p in params}))
    return found


def test_the_walk_covers_every_url(walk):
    assert len(routes()) >= 30
    assert len(urls(walk)) == len(routes()) - len(PUBLIC)


def test_anonymous_visitors_are_sent_to_the_login(client, walk):
    for url in urls(walk):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("account_login")), url


@pytest.mark.parametrize("who", ["resident", "volunteer", "partner", "other_manager"])
def test_nobody_outside_the_team_gets_anything(request, client, who, walk, district):
    user = walk["helper"] if who == "volunteer" else request.getfixturevalue(who)
    client.force_login(user)
    audits = AuditEvent.objects.count()
    counts = [m.objects.count() for m in (Task, Material, SignUp, ProjectPartner, ProjectTemplate)]
    for url in urls(walk):
        for method in (client.get, client.post):
            response = method(url, {"text": "x", "status": "done", "reason": "x", "title": "x", "name": "x"})
            assert response.status_code in (403, 404), (who, url, response.status_code)
    # The internal project's public pages are missing for them too (404, like a project that does not exist).
    for name in ("detail",):
        url = reverse(f"projects:{name}", args=[walk["slug"], walk["pk"]])
        assert client.get(url).status_code == 404
    assert json.loads(client.get(reverse("projects:map", args=[walk["slug"]])).content)["features"] == []
    follow = reverse("projects:follow", args=[walk["slug"], walk["pk"]])
    assert client.post(follow, {"email": "a@example.org"}).status_code == 404
    assert AuditEvent.objects.count() == audits
    assert [m.objects.count() for m in (Task, Material, SignUp, ProjectPartner, ProjectTemplate)] == counts


def test_a_team_volunteer_role_is_not_staff(client, district, walk):
    """The desk's team role "volunteer" works on concerns in the street, but plans no projects."""
    client.force_login(_user_with_role(RoleKind.VOLUNTEER, district))
    assert client.get(reverse("projects:team-list", args=[walk["slug"]])).status_code == 403


def test_the_team_opens_every_page(client, manager, walk):
    client.force_login(manager)
    for name in (
        "team-list",
        "new",
        "templates",
        "template-new",
        "template-edit",
        "team-detail",
        "edit",
        "shift-edit",
        "material-edit",
    ):
        params = next(p for n, p in routes() if n == name)
        response = client.get(reverse(f"projects:{name}", kwargs={p: walk[p] for p in params}))
        assert response.status_code == 200, name
    # An internal project's public page is open to its team only.
    assert client.get(reverse("projects:detail", args=[walk["slug"], walk["pk"]])).status_code == 200


def test_a_secret_link_opens_only_its_own_sign_up(client, walk):
    assert client.get(reverse("projects:signup-cancel", args=[walk["token"]])).status_code == 200
    assert client.get(reverse("projects:signup-cancel", args=["u" * 43])).status_code == 404
    assert client.post(reverse("projects:signup-confirm", args=["u" * 43])).status_code == 404


def test_the_district_slug_must_match(client, walk, other_district, district, manager):
    project = project_made(district, manager)
    assert client.get(reverse("projects:detail", args=[district.slug, project.pk])).status_code == 200
    assert client.get(reverse("projects:detail", args=[other_district.slug, project.pk])).status_code == 404


def test_sign_up_service_refuses_internal_projects(walk):
    from django.core.exceptions import ValidationError

    shift = SignUp.objects.get(pk=walk["signup_id"]).shift
    with pytest.raises(ValidationError):
        volunteers.signup_create(shift=shift, name="A", email="a@example.org")
