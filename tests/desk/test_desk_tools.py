"""Reply templates, saved filters and bulk changes of the desk."""

import pytest
from django.core.exceptions import ValidationError

from kiezwerk.concerns.models import Concern, ConcernStatus
from kiezwerk.core.models import Entry
from kiezwerk.desk import services
from kiezwerk.desk.models import ReplyTemplate, SavedFilter

from ..factories import CategoryFactory, ConcernFactory
from .conftest import codes, subscribe


def test_reply_template_keeps_the_languages_given(district, manager):
    template = services.reply_template_save(
        district=district, actor=manager, title=" Danke ", texts={"de": " Danke! ", "en": "Thanks!", "tr": "  "}
    )
    assert (template.title, template.texts) == ("Danke", {"de": "Danke!", "en": "Thanks!"})
    services.reply_template_save(
        district=district, actor=manager, title="Danke", texts={"de": "Vielen Dank!"}, template=template
    )
    assert ReplyTemplate.objects.get().texts == {"de": "Vielen Dank!"}


@pytest.mark.parametrize("texts", [{"en": "Thanks!"}, {"de": "  ", "en": "Thanks!"}])
def test_reply_template_needs_german(district, manager, texts):
    with pytest.raises(ValidationError) as error:
        services.reply_template_save(district=district, actor=manager, title="Danke", texts=texts)
    assert codes(error.value) == {"required"}
    assert not ReplyTemplate.objects.exists()


def test_reply_template_title_is_unique_per_district(district, other_district, manager, other_manager):
    services.reply_template_save(district=district, actor=manager, title="Danke", texts={"de": "Danke!"})
    services.reply_template_save(district=other_district, actor=other_manager, title="Danke", texts={"de": "Danke!"})
    with pytest.raises(ValidationError) as error:
        services.reply_template_save(district=district, actor=manager, title="Danke", texts={"de": "Nochmal"})
    assert codes(error.value) == {"unique"}
    assert list(ReplyTemplate.objects.filter(district=district).values_list("texts", flat=True)) == [{"de": "Danke!"}]


def test_saved_filter_of_the_same_name_is_overwritten(district, manager, moderator):
    services.saved_filter_save(user=manager, district=district, name="Müll", query="category=1")
    services.saved_filter_save(user=manager, district=district, name=" Müll ", query="category=2")
    services.saved_filter_save(user=moderator, district=district, name="Müll", query="category=3")
    assert SavedFilter.objects.get(user=manager).query == "category=2"
    assert SavedFilter.objects.count() == 2


def test_saved_filter_needs_a_name(district, manager):
    with pytest.raises(ValidationError) as error:
        services.saved_filter_save(user=manager, district=district, name="  ", query="status=new")
    assert codes(error.value) == {"required"}
    assert not SavedFilter.objects.exists()


# Bulk changes: all or nothing ----------------------------------------------------------------------


def test_bulk_status_change_applies_to_every_concern(district, manager):
    concerns = ConcernFactory.create_batch(3, district=district)
    changed = services.concerns_bulk_change(
        district=district, actor=manager, concerns=concerns, action="status", status=ConcernStatus.TRIAGED
    )
    assert changed == 3
    assert set(Concern.objects.values_list("status", flat=True)) == {ConcernStatus.TRIAGED}


def test_bulk_change_stops_at_a_concern_that_cannot_take_it(
    district, manager, smtp_server, django_capture_on_commit_callbacks
):
    concerns = ConcernFactory.create_batch(2, district=district, status=ConcernStatus.TRIAGED)
    resolved = ConcernFactory(district=district, status=ConcernStatus.RESOLVED)
    for concern in [*concerns, resolved]:
        subscribe(concern, f"n{concern.pk}@example.org")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        services.concerns_bulk_change(
            district=district,
            actor=manager,
            concerns=[*concerns, resolved],
            action="status",
            status=ConcernStatus.IN_PROGRESS,
            text="Wir sind dran.",
        )
    assert codes(error.value) == {"transition"} and error.value.params["number"] == resolved.pk
    for concern in [*concerns, resolved]:
        status = concern.status
        concern.refresh_from_db()
        assert concern.status == status
    assert not Entry.objects.exists() and smtp_server.messages == []


@pytest.mark.parametrize(
    ("action", "kwargs", "code"),
    [
        ("assign", {"assignee": "resident"}, "not_team"),
        ("category", {"category": "other_district"}, "category"),
        ("status", {"status": ConcernStatus.DUPLICATE}, "duplicate"),
        ("status", {"status": ""}, "status"),
        ("close", {}, "action"),
    ],
)
def test_bad_bulk_change_changes_nothing(district, other_district, category, manager, resident, action, kwargs, code):
    values = {"resident": resident, "other_district": CategoryFactory(district=other_district)}
    kwargs = {key: values.get(value, value) for key, value in kwargs.items()}
    concerns = ConcernFactory.create_batch(2, district=district, category=category)
    with pytest.raises(ValidationError) as error:
        services.concerns_bulk_change(district=district, actor=manager, concerns=concerns, action=action, **kwargs)
    assert codes(error.value) == {code}
    for concern in concerns:
        concern.refresh_from_db()
        assert (concern.status, concern.assignee, concern.category) == (ConcernStatus.NEW, None, category)


def test_bulk_change_refuses_a_concern_of_another_district(district, other_district, manager):
    concerns = [ConcernFactory(district=district), ConcernFactory(district=other_district)]
    with pytest.raises(ValidationError) as error:
        services.concerns_bulk_change(
            district=district, actor=manager, concerns=concerns, action="assign", assignee=manager
        )
    assert codes(error.value) == {"district"}
    assert not Concern.objects.filter(assignee=manager).exists()


def test_bulk_change_needs_a_selection(district, manager):
    with pytest.raises(ValidationError) as error:
        services.concerns_bulk_change(district=district, actor=manager, concerns=[], action="assign", assignee=manager)
    assert codes(error.value) == {"empty"}
