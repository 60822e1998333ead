"""Mail in the recipient's language (issue G): a Turkish reporter gets Turkish mails end to end over SMTP;
a team member who chose English gets an English digest."""

from datetime import date

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

from kiezwerk.concerns import services
from kiezwerk.concerns.models import Concern
from kiezwerk.desk import services as desk_services

from ..concerns.test_report import form_data, report_url
from ..desk.conftest import mails
from ..factories import ConcernFactory


def in_language(code, msgid, **params):
    with translation.override(code):
        return gettext(msgid) % params


def test_a_turkish_reporter_gets_turkish_mails(
    client, district, category, manager, smtp_server, django_capture_on_commit_callbacks
):
    client.post(reverse("set_language"), {"language": "tr", "next": "/"})
    title = "Çöp konteyneri taştı"
    with django_capture_on_commit_callbacks(execute=True):
        data = form_data(district, category, title=title, reporter_email="ayse@example.org")
        assert client.post(report_url(district), data).status_code == 302
    concern = Concern.objects.get()
    assert concern.language == "tr"
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_reply(concern=concern, actor=manager, text="Ekibimiz yarın geliyor.", new_status="in_progress")
    (_to, received, _received_body), (_to2, update, update_body) = mails(smtp_server)
    assert received["Subject"].strip() == in_language("tr", "Your concern “%(title)s” has been received", title=title)
    assert received["Subject"].strip() != in_language("de", "Your concern “%(title)s” has been received", title=title)
    with translation.override("tr"):
        status = pgettext("concern status", "In progress")
    assert update["Subject"].strip() == in_language("tr", "“%(title)s”: now %(status)s", title=title, status=status)
    assert "Ekibimiz yarın geliyor." in update_body


def test_a_team_member_who_chose_english_gets_an_english_digest(
    district, manager, smtp_server, django_capture_on_commit_callbacks
):
    manager.language = "en"
    manager.save(update_fields=["language"])
    ConcernFactory(district=district, title="Neu hier")
    today = date.today()
    with django_capture_on_commit_callbacks(execute=True):
        desk_services.digests_send(today=today)
    [(_to, message, _body)] = mails(smtp_server)
    with translation.override("en"):
        assert message["Subject"].startswith(f"Kiezwerk {district.name}: your day on ")
