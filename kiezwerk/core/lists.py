"""What every paginated list does the same way."""

from django.core.paginator import Paginator


def paginate(request, items, size):
    """(page, query): the requested page of `items`, and the query string without the page, for its links."""
    page = Paginator(items, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
