"""Lists count at most MAX_ROWS and never page deeper: neither the count nor the OFFSET grows with the table."""

from django.urls import reverse

from kiezwerk.core import lists

from ..factories import ConcernFactory


def test_a_long_list_says_more_than_the_bound_and_stops_paging_there(client, district, category, monkeypatch):
    monkeypatch.setattr(lists.BoundedPaginator, "limit", 30)
    concerns = ConcernFactory.create_batch(45, district=district, category=category)
    url = reverse("concerns:concern-list", args=[district.slug])
    first = client.get(url).content.decode()
    assert "Mehr als 30 Anliegen" in first and "Seite 1 von 2" in first
    last = client.get(url + "?page=99").content.decode()  # beyond the bound: the last page offered
    assert "Seite 2 von 2" in last
    assert "Die Liste zeigt die ersten 30. Bitte grenzen Sie sie mit den Filtern ein." in last
    # Newest first, the page's rows in the list's order.
    newest = sorted(concerns, key=lambda c: (c.created_at, c.pk), reverse=True)
    assert last.index(newest[20].title + "<") < last.index(newest[29].title + "<")
    assert newest[30].title + "<" not in last


def test_a_short_list_counts_exactly(client, district, category, django_assert_max_num_queries):
    ConcernFactory.create_batch(3, district=district, category=category)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("concerns:concern-list", args=[district.slug])).content.decode()
    assert "3 Anliegen" in page and "Mehr als" not in page and "Seite 1 von" not in page


def test_the_page_of_a_queryset_keeps_its_order_and_its_joins(district, category, django_assert_num_queries):
    ConcernFactory.create_batch(7, district=district, category=category)
    from kiezwerk.concerns.models import Concern

    queryset = Concern.objects.select_related("category").order_by("-pk")
    paginator = lists.BoundedPaginator(queryset, 3)
    with django_assert_num_queries(3):  # the bounded count, the page's keys, the page's rows with their category
        page = paginator.page(2)
        names = [concern.category.name for concern in page]
    assert [c.pk for c in page] == list(queryset.values_list("pk", flat=True)[3:6])
    assert names == ["Wilder Müll"] * 3 and paginator.num_pages == 3 and not paginator.more
