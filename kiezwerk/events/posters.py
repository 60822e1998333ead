"""The week sheet for notice boards: the district's public dates of one week on an A4 page, a QR code per event.

Built on core.posters (like a project's poster). Headings and markers come from the catalogues in German and
up to two further languages (the markers in the event page's words); each event's title stays in its own
language. Dates as a German reads them, in Berlin's time. Cancelled dates stay on the sheet, struck through
and marked; moved ones stand at their new time. It shows what the public calendar shows, nobody registered.
"""

from datetime import datetime, time, timedelta
from itertools import groupby

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kiezwerk.core import posters

from . import selectors
from .series import BERLIN

SHEET_DATES = 12  # two columns of six with their QR codes, in three languages, fill an A4 page


def week_bounds(monday):
    """The aware start of `monday` and of the Monday after, in Berlin's time (a week across a clock change too)."""
    start = datetime.combine(monday, time.min, tzinfo=BERLIN)
    return start, datetime.combine(monday + timedelta(days=7), time.min, tzinfo=BERLIN)


def _texts():
    """The sheet's words in the active language; the markers are the event page's own words."""
    return {
        "title": pgettext("poster", "Events this week"),
        "hint": pgettext("poster", "Scan the QR code beside an event for all details."),
        "more": pgettext("poster", "More events this week on the district's page:"),
        "none": pgettext("poster", "No events this week."),
        "all_day": _("all day"),
        "free": _("Free of charge"),
        "step_free": _("Step-free access"),
        "cancelled": _("cancelled"),
        "moved": _("moved"),
    }


LABELS = ("more", "none", "all_day", "free", "step_free", "cancelled", "moved")


def _entry(occurrence, monday):
    """One date on the sheet: listed under the day it starts (Monday if it began the week before), its times,
    place and QR code."""
    event = occurrence.event
    start, end = occurrence.starts_at.astimezone(BERLIN), occurrence.ends_at.astimezone(BERLIN)
    day = max(start.date(), monday)
    last_day = (end - timedelta(microseconds=1)).date()  # a date ending at midnight ends the day before
    place = ", ".join(part for part in (event.venue.public_name if event.venue else "", event.address) if part)
    return {
        "day": day,
        "occurrence": occurrence,
        "event": event,
        "title_dir": "rtl" if translation.get_language_info(event.language)["bidi"] else "ltr",
        "cancelled": event.cancelled or occurrence.cancelled,
        "start": start,
        "end": end,
        "last_day": last_day,
        "start_shown": start.date() != day,  # began the week before: its day is written out
        "end_shown": last_day != start.date(),  # goes on over midnight or several days
        "place": f"{place} ({event.room})" if event.room else place,
        "qr": posters.qr_svg(settings.SITE_URL + event.get_absolute_url()),
    }


def week_sheet(district, monday, languages=()):
    """The PDF of the A4 week sheet of `district` for the week from `monday`: German and the further `languages`."""
    start, end = week_bounds(monday)
    occurrences = list(selectors.public_dates(district=district, start=start, end=end)[: SHEET_DATES + 1])
    more = len(occurrences) > SHEET_DATES
    with translation.override("de"):  # the place of a partner that is not public, in German
        entries = [_entry(occurrence, monday) for occurrence in occurrences[:SHEET_DATES]]
    blocks = posters.in_languages(["de", *(code for code in languages if code != "de")], _texts)
    # Each marker in every language: "Kostenlos · Free of charge · مجانًا".
    labels = {key: [{"code": b["code"], "dir": b["dir"], "text": b[key]} for b in blocks] for key in LABELS}
    more_url = settings.SITE_URL + reverse("concerns:district-map", args=[district.slug])
    context = {
        "blocks": blocks,
        "labels": labels,
        "district": district,
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "days": [{"day": day, "entries": list(rows)} for day, rows in groupby(entries, key=lambda e: e["day"])],
        "more": more,
        "more_qr": posters.qr_svg(more_url) if more else "",
        "more_url": more_url,
        "footer": [f"Kiezwerk · {district.name}", settings.OPERATOR_NAME],
    }
    # Dates and times as a German reads them (the sheet's first language), in Berlin's time.
    with translation.override("de"):
        return posters.pdf("events/week_sheet.html", context)
