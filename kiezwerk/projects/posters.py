"""A project's poster: its title, goal, day and place, the coming shifts and partners, and a QR code to its page.

Built on core.posters (like the desk's poster for a place). Headings and labels come from the catalogues in
German and the chosen languages; the project's own texts stay in the language they were written in. Counts
of free places would be stale once printed, so the poster asks to scan the code instead; it never names a
volunteer.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kiezwerk.core import posters

from . import selectors

POSTER_SHIFTS = 5  # more do not fit on A4 beside the QR code; the rest are on the project page


def poster_check(project):
    """Raise ValidationError unless residents can open the project's page: its QR code would lead nowhere."""
    if not project.is_public:
        raise ValidationError(
            _(
                "Only a public project past the idea stage can have a poster: residents could not open the page "
                "its QR code leads to. Make the project public and move it on to planning first."
            ),
            code="not_public",
        )


def _texts(has_shifts):
    """The poster's words in the active language; with coming shifts it asks to join in, else to find out more."""
    if has_shifts:
        call = {
            "title": pgettext("poster", "Join in: scan the QR code"),
            "hint": pgettext("poster", "Choose a shift on the project page and sign up. No account needed."),
        }
    else:
        call = {
            "title": pgettext("poster", "Find out more: scan the QR code"),
            "hint": pgettext("poster", "On the project page you can follow the project by e-mail."),
        }
    return {
        **call,
        "when": pgettext("poster", "When"),
        "where": pgettext("poster", "Where"),
        "shifts": pgettext("poster", "Shifts"),
        "time": pgettext("poster", "Date and time"),
        "meeting": pgettext("poster", "Meeting point"),
        "bring": pgettext("poster", "Please bring"),
        "partners": pgettext("poster", "Partners"),
        "more": pgettext("poster", "More dates on the project page."),
    }


LABELS = ("when", "where", "shifts", "time", "meeting", "bring", "partners", "more")


def project_poster(*, project, languages):
    """(PDF, file name) of the A4 poster of a public project in German and the further `languages` (German first).

    Raises ValidationError for a project residents cannot see.
    """
    poster_check(project)
    url = settings.SITE_URL + project.get_absolute_url()
    shifts = list(selectors.shifts(project=project, upcoming_only=True)[: POSTER_SHIFTS + 1])
    blocks = posters.in_languages(languages, lambda: _texts(bool(shifts)))
    # Each label in every language, for headings like "Wann · When · متى".
    labels = {key: [{"code": b["code"], "dir": b["dir"], "text": b[key]} for b in blocks] for key in LABELS}
    context = {
        "blocks": blocks,
        "labels": labels,
        "project": project,
        "project_dir": "rtl" if translation.get_language_info(project.language)["bidi"] else "ltr",
        "shifts": shifts[:POSTER_SHIFTS],
        "more_shifts": len(shifts) > POSTER_SHIFTS,
        "partners": [p.public_name for p in project.partners.select_related("organisation").order_by("pk")],
        "qr": posters.qr_svg(url),
        "url": url,
        "footer": [f"Kiezwerk · {project.district.name}", settings.OPERATOR_NAME],
    }
    # Dates and times as a German reads them (the poster's first language), in Berlin's time.
    with translation.override("de"):
        document = posters.pdf("projects/poster.html", context)
    return document, posters.file_name("plakat", project.district.slug, project.title)
