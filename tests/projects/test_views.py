"""Projects through their pages: the public list and page, helping, and the team's screens."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from kiezwerk.concerns.models import Concern
from kiezwerk.core.models import OutboxMail
from kiezwerk.projects.models import Project, Shift, SignUp, Task
from kiezwerk.projects.services import projects as services

from ..factories import ConcernFactory, UserFactory, street_create
from .conftest import project_made, shift_made


def test_public_list_shows_public_projects_only(client, district, manager):
    shown = project_made(district, manager, title="Gartentag im Hof")
    project_made(district, manager, title="Geheime Idee", status="idea")
    project_made(district, manager, title="Interne Planung", visibility="internal")
    page = client.get(reverse("projects:list", args=[district.slug])).content.decode()
    assert shown.title in page
    assert "Geheime Idee" not in page and "Interne Planung" not in page


def test_the_volunteer_filter(client, district, manager):
    looking = project_made(district, manager, title="Sucht Helfende")
    shift_made(looking, manager, capacity=3)
    project_made(district, manager, title="Ohne Schichten")
    page = client.get(reverse("projects:list", args=[district.slug]), {"volunteers": "on"}).content.decode()
    assert "Sucht Helfende" in page and "Ohne Schichten" not in page


def test_no_volunteer_data_on_public_pages(client, district, manager, shift):
    from kiezwerk.projects.services import volunteers

    signup = volunteers.signup_create(
        shift=shift, name="Zeynep Kaya", email="zeynep@example.org", phone="0176 5551234", language="de"
    )
    volunteers.signup_confirm(signup=signup)
    project = shift.project
    for url in (
        reverse("projects:list", args=[district.slug]),
        project.get_absolute_url(),
        reverse("projects:shift-ics", args=[district.slug, project.pk, shift.pk]),
    ):
        body = client.get(url).content.decode()
        for secret in ("Zeynep", "zeynep@example.org", "5551234"):
            assert secret not in body, (url, secret)
    assert "1 von 2 Plätzen frei" in client.get(project.get_absolute_url()).content.decode()


def test_signing_up_without_an_account(client, district, manager, shift):
    project = shift.project
    url = reverse("projects:signup", args=[district.slug, project.pk, shift.pk])
    assert f'href="{url}"' in client.get(project.get_absolute_url()).content.decode()
    form = client.get(url).content.decode()
    assert "Ihre E-Mail-Adresse" in form and "2 von 2 Plätzen frei" in form
    # Bad input: nothing stored, the typed name kept, a German error.
    response = client.post(url, {"name": "Ali", "email": "keine-adresse"})
    assert response.status_code == 400
    assert "Ali" in response.content.decode()
    assert "gültige E-Mail-Adresse" in response.content.decode()
    assert not SignUp.objects.exists()
    response = client.post(url, {"name": "Ali Yılmaz", "email": "ali@example.org"})
    assert response.status_code == 302
    signup = SignUp.objects.get()
    assert signup.status == "unconfirmed"
    confirm = reverse("projects:signup-confirm", args=[signup.token])
    assert client.get(confirm).status_code == 200
    signup.refresh_from_db()
    assert signup.status == "unconfirmed"  # opening the link (a mail scanner) confirms nothing
    assert client.post(confirm).status_code == 200
    signup.refresh_from_db()
    assert signup.status == "registered"
    cancel = reverse("projects:signup-cancel", args=[signup.token])
    assert client.post(cancel).status_code == 200
    assert client.post(cancel).status_code == 200  # a second use says it is cancelled
    signup.refresh_from_db()
    assert signup.status == "cancelled"
    assert Shift.objects.get().taken == 0


def test_a_resident_with_an_account_signs_up_in_one_step(client, district, resident, shift):
    client.force_login(resident)
    url = reverse("projects:signup", args=[shift.project.district.slug, shift.project.pk, shift.pk])
    form = client.get(url).content.decode()
    assert "Sie melden sich als" in form and "Ihr Name" not in form
    assert client.post(url, {}).status_code == 302
    assert SignUp.objects.get().status == "registered"


def test_no_sign_up_form_for_a_begun_shift_or_a_finished_project(client, district, manager, shift):
    url = reverse("projects:signup", args=[district.slug, shift.project.pk, shift.pk])
    Shift.objects.filter(pk=shift.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    page = client.get(url).content.decode()
    assert "Diese Schicht hat bereits begonnen." in page and "Ihr Name" not in page
    assert f'href="{url}"' not in client.get(shift.project.get_absolute_url()).content.decode()
    response = client.post(url, {"name": "Ali", "email": "ali@example.org"})
    refused = response.content.decode()
    assert response.status_code == 400 and "bereits begonnen" in refused and 'value="Ali"' in refused
    assert not SignUp.objects.exists()
    public = client.get(shift.project.get_absolute_url()).content.decode()
    assert "Diese Schicht ist vorbei." in public and "Plätzen frei" not in public and "shift.ics" not in public
    Shift.objects.filter(pk=shift.pk).update(starts_at=timezone.now() + timedelta(days=2))
    services.project_status_change(project=shift.project, actor=manager, new_status="done", reason="Geschafft.")
    page = client.get(url).content.decode()
    assert "Für dieses Projekt sind keine Anmeldungen möglich." in page and "Ihr Name" not in page
    public = client.get(shift.project.get_absolute_url()).content.decode()
    assert '<h2 id="shifts-heading">Schichten</h2>' in public and "Plätzen frei" not in public
    assert "Für dieses Projekt sind keine Anmeldungen möglich." in public


def test_the_shift_calendar_file(client, district, shift):
    response = client.get(reverse("projects:shift-ics", args=[district.slug, shift.project.pk, shift.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == shift.starts_at
    assert event.decoded("dtend") == shift.ends_at
    assert str(event["summary"]) == shift.project.title
    assert str(event["location"]) == "Am Brunnen"


def test_from_concerns_to_an_action_with_a_template(client, district, manager, category, litter_template):
    street_create(district, "Lindenstraße", 1, 60)
    concerns = [ConcernFactory(district=district, category=category) for _ in range(3)]
    client.force_login(manager)
    new = reverse("projects:new", args=[district.slug])
    page = client.get(new, {"concerns": [c.pk for c in concerns]})
    assert page.status_code == 200
    assert page.context["form"].initial["concerns"] == ",".join(str(c.pk) for c in concerns)
    day = timezone.localdate() + timedelta(days=30)
    data = {
        "template": litter_template.pk,
        "concerns": ",".join(str(c.pk) for c in concerns),
        "title": "Müllsammeln Lindenstraße",
        "goal": "Die Straße ist sauber",
        "kind": "litter",
        "language": "de",
        "starts_on": day.isoformat(),
        "visibility": "public",
        "location": page.context["form"].initial["location"],
        "responsible": str(manager.pk),
    }
    response = client.post(new, data)
    assert response.status_code == 302
    project = Project.objects.get()
    assert set(project.concerns.values_list("pk", flat=True)) == {c.pk for c in concerns}
    skip = Task.objects.get(project=project, title__startswith="Container beim Amt")
    assert skip.due_on == day - timedelta(days=21)
    assert project.materials.filter(name="Greifzangen", needed=20).exists()
    assert project.address  # the nearest register address
    for concern in concerns:
        assert concern.entries.filter(kind="note", text__contains="Müllsammeln Lindenstraße").exists()


def test_a_concern_of_another_district_is_refused(client, district, other_district, manager, category):
    foreign = ConcernFactory(district=other_district, category__district=other_district)
    client.force_login(manager)
    lat, lon = district.centre
    response = client.post(
        reverse("projects:new", args=[district.slug]),
        {
            "concerns": str(foreign.pk),
            "title": "X",
            "goal": "Y",
            "kind": "other",
            "language": "de",
            "visibility": "public",
            "location": f"{lat},{lon}",
        },
    )
    assert response.status_code == 400
    assert "gehört zu einem anderen Quartier" in response.content.decode()
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "place,message",
    [
        ({"location": "48.50,10.50"}, "liegt außerhalb"),
        (
            {"area": '{"type": "Polygon", "coordinates": [[[10.5, 48.5], [10.6, 48.5], [10.6, 48.6], [10.5, 48.5]]]}'},
            "reicht über",
        ),
    ],
)
def test_a_place_outside_the_district_is_refused(client, district, manager, place, message):
    client.force_login(manager)
    data = {"title": "X", "goal": "Y", "kind": "other", "language": "de", "visibility": "public", **place}
    response = client.post(reverse("projects:new", args=[district.slug]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_done_project_resolves_its_concerns_and_they_link_it(client, district, manager, category):
    from kiezwerk.concerns.services import concern_report
    from kiezwerk.core import activity

    lat, lon = district.centre
    concern, token = concern_report(
        district=district,
        category=category,
        title="Müll am Spielplatz",
        description="Seit Wochen.",
        lat=lat,
        lon=lon,
        reporter_email="melder@example.org",
    )
    activity.follow_confirm(token=concern.followers.get().token)
    project = project_made(district, manager, concerns=[concern], status="done", title="Putzaktion Spielplatz")
    client.force_login(manager)
    response = client.post(
        reverse("projects:concerns-resolve", args=[project.pk]),
        {"resolve-text": "Erledigt durch die Aktion „Putzaktion Spielplatz“: 62 kg gesammelt."},
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "resolved"
    assert any("melder@example.org" in m.to for m in OutboxMail.objects.all())
    client.logout()
    page = client.get(reverse("concerns:track", args=[token])).content.decode()
    assert "Putzaktion Spielplatz" in page
    assert project.get_absolute_url() in client.get(concern.get_absolute_url()).content.decode()
    # Nothing left to resolve: a clear error, nothing changes.
    client.force_login(manager)
    response = client.post(reverse("projects:concerns-resolve", args=[project.pk]), {"resolve-text": "Nochmal"})
    assert response.status_code == 400
    assert Concern.objects.get().entries.filter(kind="status").count() == 1


def test_the_template_editor_refuses_a_cycle_and_a_bad_offset(client, district, manager, litter_template):
    client.force_login(manager)
    url = reverse("projects:template-edit", args=[district.slug, litter_template.pk])
    base = {
        "name": "Kreis",
        "kind": "other",
        "tasks-TOTAL_FORMS": "2",
        "tasks-INITIAL_FORMS": "0",
        "materials-TOTAL_FORMS": "0",
        "materials-INITIAL_FORMS": "0",
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
        "tasks-0-title": "A",
        "tasks-0-days_before": "3",
        "tasks-0-after": "1",
        "tasks-1-title": "B",
        "tasks-1-days_before": "2",
        "tasks-1-after": "0",
    }
    response = client.post(url, base)
    assert response.status_code == 400
    assert "im Kreis" in response.content.decode()
    response = client.post(url, {**base, "tasks-0-after": "", "tasks-1-days_before": "9999"})
    assert response.status_code == 400
    litter_template.refresh_from_db()
    assert litter_template.name == "Müllsammelaktion"
    response = client.post(url, {**base, "tasks-0-after": ""})
    assert response.status_code == 302
    litter_template.refresh_from_db()
    assert litter_template.tasks == [
        {"title": "A", "days_before": 3, "after": None},
        {"title": "B", "days_before": 2, "after": 0},
    ]


def test_due_tasks_appear_in_today_and_the_workspace_offers_the_action(client, district, manager, category):
    project = project_made(district, manager)
    Task.objects.create(project=project, title="Säcke abholen", due_on=timezone.localdate())
    concern = ConcernFactory(district=district, category=category)
    client.force_login(manager)
    assert "Säcke abholen" in client.get(reverse("desk:today", args=[district.slug])).content.decode()
    workspace = client.get(reverse("desk:concern", args=[concern.pk])).content.decode()
    assert f"{reverse('projects:new', args=[district.slug])}?concerns={concern.pk}" in workspace
    inbox = client.get(reverse("desk:inbox", args=[district.slug])).content.decode()
    selection = reverse("projects:from-selection", args=[district.slug])
    assert f'formaction="{selection}"' in inbox
    # The inbox's selection, posted as the bulk form sends it, opens the form with those concerns.
    other = ConcernFactory(district=district, category=category)
    response = client.post(selection, {"bulk-concerns": [concern.pk, other.pk], "bulk-action": ""})
    assert response.url == f"{reverse('projects:new', args=[district.slug])}?concerns={concern.pk}%2C{other.pk}"
    form = client.get(response.url).context["form"]
    assert form.initial["concerns"] == f"{concern.pk},{other.pk}"
    response = client.post(selection, {"bulk-action": ""})
    assert response.url == reverse("desk:inbox", args=[district.slug])


@pytest.mark.parametrize("rows", [1, 12])
def test_query_counts_stay_flat(client, district, manager, django_assert_max_num_queries, rows):
    from kiezwerk.projects.services import volunteers

    for n in range(rows):
        project = project_made(district, manager, title=f"Aktion {n}")
        shift = shift_made(project, manager, capacity=5)
        for m in range(3):
            volunteers.signup_create(shift=shift, name=f"P{m}", email=f"p{n}-{m}@example.org")
        Task.objects.create(project=project, title=f"Aufgabe {n}", due_on=timezone.localdate())
    client.force_login(manager)
    pages = [
        reverse("projects:list", args=[district.slug]),
        project.get_absolute_url(),
        reverse("projects:team-list", args=[district.slug]),
        reverse("projects:team-detail", args=[project.pk]),
        reverse("projects:shift-edit", args=[project.pk, shift.pk]),
        reverse("projects:signup", args=[district.slug, project.pk, shift.pk]),
    ]
    for url in pages:
        with django_assert_max_num_queries(40):
            assert client.get(url).status_code == 200


def test_attendance_through_the_shift_page(client, manager, shift):
    from kiezwerk.projects.services import volunteers

    person, _changed = volunteers.signup_confirm(
        signup=volunteers.signup_create(shift=shift, name="Kasia", email="kasia@example.org")
    )
    client.force_login(manager)
    url = reverse("projects:shift-attendance", args=[shift.project.pk, shift.pk])
    page = client.get(reverse("projects:shift-edit", args=[shift.project.pk, shift.pk])).content.decode()
    assert "Kasia war da" in page
    response = client.post(url, {f"attended_{person.pk}": "on", f"hours_{person.pk}": "30"})
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.attended is None
    assert client.post(url, {f"attended_{person.pk}": "on", f"hours_{person.pk}": "2,5"}).status_code == 302
    person.refresh_from_db()
    assert person.attended is True and float(person.hours) == 2.5


def test_public_pages_are_shared_among_visitors_until_a_sign_up_changes_them(
    client, district, manager, django_assert_num_queries
):
    from kiezwerk.projects.services import volunteers

    project = project_made(district, manager, title="Sucht Helfende")
    shift = shift_made(project, manager, capacity=1)
    page, looking = project.get_absolute_url(), reverse("projects:list", args=[district.slug]) + "?volunteers=on"
    assert "shift--full" not in client.get(page).content.decode()
    assert "Sucht Helfende" in client.get(looking).content.decode()
    # A visitor without a session gets the stored page: no query, their own CSRF token.
    with django_assert_num_queries(0):
        shared = client.get(page)
    assert shared.status_code == 200 and client.cookies["csrftoken"].value
    assert "kiezwerk-csrf-placeholder" not in shared.content.decode()
    # The last place goes: both pages change at once.
    volunteers.signup_create(shift=shift, user=UserFactory())
    assert "shift--full" in client.get(page).content.decode()
    assert "Sucht Helfende" not in client.get(looking).content.decode()


def test_the_team_takes_a_volunteer_off_a_shift_and_the_next_moves_up(client, district, manager):
    from kiezwerk.projects.services import volunteers

    shift = shift_made(project_made(district, manager), manager, capacity=1)
    first = volunteers.signup_create(shift=shift, user=UserFactory(display_name="Ali <b>Yılmaz</b>"))
    waiting = volunteers.signup_create(shift=shift, name="Zeynep", email="zeynep@example.org", phone="0176 1")
    volunteers.signup_confirm(signup=waiting)
    done = shift_made(project_made(district, manager), manager, days=-3)
    SignUp.objects.create(shift=done, name="Eva", status="registered", attended=True, hours="2.5", token="e" * 43)
    other = volunteers.signup_create(shift=shift_made(project_made(district, manager), manager), user=UserFactory())
    client.force_login(manager)
    # The project page counts them; the shift's page lists them.
    summary = client.get(reverse("projects:team-detail", args=[shift.project_id])).content.decode()
    assert "1 auf der Warteliste" in summary and "zeynep@example.org" not in summary
    shift_page = reverse("projects:shift-edit", args=[shift.project_id, shift.pk])
    assert f'href="{shift_page}"' in summary
    page = client.get(shift_page).content.decode()
    url = reverse("projects:team-signup-cancel", args=[shift.project_id])
    assert f'action="{url}"' in page and f'name="signup" value="{first.pk}"' in page
    # Names as the team sees them (escaped), contact details, status; a past shift's attendance, no button.
    assert "Ali &lt;b&gt;Yılmaz&lt;/b&gt;" in page and "<b>Yılmaz" not in page
    assert '<a href="mailto:zeynep@example.org">zeynep@example.org</a><br>0176 1' in page
    assert page.index("Ali &lt;b&gt;") < page.index("zeynep@example.org")  # registered before waiting
    done_page = client.get(reverse("projects:shift-edit", args=[done.project_id, done.pk])).content.decode()
    assert "(2,5 h)" in done_page and 'name="signup"' not in done_page
    # Bad input: nothing, not a number, too long a number, a sign-up of another project.
    for value in (None, "abc", "9" * 40, str(other.pk)):
        assert client.post(url, {} if value is None else {"signup": value}).status_code == 404
    assert SignUp.objects.get(pk=other.pk).status == "registered"
    response = client.post(url, {"signup": first.pk})
    assert response.status_code == 302 and response.url == f"{shift_page}#volunteers"
    assert SignUp.objects.get(pk=first.pk).status == "cancelled"
    assert SignUp.objects.get(pk=waiting.pk).status == "registered"


def test_materials_pledged_by_a_partner_or_a_volunteer(client, district, manager, shift):
    from kiezwerk.network.models import Organisation
    from kiezwerk.projects.models import Material, ProjectPartner
    from kiezwerk.projects.services import volunteers

    project = shift.project
    organisation = Organisation.objects.create(name="Abfallwirtschaft", kind="city_office")
    organisation.districts.add(district)
    ProjectPartner.objects.create(project=project, organisation=organisation, part="Container")
    helper = volunteers.signup_create(shift=shift, user=UserFactory(display_name="Ayşe Demir"))
    client.force_login(manager)
    add = reverse("projects:material-add", args=[project.pk])
    page = client.get(reverse("projects:team-detail", args=[project.pk])).content.decode()
    assert f'value="signup:{helper.pk}"' in page and f'value="organisation:{organisation.pk}"' in page

    # Bad input: the add form comes back with the typed values and a German error; nothing is stored.
    response = client.post(add, {"material-name": "Handschuhe", "material-needed": "0", "material-pledged": "0"})
    assert response.status_code == 400 and 'value="Handschuhe"' in response.content.decode()
    assert "größer oder gleich 1" in response.content.decode()
    response = client.post(
        add,
        {
            "material-name": "Handschuhe",
            "material-needed": "5",
            "material-pledged": "0",
            "material-pledged_by": "signup:999",
        },
    )
    assert response.status_code == 400 and "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert not Material.objects.exists()

    values = {"material-name": "Handschuhe", "material-needed": "20", "material-pledged": "5", "material-received": "0"}
    assert client.post(add, values | {"material-pledged_by": f"signup:{helper.pk}"}).status_code == 302
    gloves = Material.objects.get()
    assert gloves.pledged_by_signup == helper and gloves.pledged_by_organisation is None
    page = client.get(reverse("projects:team-detail", args=[project.pk])).content.decode()
    assert "Ayşe Demir" in page

    # Its own page: the pledger kept even after the volunteer cancelled; a failed change stays there.
    volunteers.signup_cancel(signup=helper)
    edit = reverse("projects:material-edit", args=[project.pk, gloves.pk])
    form = client.get(edit).content.decode()
    assert f'value="signup:{helper.pk}" selected' in form and 'value="20"' in form
    response = client.post(edit, values | {"material-needed": "", "material-pledged_by": f"signup:{helper.pk}"})
    assert response.status_code == 400 and "Dieses Feld ist zwingend erforderlich" in response.content.decode()
    assert 'value="Handschuhe"' in response.content.decode()
    gloves.refresh_from_db()
    assert gloves.needed == 20
    response = client.post(edit, values | {"material-pledged_by": f"organisation:{organisation.pk}"})
    assert response.status_code == 302
    gloves.refresh_from_db()
    assert gloves.pledged_by_organisation == organisation and gloves.pledged_by_signup is None
    assert Material.objects.count() == 1
