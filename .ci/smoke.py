"""A short walk through a running Kiezwerk over real HTTP, as production serves it (`.ci/run` starts it).

Home, the report form with a photo, the map data, the concern page, a project and a shift sign-up, login and
the desk with its projects; the static
files by their hashed names; compression; /healthz and /readyz. Exits non-zero on the first thing that does not work.
Standard library only: it runs with any Python.
"""

import gzip
import io
import json
import re
import sys
import uuid
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

BASE = sys.argv[1].rstrip("/")
if not BASE.startswith(("http://", "https://")):
    sys.exit(f"usage: smoke.py http://host:port (not {BASE!r})")
DISTRICT = "oberhausen"
opener = build_opener(HTTPCookieProcessor(CookieJar()))


# The headers of the last answer (fetch asks for gzip, as browsers do, and unpacks it).
last = {}


def fetch(path, data=None, headers=None):
    headers = {"Accept-Language": "de", "Accept-Encoding": "gzip", **(headers or {})}
    request = Request(BASE + path, data=data, headers=headers)  # noqa: S310 - BASE is checked to be http(s) above
    try:
        response = opener.open(request, timeout=30)
    except HTTPError as error:
        response = error
    with response:
        body = response.read()
        last.clear()
        last.update(response.headers.items())
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.status, response.geturl(), body.decode(errors="replace")


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        sys.exit(1)


def csrf(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, mimetype) in files.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {mimetype}\r\n\r\n".encode()
        )
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def photo():
    from PIL import Image  # in the virtualenv that runs this

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 60, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


status, _url, home = fetch("/")
check(status == 200 and "Anliegen melden" in home, "home page (200, German)")
check(last.get("Content-Encoding") == "gzip", "HTML is sent compressed")
css = re.search(r'href="(/static/css/kiezwerk\.[0-9a-f]{12}\.css)"', home)
check(css is not None, "the stylesheet is linked by its hashed name (collectstatic manifest)")
check(fetch(css.group(1))[0] == 200, "the hashed stylesheet is served")
status, _url, health = fetch("/healthz")
check(status == 200 and json.loads(health)["status"] == "ok", "/healthz says ok")
status, _url, ready = fetch("/readyz")
check(status == 200 and json.loads(ready)["migrations"] == "ok", "/readyz says ok (migrations applied)")

status, _url, form = fetch(f"/districts/{DISTRICT}/report/")
check(status == 200, "report form")
fields = {
    "csrfmiddlewaretoken": csrf(form),
    "category": re.search(r'<option value="(\d+)"', form).group(1),
    "title": "Smoke: Sperrmüll an der Ecke",
    "description": "Zwei Sofas seit Montag.",
    "street": "Donauwörther Straße",
    "house_number": "12",
}
body, headers = multipart(fields, {"photos": ("sofa.jpg", photo(), "image/jpeg")})
status, url, thanks = fetch(f"/districts/{DISTRICT}/report/", body, {**headers, "Referer": BASE + "/"})
check(status == 200 and "/report/thanks/" in url, "report with a photo is filed")
tracking = re.search(r'href="([^"]*/track/[^"]+/)"', thanks).group(1)
status, _url, tracked = fetch(tracking.removeprefix(BASE))
check(
    status == 200 and "Smoke: Sperrmüll an der Ecke" in tracked and "Donauwörther Straße 12" in tracked,
    "tracking page names the concern and its address",
)
check(len(re.findall(r'<ul class="thumbs">\s*<li><a href="/media/', tracked)) == 1, "tracking page shows the photo")

status, _url, data = fetch(f"/districts/{DISTRICT}/map/data.json?zoom=15")
check(status == 200 and json.loads(data)["total"] > 0, "map data for the district's viewport (GeoJSON)")
check(last.get("Content-Encoding") == "gzip", "map data is sent compressed")
status, _url, data = fetch(f"/open-data/{DISTRICT}/concerns.geojson")
check(status == 200 and json.loads(data)["type"] == "FeatureCollection", "open data download (GeoJSON)")
status, _url, listing = fetch(f"/districts/{DISTRICT}/concerns/")
concern = re.search(r'href="(/concerns/\d+/)"', listing).group(1)
check(status == 200 and fetch(concern)[0] == 200, "concern list and a concern page")

status, _url, projects = fetch(f"/projects/{DISTRICT}/")
check(status == 200 and "Gemeinschaftsgarten Am Gaswerk" in projects, "the district's projects (public list)")
garden = re.search(r'href="(/projects/[^"]+/\d+/)"[^>]*>Gemeinschaftsgarten', projects).group(1)
status, _url, page = fetch(garden)
check(status == 200 and "Mitmachen" in page, "a project page with its shifts")
signup = re.search(r'href="(/projects/[^"#]+/signup/)"', page).group(1)
status, _url, form = fetch(signup)
check(status == 200 and "Ihre E-Mail-Adresse" in form, "a shift's sign-up page")
# An address of its own for every walk: the walk runs again on the restored copy, where it signed up already.
address = f"smoke-{uuid.uuid4().hex[:8]}@example.org"
helper = {"csrfmiddlewaretoken": csrf(form), "name": "Smoke Helferin", "email": address}
status, _url, after = fetch(signup, urlencode(helper).encode(), {"Referer": BASE + signup})
check(status == 200 and "E-Mail" in after and "Smoke Helferin" not in after, "a shift sign-up (no name in public)")

status, _url, calendar = fetch(f"/events/{DISTRICT}/")
check(status == 200 and "Nachbarschaftscafé" in calendar, "the district's calendar")
status, _url, month = fetch(f"/events/{DISTRICT}/?view=month")
check(status == 200 and '<table class="month">' in month, "the calendar's month")
cafe = re.search(r'href="(/events/[^"#]+/\d+/)#date-\d+"[^>]*>Nachbarschaftscafé', calendar).group(1)
status, _url, event_page = fetch(cafe)
check(status == 200 and "application/ld+json" in event_page, "an event page with its JSON-LD")
status, _url, feed = fetch(f"/events/{DISTRICT}/calendar.ics")
check(status == 200 and "BEGIN:VTIMEZONE" in feed and "RRULE:" in feed, "the district's iCalendar feed")
status, _url, _sheet = fetch(f"/events/{DISTRICT}/week.pdf")
check(status == 200 and last.get("Content-Type") == "application/pdf", "the week sheet to print")

status, _url, login = fetch("/accounts/login/")
credentials = {"csrfmiddlewaretoken": csrf(login), "login": "quartiersmanager@example.org", "password": "kiezwerk-demo"}
status, url, _page = fetch("/accounts/login/", urlencode(credentials).encode(), {"Referer": BASE + "/accounts/login/"})
check(status == 200 and "/desk/" in url, "login lands on the desk")
status, _url, desk = fetch(f"/desk/{DISTRICT}/?q=Smoke")
check(status == 200 and "Smoke: Sperrmüll an der Ecke" in desk, "the desk inbox finds the new concern")
status, _url, team = fetch(f"/desk/{DISTRICT}/projects/")
check(status == 200 and "Tauschregal am Oberhauser Bahnhof" in team, "the team's projects, the internal idea too")
print("smoke walk: all ok")
