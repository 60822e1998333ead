"""schema.org `Event` JSON-LD for an event's page (https://schema.org/Event), as a dict for `json_script`."""

import json

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

STATUS = {"scheduled": "https://schema.org/EventScheduled", "cancelled": "https://schema.org/EventCancelled"}


def event_jsonld(event, occurrence=None):
    """The event (its next date, or its first) for search engines and calendar apps; no personal data."""
    start, end = (occurrence.starts_at, occurrence.ends_at) if occurrence else (event.starts_at, event.ends_at)
    cancelled = event.cancelled or (occurrence is not None and occurrence.cancelled)
    place = {"@type": "Place", "name": event.venue.public_name if event.venue else event.address or event.district.name}
    place["address"] = {
        "@type": "PostalAddress",
        "streetAddress": event.address,
        "addressLocality": event.district.city or event.district.name,
        "addressCountry": "DE",
    }
    if event.lat is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": event.lat, "longitude": event.lon}
    organiser = event.organiser.public_name if event.organiser else event.district.name
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description,
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "eventStatus": STATUS["cancelled" if cancelled else "scheduled"],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place,
        "organizer": {"@type": "Organization", "name": organiser},
        "inLanguage": event.languages or [event.language],
        "isAccessibleForFree": event.is_free,
        "url": settings.SITE_URL + event.get_absolute_url(),
    }
    if not event.is_free:
        data["offers"] = {
            "@type": "Offer",
            "price": f"{event.price:.2f}",
            "priceCurrency": "EUR",
            "url": data["url"],
        }
    if event.image:
        data["image"] = settings.SITE_URL + event.image.url
    return data


# As Django's json_script escapes: nothing in the data can end the script element.
ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script(data):
    """The `<script type="application/ld+json">` element of `data` (a data block: no script runs, CSP allows it)."""
    text = json.dumps(data, ensure_ascii=False).translate(ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
