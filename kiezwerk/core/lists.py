"""What every paginated list and every CSV download does the same way."""

import csv

from django.core.paginator import Paginator


def paginate(request, items, size):
    """(page, query): the requested page of `items`, and the query string without the page, for its links."""
    page = Paginator(items, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


class _Echo:
    """A file that hands back what is written, so csv.writer can feed a StreamingHttpResponse."""

    def write(self, value):
        return value


def csv_lines(rows):
    """Rows as CSV lines, one at a time (for a StreamingHttpResponse)."""
    writer = csv.writer(_Echo())
    return (writer.writerow(row) for row in rows)
