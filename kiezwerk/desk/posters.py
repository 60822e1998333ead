"""The poster for a place: "Something wrong here? Report it here." with a QR code to the report form, place set."""

from django.conf import settings
from django.utils.translation import gettext as _

from kiezwerk.concerns.forms import report_link
from kiezwerk.core import posters


def concern_poster(*, district, lat, lon, place, languages):
    """(PDF, file name) of an A4 poster for a place in German and the further `languages` (German first)."""
    url = report_link(district, lat=lat, lon=lon)
    blocks = posters.in_languages(
        languages,
        lambda: {
            "title": _("Something wrong here?"),
            "text": _("Report it here."),
            "hint": _("Scan the code with your phone's camera. No account needed."),
        },
    )
    context = {
        "blocks": blocks,
        "place": place,
        "qr": posters.qr_svg(url),
        "url": url,
        "footer": [f"Kiezwerk · {district.name}", settings.OPERATOR_NAME],
    }
    return posters.pdf("core/poster.html", context), posters.file_name("aushang", district.slug, place)
