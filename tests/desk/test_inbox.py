"""The triage inbox (kiezwerk.desk.selectors.inbox): urgency order, filters, search, query count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kiezwerk.concerns.models import Channel, ConcernStatus
from kiezwerk.desk.selectors import inbox

from ..factories import CategoryFactory, ConcernFactory
from .conftest import age

S = ConcernStatus


@pytest.fixture
def today():
    return timezone.localdate()


def found(district, **filters):
    return list(inbox(district=district, **filters).values_list("pk", flat=True))


def test_overdue_first_then_new_then_the_rest(district, settings, today):
    settings.TRIAGE_TARGET_DAYS = 3
    follow_up_passed = age(
        ConcernFactory(district=district, status=S.IN_PROGRESS, follow_up_on=today - timedelta(days=1)), 10
    )
    untriaged = age(ConcernFactory(district=district), 4)
    rest = ConcernFactory(district=district, status=S.TRIAGED)
    fresh = age(ConcernFactory(district=district), 2)
    fresher = ConcernFactory(district=district)
    follow_up_ahead = ConcernFactory(district=district, status=S.REFERRED, follow_up_on=today)
    assert found(district, today=today) == [
        untriaged.pk,  # overdue, newest first within
        follow_up_passed.pk,
        fresher.pk,  # new
        fresh.pk,
        follow_up_ahead.pk,  # the rest
        rest.pk,
    ]


def test_closed_concern_is_never_overdue(district, today):
    closed = ConcernFactory(district=district, status=S.RESOLVED, follow_up_on=today - timedelta(days=5))
    fresh = ConcernFactory(district=district)
    assert found(district, status="all", today=today) == [fresh.pk, closed.pk]


@pytest.mark.parametrize(
    ("status", "expected"),
    [(None, {S.NEW, S.IN_PROGRESS}), ("all", {S.NEW, S.IN_PROGRESS, S.RESOLVED}), (S.RESOLVED, {S.RESOLVED})],
)
def test_status_filter(district, status, expected):
    concerns = {s: ConcernFactory(district=district, status=s) for s in [S.NEW, S.IN_PROGRESS, S.RESOLVED]}
    assert set(found(district, status=status)) == {concerns[s].pk for s in expected}


def test_category_filter_includes_the_children(district):
    parent = CategoryFactory(district=district)
    child = CategoryFactory(district=district, parent=parent)
    in_parent = ConcernFactory(district=district, category=parent)
    in_child = ConcernFactory(district=district, category=child)
    ConcernFactory(district=district)
    assert set(found(district, category=parent)) == {in_parent.pk, in_child.pk}
    assert found(district, category=child) == [in_child.pk]


def test_assignee_filter(district, manager):
    mine = ConcernFactory(district=district, assignee=manager)
    nobodys = ConcernFactory(district=district)
    assert found(district, assignee=manager) == [mine.pk]
    assert found(district, assignee="none") == [nobodys.pk]


def test_channel_filter(district):
    street = ConcernFactory(district=district, channel=Channel.STREET)
    ConcernFactory(district=district, channel=Channel.WEB)
    assert found(district, channel=Channel.STREET) == [street.pk]


def test_period_filter(district):
    recent = age(ConcernFactory(district=district), 5)
    age(ConcernFactory(district=district), 10)
    assert found(district, period="7") == [recent.pk]


def test_map_area_filter(district):
    south_west = ConcernFactory(district=district, lat=district.min_lat + 0.001, lon=district.min_lon + 0.001)
    ConcernFactory(district=district)  # in the centre
    bbox = (district.min_lat, district.min_lon, district.min_lat + 0.002, district.min_lon + 0.002)
    assert found(district, bbox=bbox) == [south_west.pk]


@pytest.fixture
def searchable(district, other_district):
    ConcernFactory(district=district, title="Laterne kaputt", description="Es ist dunkel.")
    ConcernFactory(district=other_district, title="Matratzen am Gehweg", description="Sperrmüll.")
    return ConcernFactory(district=district, title="Matratzen am Gehweg", description="Sperrmüll vor Nr. 12.")


@pytest.mark.parametrize("text", ["Matratzen", "matr", "Sperr", "Matratzen Gehweg", "Gehw Sperr"])
def test_search_finds_word_prefixes_in_this_district_only(district, searchable, text):
    assert found(district, text=text) == [searchable.pk]


@pytest.mark.parametrize("text", ["Matratzen Laterne", "Fahrrad"])
def test_search_needs_every_word(district, searchable, text):
    assert found(district, text=text) == []


@pytest.mark.parametrize("prefix", ["", "#"])
def test_search_by_number_finds_the_concern(district, other_district, prefix):
    # Titles without digits: a number must match the id, not a word of the text.
    concern = ConcernFactory(district=district, title="Laterne")
    elsewhere = ConcernFactory(district=other_district, title="Bank")
    assert found(district, text=f"{prefix}{concern.pk}") == [concern.pk]
    assert found(district, text=f"{prefix}{elsewhere.pk}") == []


def test_inbox_query_count_is_bounded(district, manager, django_assert_max_num_queries, today):
    parent = CategoryFactory(district=district)
    children = CategoryFactory.create_batch(3, district=district, parent=parent)
    for index in range(30):
        ConcernFactory(
            district=district,
            category=children[index % 3],
            title=f"Matratzen {index}",
            assignee=manager if index % 2 else None,
            follow_up_on=today if index % 5 == 0 else None,
        )
    with django_assert_max_num_queries(2):  # the category's children, the page
        rows = list(inbox(district=district, category=parent, text="Matratzen", today=today)[:25])
        shown = [
            (c.pk, c.title, c.category.name, c.category.parent.name, str(c.assignee or ""), c.urgency) for c in rows
        ]
    assert len(shown) == 25


def test_the_inbox_sorts_by_date_status_and_support(district, today):
    older = age(ConcernFactory(district=district, status=S.IN_PROGRESS, supporter_count=2), 5)
    middle = age(ConcernFactory(district=district, status=S.NEW, supporter_count=9), 3)
    newest = ConcernFactory(district=district, status=S.TRIAGED, supporter_count=0)
    assert found(district, sort="newest") == [newest.pk, middle.pk, older.pk]
    assert found(district, sort="oldest") == [older.pk, middle.pk, newest.pk]
    assert found(district, sort="status") == [middle.pk, newest.pk, older.pk]  # new, triaged, in progress
    assert found(district, sort="support") == [middle.pk, older.pk, newest.pk]
    assert found(district, sort="nonsense") == found(district)  # an unknown order falls back to urgency


def test_inbox_rows_name_the_street_and_who_looks_after_it(client, district, manager):
    ConcernFactory(district=district, title="Sperrmüll", address="Lindenstraße 12", assignee=manager)
    ConcernFactory(district=district, title="Laterne", address="")
    client.force_login(manager)
    page = client.get(f"/desk/{district.slug}/?sort=support").content.decode()
    assert "Lindenstraße 12" in page and f"bei {manager}" in page
    assert "niemandem zugeordnet" in page and "Keine Adresse in der Nähe der markierten Stelle" in page
    assert '<option value="support" selected>Meiste Unterstützung zuerst</option>' in page


@pytest.mark.parametrize("status", [None, "all"])
def test_pages_found_group_by_group_match_the_full_ranking(district, today, status, django_assert_max_num_queries):
    """inbox_keys takes each urgency group's newest from an index; its pages are the ranked query's slices."""
    from kiezwerk.desk.selectors import RANKED_BY_GROUPS_ABOVE, Urgency, inbox_keys

    statuses = [S.NEW, S.TRIAGED, S.REFERRED, S.IN_PROGRESS, S.RESOLVED]
    for index in range(30):
        concern = age(ConcernFactory(district=district, status=statuses[index % 5]), index % 7)
        if index % 4 == 0:
            concern.follow_up_on = today - timedelta(days=1 + index % 3)
            concern.save(update_fields=["follow_up_on"])
    ranked = inbox(district=district, status=status, today=today)
    expected = list(ranked.values_list("pk", flat=True))
    assert {c.urgency for c in ranked} >= {Urgency.OVERDUE, Urgency.NEW, Urgency.OTHER}
    for bottom, top in [(0, 7), (7, 14), (14, 21), (21, 40)]:
        for count in (RANKED_BY_GROUPS_ABOVE + 1, len(expected)):  # group by group, or sorted by the database
            fresh = inbox(district=district, status=status, today=today)
            with django_assert_max_num_queries(4):  # one per urgency group at most
                assert inbox_keys(fresh, bottom, top, count=count, today=today) == expected[bottom:top]
            with django_assert_max_num_queries(0):  # the next call (the map's points) reuses the ranking
                assert inbox_keys(fresh, 0, 5, count=count, today=today) == expected[:5]
    newest = inbox(district=district, status=status, sort="newest")
    assert inbox_keys(newest, 3, 9) == list(newest.values_list("pk", flat=True))[3:9]
