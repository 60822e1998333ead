"""What every paginated list does the same way."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Lists count and page through at most this many rows: deeper pages are not offered (the filters narrow a
# list), so neither the count nor the OFFSET grows with the table.
MAX_ROWS = 5000


class BoundedPaginator(Paginator):
    """A Paginator whose count stops at `limit` rows (`more` says there are more) and whose page of a
    queryset is found by primary keys first: the ordering runs on the list's own table, and the
    joins and annotations of the page's rows only for those rows."""

    @cached_property
    def count(self):
        if not isinstance(self.object_list, QuerySet):
            return super().count
        return self.object_list.order_by().values("pk")[: self.limit + 1].count()

    limit = MAX_ROWS

    def __init__(self, object_list, per_page, *, keys=None):
        super().__init__(object_list, per_page)
        # keys(queryset, bottom, top, count=…): the page's primary keys, for lists with a faster way to find them.
        self.keys = keys or (lambda rows, bottom, top, count: list(rows.values_list("pk", flat=True)[bottom:top]))

    @property
    def more(self):
        return self.count > self.limit

    @cached_property
    def num_pages(self):
        return max(1, -(-min(self.count, self.limit) // self.per_page))

    def page(self, number):
        number = self.validate_number(number)
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        bottom = (number - 1) * self.per_page
        keys = self.keys(self.object_list, bottom, min(bottom + self.per_page, self.limit), count=self.count)
        rows = {row.pk: row for row in self.object_list.filter(pk__in=keys).order_by()}
        return Page([rows[key] for key in keys if key in rows], number, self)


def paginate(request, items, size, *, keys=None):
    """(page, query): the requested page of `items`, and the query string without the page, for its links."""
    page = BoundedPaginator(items, size, keys=keys).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
