"""Series: an RFC 5545 recurrence rule, expanded to the dates of an event in Europe/Berlin.

The rule runs over naive wall-clock times from the local start, and each date is then made aware: a weekly
café at 15:00 stays at 15:00 across the switch to and from summer time (RFC 5545 3.3.10: DTSTART with a TZID
repeats in local time).
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BERLIN = ZoneInfo("Europe/Berlin")
MAX_DATES = 400  # a weekly series for almost eight years; the forms offer far less
MAX_YEARS = 3  # the last date at most this long after the first

# What the form offers (the rule's parts are chosen, not typed): weekly, every second week, monthly on the
# n-th weekday; with an end date (UNTIL) or a number of dates (COUNT).
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def rule_parse(rule, starts_at):
    """The naive local start of every date `rule` (an RRULE value) gives from the aware `starts_at`, checked:
    it must end (UNTIL or COUNT) within MAX_DATES dates and MAX_YEARS years. Raises ValidationError."""
    local = starts_at.astimezone(BERLIN).replace(tzinfo=None)
    parts = dict(part.split("=", 1) for part in rule.upper().split(";") if "=" in part)
    if "UNTIL" not in parts and "COUNT" not in parts:
        raise ValidationError(_("A series needs an end: a last date or a number of dates."), code="endless")
    if parts.get("UNTIL", "").endswith("Z"):
        # Stored in UTC (RFC 5545 3.3.10, as DTSTART has a TZID); the rule runs in local wall-clock time.
        until = datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        parts["UNTIL"] = f"{until.astimezone(BERLIN):%Y%m%dT%H%M%S}"
    try:
        parsed = rrule.rrulestr(";".join(f"{k}={v}" for k, v in parts.items()), dtstart=local)
    except (ValueError, TypeError) as error:
        raise ValidationError(
            _("This repetition cannot be read: %(error)s"), code="rule", params={"error": error}
        ) from error
    horizon = local + timedelta(days=366 * MAX_YEARS)
    found = []
    for when in parsed:
        if len(found) == MAX_DATES or when > horizon:
            raise ValidationError(
                _("A series may have at most %(count)s dates within %(years)s years; please end it earlier."),
                code="too_long",
                params={"count": MAX_DATES, "years": MAX_YEARS},
            )
        found.append(when)
    if not found:
        raise ValidationError(_("This repetition gives no date."), code="empty")
    return found


def local_aware(naive):
    """A wall-clock time in Berlin, made aware (a time the spring switch skips moves an hour on)."""
    aware = naive.replace(tzinfo=BERLIN)
    return aware.astimezone(BERLIN)  # normalises a non-existent time


def dates(starts_at, ends_at, rule=""):
    """[(start, end)] of every date: the first only without a rule. Each end keeps the first date's duration in
    wall-clock time (an evening from 18:00 to 21:00 stays so on the night of the switch)."""
    if not rule:
        return [(starts_at, ends_at)]
    first = starts_at.astimezone(BERLIN).replace(tzinfo=None)
    duration = ends_at.astimezone(BERLIN).replace(tzinfo=None) - first
    return [(local_aware(when), local_aware(when + duration)) for when in rule_parse(rule, starts_at)]


def rule_build(*, frequency, interval=1, weekday=None, setpos=None, until=None, count=None):
    """The RRULE value the form's choices describe. `until` is a local date: the series' last day (UNTIL is
    written as the end of that day in UTC, RFC 5545 3.3.10)."""
    parts = [f"FREQ={frequency}"]
    if interval and interval > 1:
        parts.append(f"INTERVAL={interval}")
    if weekday:
        parts.append(f"BYDAY={setpos or ''}{weekday}")
    if until:
        end = datetime(until.year, until.month, until.day, 23, 59, 59, tzinfo=BERLIN).astimezone(UTC)
        parts.append(f"UNTIL={end:%Y%m%dT%H%M%SZ}")
    elif count:
        parts.append(f"COUNT={count}")
    return ";".join(parts)
