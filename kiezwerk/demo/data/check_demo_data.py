#!/usr/bin/env python3
"""Validate the Kiezwerk demo data set (oberhausen.json, its desk, projects and events) and print a summary.

Usage:  python check_demo_data.py [path/to/oberhausen.json]

The desk file (<name>_desk.json), the projects file (<name>_projects.json) and the events file
(<name>_events.json, its organisations checked against <name>_network.json) are looked for next to the
main file and checked when present.

Needs only the standard library and shapely (pip install shapely).
Exits with status 1 and lists every problem if the data breaks a rule.
"""

import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

from shapely.geometry import Point, Polygon

DEFAULT = Path(__file__).with_name("oberhausen.json")

# The languages of the category names and descriptions and of the welcome text; German is the source.
TEXT_LANGS = ["de", "en", "tr", "ar", "ru", "uk", "pl"]
NAME_KEYS = {f"name_{code}" for code in TEXT_LANGS}
DESCRIPTION_KEYS = {f"description_{code}" for code in TEXT_LANGS}
WELCOME_KEYS = {f"welcome_{code}" for code in TEXT_LANGS}
NAME_MAX, DESCRIPTION_MAX, WELCOME_MAX = 100, 200, 600

TOP_KEYS = {"district", "streets", "categories", "concerns"}
DISTRICT_KEYS = {"name", "slug", "city", "residents", "boundary"} | WELCOME_KEYS
STREET_KEYS = {"name", "first_number", "last_number", "line"}
CHILD_KEYS = {"slug", "sensitive"} | NAME_KEYS | DESCRIPTION_KEYS
CATEGORY_KEYS = CHILD_KEYS | {"children"}
CONCERN_KEYS = {
    "category",
    "title",
    "description",
    "language",
    "street",
    "house_number",
    "status",
    "age_days",
    "supporters",
    "reporter_name",
    "replies",
}
REPLY_KEYS = {"after_days", "text", "status"}

REQUIRED_TOP = ["waste", "streets", "lighting", "green", "traffic", "noise", "living-together", "safety", "other"]
REQUIRED_CHILDREN = {"waste": {"illegal-dumping", "overflowing-bins", "street-cleaning"}}
STATUSES = ["new", "triaged", "referred", "in_progress", "resolved", "declined", "duplicate"]
LANGS = ["de", "tr", "ar", "ru", "en"]
LANG_TARGET = {"de": 0.75, "tr": 0.07, "ar": 0.06, "ru": 0.06, "en": 0.06}
MUST_EXPLAIN = {"resolved", "declined", "duplicate"}

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|&[a-z]+;|&#\d+;")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE_RE = re.compile(r"(\+\d[\d ()/-]{6,}|\b0\d{2,5}[ /-]?\d{3,}\b)")
ARABIC_RE = re.compile(r"[\u0600-\u06FF]")
CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")
INFORMAL_RE = re.compile(r"\b(du|dich|dir|dein\w*)\b")

# The desk (oberhausen_desk.json).
DESK_KEYS = {"reply_templates", "concerns", "duplicates", "street_contacts", "field_notes"}
TEMPLATE_KEYS = {"title", "texts"}
TEMPLATE_LANGS = {"de", "en", "tr", "ar", "ru"}
WORK_KEYS = {"title", "assignee", "follow_up_in_days", "notes"}
NOTE_KEYS = {"after_days", "text"}
ASSIGNEES = {"manager", "volunteer"}
DUPLICATE_KEYS = {"concern", "original", "text"}
CONTACT_KEYS = {"days_ago", "time", "street", "house_number", "place", "topic", "language", "people", "note"}
CONTACT_LANGS = {"de", "tr", "ar", "ru"}
PEOPLE = {1, 3, 10, 30}
FIELD_NOTE_KEYS = {"days_ago", "time", "met", "street", "house_number", "place", "concern", "follow_up_in_days", "text"}
OPEN_STATUSES = {"new", "triaged", "referred", "in_progress"}
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# Street contacts are counted, never named.
NAME_RE = re.compile(r"\b(Frau|Herr|Familie|Fam\.)\s+[A-ZÄÖÜ]")

# The projects (oberhausen_projects.json): the team's four actions, German texts for residents.
PROJECT_KEYS = {"note", "volunteers", "litter", "garden", "party", "idea"}
PROJECT_TEXTS = {"title": 120, "goal": 300, "description": 5000}
# The volunteers' languages: the district's origins (German, Turkish, Arabic, Polish, Ukrainian, Russian).
VOLUNTEER_LANGS = {"de", "tr", "ar", "pl", "uk", "ru"}
LITTER_VOLUNTEERS, LITTER_KG = 23, 62
# Not texts for residents: names, keys, places of the register.
NOT_TEXT = {"street", "category", "language", "organisation", "pledged_by", "start", "end", "time", "owner"}

# The events (oberhausen_events.json): a year of the district's calendar, German texts for residents.
EVENTS_KEYS = {"note", "people", "events"}
EVENT_KEYS = {
    "title",
    "description",
    "organiser",
    "venue",
    "room",
    "topics",
    "languages",
    "access",
    "price",
    "price_note",
    "audience",
    "when",
    "announced_days_ago",
}
EVENT_OPTIONAL = {
    "street",
    "house_number",
    "project",
    "capacity",
    "offer_hours",
    "cancel_hours",
    "registrations",
    "cancel",
    "move",
    "report",
    "review",
    "submitted_by",
}
EVENT_TEXTS = {"title": 120, "description": 5000, "room": 120, "price_note": 200}
TOPICS = {
    "neighbourhood",
    "culture",
    "language",
    "advice",
    "family",
    "youth",
    "seniors",
    "environment",
    "sport",
    "participation",
}
AUDIENCES = {"everyone", "children", "youth", "families", "seniors", "women", "newcomers"}
ACCESS = {"step_free", "accessible_toilet", "hearing_loop", "sign_language", "child_care"}
WEEKDAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
WHEN_KEYS = {"from", "from_project", "weekday", "start", "end", "repeat", "interval", "setpos", "until", "count"}

LAT0, LON0 = 48.383, 10.880
M_PER_DEG_LAT = 111_132.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(LAT0))


class Checker:
    def __init__(self):
        self.errors = []

    def err(self, msg):
        self.errors.append(msg)

    def keys(self, obj, expected, where):
        if not isinstance(obj, dict):
            self.err(f"{where}: expected an object")
            return False
        got = set(obj)
        if got != expected:
            missing, extra = expected - got, got - expected
            self.err(f"{where}: keys differ (missing {sorted(missing)}, extra {sorted(extra)})")
            return False
        return True


def walk_text(c, label, text):
    if not isinstance(text, str):
        c.err(f"{label}: not a string")
        return
    if HTML_RE.search(text):
        c.err(f"{label}: looks like HTML")
    if EMAIL_RE.search(text):
        c.err(f"{label}: contains an e-mail address")
    if PHONE_RE.search(text):
        c.err(f"{label}: looks like a phone number")


def check_texts(c, where, node, prefix, limit):
    """node's <prefix>_<code> for every language: a non-empty string of at most `limit` characters, in its script."""
    for code in TEXT_LANGS:
        label = f"{where}.{prefix}_{code}"
        text = node.get(f"{prefix}_{code}")
        if not isinstance(text, str) or not text.strip():
            c.err(f"{label}: must be a non-empty string")
            continue
        walk_text(c, label, text)
        if len(text) > limit:
            c.err(f"{label}: {len(text)} characters, at most {limit}")
        if text != text.strip():
            c.err(f"{label}: leading or trailing whitespace")
        check_script(c, label, code, text)
        if code == "de" and INFORMAL_RE.search(text):
            c.err(f"{label}: address residents formally (Sie)")
        if code != "de" and prefix != "name" and text == node.get(f"{prefix}_de"):
            c.err(f"{label}: same as the German text (not translated?)")


def check_district(c, d):
    if not c.keys(d, DISTRICT_KEYS, "district"):
        return None
    check_texts(c, "district", d, "welcome", WELCOME_MAX)
    for k, v in (("name", "Oberhausen"), ("slug", "oberhausen"), ("city", "Augsburg"), ("residents", 25000)):
        if d[k] != v:
            c.err(f"district.{k} should be {v!r}, is {d[k]!r}")
    b = d["boundary"]
    if not isinstance(b, dict) or b.get("type") != "Polygon" or set(b) != {"type", "coordinates"}:
        c.err("district.boundary must be a GeoJSON Polygon geometry {type, coordinates}")
        return None
    rings = b["coordinates"]
    if len(rings) != 1:
        c.err(f"boundary should have exactly one ring (no holes), has {len(rings)}")
    ring = rings[0]
    if ring[0] != ring[-1]:
        c.err("boundary ring is not closed")
    nverts = len(ring) - 1
    if not 12 <= nverts <= 30:
        c.err(f"boundary has {nverts} vertices, expected 12-30")
    for lon, lat in ring:
        if not (10.7 < lon < 11.1 and 48.2 < lat < 48.5):
            c.err(f"boundary point {lon},{lat} is not near Augsburg (lon/lat order?)")
            break
    poly = Polygon(ring)
    if not poly.is_valid:
        from shapely.validation import explain_validity

        c.err(f"boundary polygon is invalid: {explain_validity(poly)}")
    minx, miny, maxx, maxy = poly.bounds
    width = (maxx - minx) * M_PER_DEG_LON
    height = (maxy - miny) * M_PER_DEG_LAT
    if not (min(width, height) >= 1500 and max(width, height) <= 3200):
        c.err(f"boundary extent {width:.0f} m x {height:.0f} m is not roughly 2.5 km x 2 km")
    cen = poly.centroid
    off = math.hypot((cen.x - LON0) * M_PER_DEG_LON, (cen.y - LAT0) * M_PER_DEG_LAT)
    if off > 400:
        c.err(f"boundary centroid is {off:.0f} m away from {LAT0},{LON0}")
    return poly, width, height, nverts


def check_streets(c, streets, poly):
    if not isinstance(streets, list) or not 28 <= len(streets) <= 40:
        c.err(f"streets: expected 28-40 entries, got {len(streets) if isinstance(streets, list) else '?'}")
    by_name = {}
    outside = 0
    for i, s in enumerate(streets):
        where = f"streets[{i}]"
        if not c.keys(s, STREET_KEYS, where):
            continue
        where = f"street {s['name']!r}"
        if s["name"] in by_name:
            c.err(f"{where}: duplicate name")
        by_name[s["name"]] = s
        if not (
            isinstance(s["first_number"], int)
            and isinstance(s["last_number"], int)
            and 0 < s["first_number"] < s["last_number"]
        ):
            c.err(f"{where}: need 0 < first_number < last_number")
        line = s["line"]
        if not 2 <= len(line) <= 8:
            c.err(f"{where}: line has {len(line)} points, expected 2-8")
        for pt in line:
            if len(pt) != 2:
                c.err(f"{where}: point {pt} is not [lon, lat]")
                continue
            if poly is not None and not poly.contains(Point(pt)):
                outside += 1
                c.err(f"{where}: point {pt} is not strictly inside the boundary")
    return by_name, outside


def check_categories(c, cats):
    slugs = {}  # slug -> (sensitive, top-level slug)
    top = []
    for i, cat in enumerate(cats):
        if not c.keys(cat, CATEGORY_KEYS, f"categories[{i}]"):
            continue
        top.append(cat["slug"])
        entries = [(cat, cat["slug"])] + [(ch, cat["slug"]) for ch in cat["children"]]
        for j, ch in enumerate(cat["children"]):
            c.keys(ch, CHILD_KEYS, f"categories[{cat['slug']}].children[{j}]")
        for node, parent in entries:
            slug = node.get("slug", "")
            if not SLUG_RE.match(slug):
                c.err(f"category slug {slug!r} is not lowercase ascii with hyphens")
            if slug in slugs:
                c.err(f"category slug {slug!r} is not unique")
            check_texts(c, f"category {slug!r}", node, "name", NAME_MAX)
            check_texts(c, f"category {slug!r}", node, "description", DESCRIPTION_MAX)
            if not isinstance(node.get("sensitive"), bool):
                c.err(f"category {slug!r}: sensitive must be true/false")
            want_sensitive = parent == "safety"
            if node.get("sensitive") is not want_sensitive:
                c.err(f"category {slug!r}: sensitive should be {want_sensitive}")
            slugs[slug] = (node.get("sensitive"), parent)
    if top != REQUIRED_TOP:
        c.err(f"top-level categories should be exactly {REQUIRED_TOP}, are {top}")
    by_top = {cat["slug"]: cat for cat in cats if isinstance(cat, dict) and "slug" in cat}
    for t in REQUIRED_TOP:
        kids = {ch["slug"] for ch in by_top.get(t, {}).get("children", [])}
        if t == "other":
            if kids:
                c.err("category 'other' must have no children")
        elif len(kids) < 2:
            c.err(f"category {t!r} should have at least two children")
        missing = REQUIRED_CHILDREN.get(t, set()) - kids
        if missing:
            c.err(f"category {t!r} lacks children {sorted(missing)}")
    return slugs


def check_concerns(c, concerns, streets, slugs):
    n = len(concerns) if isinstance(concerns, list) else 0
    if not 150 <= n <= 160:
        c.err(f"concerns: expected 150-160, got {n}")
    stats = {
        "lang": Counter(),
        "status": Counter(),
        "top": Counter(),
        "cat": Counter(),
        "quarter": Counter(),
        "replies": 0,
        "named": 0,
        "supporters": Counter(),
    }
    for i, con in enumerate(concerns):
        where = f"concerns[{i}]"
        if not c.keys(con, CONCERN_KEYS, where):
            continue
        where = f"concerns[{i}] ({con['title'][:40]!r})"
        for k in ("title", "description", "reporter_name"):
            walk_text(c, f"{where}.{k}", con[k])
        if not con["title"].strip() or len(con["title"]) > 80:
            c.err(f"{where}: title must be 1-80 characters (is {len(con['title'])})")
        if not con["description"].strip():
            c.err(f"{where}: empty description")
        cat = con["category"]
        if cat not in slugs:
            c.err(f"{where}: unknown category {cat!r}")
        else:
            stats["cat"][cat] += 1
            stats["top"][slugs[cat][1]] += 1
        st = con["street"]
        if st not in streets:
            c.err(f"{where}: unknown street {st!r}")
        else:
            s = streets[st]
            hn = con["house_number"]
            if not isinstance(hn, int) or not s["first_number"] <= hn <= s["last_number"]:
                c.err(f"{where}: house_number {hn!r} outside {s['first_number']}-{s['last_number']}")
        lang = con["language"]
        if lang not in LANGS:
            c.err(f"{where}: language {lang!r} not in {LANGS}")
        stats["lang"][lang] += 1
        text = con["title"] + " " + con["description"]
        if lang == "ar" and not ARABIC_RE.search(text):
            c.err(f"{where}: language ar but no Arabic script")
        if lang == "ru" and not CYRILLIC_RE.search(text):
            c.err(f"{where}: language ru but no Cyrillic script")
        if lang in ("de", "tr", "en") and (ARABIC_RE.search(text) or CYRILLIC_RE.search(text)):
            c.err(f"{where}: language {lang} but text contains Arabic/Cyrillic script")
        status = con["status"]
        if status not in STATUSES:
            c.err(f"{where}: status {status!r} not in {STATUSES}")
        stats["status"][status] += 1
        age = con["age_days"]
        if not isinstance(age, int) or not 0 <= age <= 364:
            c.err(f"{where}: age_days {age!r} not in 0-364")
            age = 0
        stats["quarter"][min(age // 91, 3)] += 1
        sup = con["supporters"]
        if not isinstance(sup, int) or not 0 <= sup <= 25:
            c.err(f"{where}: supporters {sup!r} not in 0-25")
        else:
            stats["supporters"]["0-3" if sup <= 3 else "4-25"] += 1
        if con["reporter_name"]:
            stats["named"] += 1
        # replies
        replies = con["replies"]
        if not isinstance(replies, list):
            c.err(f"{where}: replies must be a list")
            continue
        stats["replies"] += len(replies)
        prev = -1
        last_status = None
        for j, r in enumerate(replies):
            rw = f"{where}.replies[{j}]"
            if not c.keys(r, REPLY_KEYS, rw):
                continue
            walk_text(c, f"{rw}.text", r["text"])
            if not r["text"].strip():
                c.err(f"{rw}: empty text")
            a = r["after_days"]
            if not isinstance(a, int) or a < 0:
                c.err(f"{rw}: after_days must be a non-negative integer")
                continue
            if a <= prev:
                c.err(f"{rw}: after_days {a} not increasing (previous {prev})")
            if a > age:
                c.err(f"{rw}: after_days {a} > age_days {age}")
            prev = a
            if r["status"] is not None:
                if r["status"] not in STATUSES or r["status"] == "new":
                    c.err(f"{rw}: invalid reply status {r['status']!r}")
                last_status = r["status"]
        if status == "new":
            if last_status is not None:
                c.err(f"{where}: status 'new' but a reply changed the status")
        elif last_status != status:
            c.err(f"{where}: status {status!r} but last status-changing reply says {last_status!r}")
        if status in MUST_EXPLAIN and not replies:
            c.err(f"{where}: status {status!r} needs at least one explaining reply")
    return stats


def check_script(c, where, lang, text):
    if lang == "ar" and not ARABIC_RE.search(text):
        c.err(f"{where}: language ar but no Arabic script")
    if lang in ("ru", "uk") and not CYRILLIC_RE.search(text):
        c.err(f"{where}: language {lang} but no Cyrillic script")
    if lang in ("de", "tr", "en", "pl") and (ARABIC_RE.search(text) or CYRILLIC_RE.search(text)):
        c.err(f"{where}: language {lang} but text contains Arabic/Cyrillic script")


def check_place(c, where, spec, streets):
    street = streets.get(spec["street"])
    if street is None:
        c.err(f"{where}: unknown street {spec['street']!r}")
    elif not isinstance(spec["house_number"], int) or not (
        street["first_number"] <= spec["house_number"] <= street["last_number"]
    ):
        c.err(f"{where}: house_number {spec['house_number']!r} outside the street's numbers")
    if not isinstance(spec["days_ago"], int) or not 1 <= spec["days_ago"] <= 42:
        c.err(f"{where}: days_ago {spec['days_ago']!r} not in 1-42 (the past weeks)")
    if not isinstance(spec["time"], str) or not TIME_RE.match(spec["time"]):
        c.err(f"{where}: time {spec['time']!r} is not HH:MM")
    if not isinstance(spec["place"], str) or len(spec["place"]) > 200:
        c.err(f"{where}: place must be a string of at most 200 characters")


def check_desk(c, desk, streets, slugs, concerns):
    """The desk's content; concerns are the main file's, by title. Returns a summary dict."""
    stats = {"follow_ups": Counter(), "notes": 0, "assigned": Counter()}
    if not c.keys(desk, DESK_KEYS, "desk"):
        return stats
    by_title = {con["title"]: con for con in concerns if isinstance(con, dict) and "title" in con}

    templates = desk["reply_templates"]
    if not 6 <= len(templates) <= 8:
        c.err(f"desk.reply_templates: expected 6-8, got {len(templates)}")
    titles = set()
    for i, t in enumerate(templates):
        where = f"reply_templates[{i}]"
        if not c.keys(t, TEMPLATE_KEYS, where):
            continue
        if not t["title"].strip() or len(t["title"]) > 100 or t["title"] in titles:
            c.err(f"{where}: title must be unique and 1-100 characters")
        titles.add(t["title"])
        if set(t["texts"]) != TEMPLATE_LANGS:
            c.err(f"{where}: texts need exactly the languages {sorted(TEMPLATE_LANGS)}, have {sorted(t['texts'])}")
        for lang, text in t["texts"].items():
            walk_text(c, f"{where}.texts.{lang}", text)
            if isinstance(text, str):
                if not text.strip():
                    c.err(f"{where}.texts.{lang}: empty")
                check_script(c, f"{where}.texts.{lang}", lang, text)
        if isinstance(t["texts"].get("de"), str) and INFORMAL_RE.search(t["texts"]["de"]):
            c.err(f"{where}.texts.de: address residents formally (Sie)")

    for i, w in enumerate(desk["concerns"]):
        where = f"desk.concerns[{i}]"
        if not c.keys(w, WORK_KEYS, where):
            continue
        con = by_title.get(w["title"])
        if con is None:
            c.err(f"{where}: no concern titled {w['title']!r}")
        elif con["status"] not in OPEN_STATUSES:
            c.err(f"{where}: concern {w['title']!r} is {con['status']}, not open")
        if w["assignee"] not in ASSIGNEES:
            c.err(f"{where}: assignee {w['assignee']!r} not in {sorted(ASSIGNEES)}")
        stats["assigned"][w["assignee"]] += 1
        days = w["follow_up_in_days"]
        if not isinstance(days, int) or not -14 <= days <= 30:
            c.err(f"{where}: follow_up_in_days {days!r} not in -14..30")
        else:
            stats["follow_ups"]["overdue" if days < 0 else "today" if days == 0 else "later"] += 1
        for j, note in enumerate(w["notes"]):
            nw = f"{where}.notes[{j}]"
            if not c.keys(note, NOTE_KEYS, nw):
                continue
            walk_text(c, f"{nw}.text", note["text"])
            if not note["text"].strip():
                c.err(f"{nw}: empty text")
            if con and (not isinstance(note["after_days"], int) or not 0 <= note["after_days"] <= con["age_days"]):
                c.err(f"{nw}: after_days {note['after_days']!r} not within the concern's age")
            stats["notes"] += 1
    if len({w.get("title") for w in desk["concerns"]}) != len(desk["concerns"]):
        c.err("desk.concerns: a concern is listed twice")
    fu = stats["follow_ups"]
    if fu["overdue"] < 2 or not 2 <= fu["today"] <= 3 or fu["later"] < 3:
        c.err(f"desk.concerns: follow-ups should be a few overdue, 2-3 today, some later; are {dict(fu)}")
    if not stats["notes"]:
        c.err("desk.concerns: no internal notes")

    duplicates = {}
    for i, d in enumerate(desk["duplicates"]):
        where = f"desk.duplicates[{i}]"
        if not c.keys(d, DUPLICATE_KEYS, where):
            continue
        walk_text(c, f"{where}.text", d["text"])
        for role in ("concern", "original"):
            con = by_title.get(d[role])
            if con is None:
                c.err(f"{where}: no concern titled {d[role]!r}")
            elif con["status"] not in OPEN_STATUSES:
                c.err(f"{where}: the {role} {d[role]!r} is {con['status']}, not open")
        if d["concern"] == d["original"]:
            c.err(f"{where}: a concern cannot be its own duplicate")
        elif (
            d["concern"] in by_title
            and d["original"] in by_title
            and by_title[d["concern"]]["age_days"] > by_title[d["original"]]["age_days"]
        ):
            c.err(f"{where}: the duplicate is older than the original")
        duplicates[d["concern"]] = d["original"]
    if not 1 <= len(duplicates) <= 2:
        c.err(f"desk.duplicates: expected 1-2, got {len(duplicates)}")
    for original in duplicates.values():
        if original in duplicates:
            c.err(f"desk.duplicates: original {original!r} is itself marked as a duplicate")
    worked = {w.get("title") for w in desk["concerns"]}
    if worked & set(duplicates):
        c.err("desk: a concern marked as a duplicate also gets assigned or followed up")

    contacts = desk["street_contacts"]
    if not 15 <= len(contacts) <= 25:
        c.err(f"desk.street_contacts: expected 15-25, got {len(contacts)}")
    stats["contact_langs"] = Counter()
    for i, sc in enumerate(contacts):
        where = f"street_contacts[{i}]"
        if not c.keys(sc, CONTACT_KEYS, where):
            continue
        check_place(c, where, sc, streets)
        if sc["topic"] not in slugs:
            c.err(f"{where}: unknown topic {sc['topic']!r}")
        if sc["language"] not in CONTACT_LANGS:
            c.err(f"{where}: language {sc['language']!r} not in {sorted(CONTACT_LANGS)}")
        stats["contact_langs"][sc["language"]] += 1
        if sc["people"] not in PEOPLE:
            c.err(f"{where}: people {sc['people']!r} not in {sorted(PEOPLE)}")
        walk_text(c, f"{where}.note", sc["note"])
        if not sc["note"].strip() or len(sc["note"]) > 160:
            c.err(f"{where}: note must be short (1-160 characters)")
        if NAME_RE.search(sc["note"]) or NAME_RE.search(sc["place"]):
            c.err(f"{where}: street contacts name nobody")
    if set(stats["contact_langs"]) != CONTACT_LANGS:
        c.err(f"desk.street_contacts: languages {sorted(stats['contact_langs'])}, expected all of {CONTACT_LANGS}")

    notes = desk["field_notes"]
    if not 5 <= len(notes) <= 8:
        c.err(f"desk.field_notes: expected 5-8, got {len(notes)}")
    linked = overdue = with_follow_up = 0
    for i, fn in enumerate(notes):
        where = f"field_notes[{i}]"
        if not c.keys(fn, FIELD_NOTE_KEYS, where):
            continue
        check_place(c, where, fn, streets)
        for k in ("met", "text"):
            walk_text(c, f"{where}.{k}", fn[k])
            if not fn[k].strip():
                c.err(f"{where}: empty {k}")
        if len(fn["met"]) > 300:
            c.err(f"{where}: met longer than 300 characters")
        if NAME_RE.search(fn["met"]):
            c.err(f"{where}: name organisations and roles, not people")
        if fn["concern"] is not None:
            linked += 1
            if fn["concern"] not in by_title:
                c.err(f"{where}: no concern titled {fn['concern']!r}")
        days = fn["follow_up_in_days"]
        if days is not None:
            with_follow_up += 1
            overdue += days < 0
            if not isinstance(days, int) or not -14 <= days <= 30:
                c.err(f"{where}: follow_up_in_days {days!r} not in -14..30")
    if not linked or linked == len(notes):
        c.err("desk.field_notes: some (not all) should be linked to a concern")
    if overdue != 1 or with_follow_up < 2:
        c.err(f"desk.field_notes: expected several follow-ups, exactly one overdue; {with_follow_up}, {overdue}")
    stats.update(
        templates=len(templates),
        duplicates=len(duplicates),
        contacts=len(contacts),
        field_notes=len(notes),
        linked=linked,
    )
    return stats


def _texts(node, where):
    """(where, text) of every string of a project's spec that residents or the team read."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in NOT_TEXT:
                yield from _texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{where}[{index}]")
    elif isinstance(node, str):
        yield where, node


def _street_number(c, where, streets, street, number):
    found = streets.get(street)
    if found is None:
        c.err(f"{where}: unknown street {street!r}")
    elif not isinstance(number, int) or not found["first_number"] <= number <= found["last_number"]:
        c.err(f"{where}: house number {number!r} outside the street's numbers")


def check_projects(c, spec, streets, slugs):
    """The projects' content. Returns a summary dict."""
    if not c.keys(spec, PROJECT_KEYS, "projects"):
        return {}
    people = spec["volunteers"]
    names = [person[0] for person in people]
    if len(set(names)) != len(names):
        c.err("projects.volunteers: a name is listed twice")
    languages = Counter(person[1] for person in people)
    if set(languages) != VOLUNTEER_LANGS:
        c.err(f"projects.volunteers: languages {sorted(languages)}, expected {sorted(VOLUNTEER_LANGS)}")
    for kind in ("litter", "garden", "party", "idea"):
        project = spec[kind]
        for key, limit in PROJECT_TEXTS.items():
            if not isinstance(project.get(key), str) or not 1 <= len(project[key].strip()) <= limit:
                c.err(f"projects.{kind}.{key}: 1-{limit} characters")
        if "street" in project and "house_number" in project:
            _street_number(c, f"projects.{kind}", streets, project["street"], project["house_number"])
        for where, text in _texts({k: v for k, v in project.items() if k != "concerns"}, f"projects.{kind}"):
            walk_text(c, where, text)
            check_script(c, where, "de", text)
            if INFORMAL_RE.search(text):
                c.err(f"{where}: address residents formally (Sie)")

    litter = spec["litter"]
    if litter["category"] not in slugs or slugs[litter["category"]][1] != "waste":
        c.err(f"projects.litter.category {litter['category']!r} is not a waste category")
    if len(litter["concerns"]) != 6:
        c.err(f"projects.litter.concerns: expected 6, got {len(litter['concerns'])}")
    for i, con in enumerate(litter["concerns"]):
        where = f"projects.litter.concerns[{i}]"
        _street_number(c, where, streets, litter["street"], con["house_number"])
        if con["language"] not in LANGS:
            c.err(f"{where}: language {con['language']!r} not in {LANGS}")
        for key in ("title", "description"):
            walk_text(c, f"{where}.{key}", con[key])
            check_script(c, f"{where}.{key}", con["language"], con[key])
        if not TIME_RE.match(con["time"]):
            c.err(f"{where}: time {con['time']!r} is not HH:MM")
        # Reported before the project was started (36 days before the action), so it could be linked then.
        if not isinstance(con["days_before"], int) or not 37 <= con["days_before"] <= 90:
            c.err(f"{where}: days_before {con['days_before']!r} not in 37-90")
    helpers = sum(shift["volunteers"] for shift in litter["shifts"])
    if helpers != LITTER_VOLUNTEERS or helpers > len(people):
        c.err(f"projects.litter.shifts: {helpers} volunteers, expected {LITTER_VOLUNTEERS}")
    for i, shift in enumerate(litter["shifts"]):
        if not shift["volunteers"] <= shift["capacity"] or not TIME_RE.match(shift["start"]):
            c.err(f"projects.litter.shifts[{i}]: more volunteers than places, or a bad time")
    if litter["figures"].get("litter_kg") != LITTER_KG:
        c.err(f"projects.litter.figures: litter_kg should be {LITTER_KG}")
    if "{title}" not in litter["resolution"] or "{date}" not in litter["resolution"]:
        c.err("projects.litter.resolution must name the action ({title}) and its day ({date})")

    garden = spec["garden"]
    capacity, signups = garden["shift"]["capacity"], garden["signups"]
    full = [count for count in signups if count >= capacity]
    if full != [capacity + 2] or not all(0 < count < capacity for count in signups if count < capacity):
        c.err(f"projects.garden.signups {signups}: one shift full with two waiting, the others partly booked")
    return {
        "volunteers": len(people),
        "languages": dict(sorted(languages.items())),
        "litter": helpers,
        "garden": sum(signups),
    }


def check_events(c, spec, streets, organisations, projects):
    """The calendar's content; `organisations`: {name: has an address} of the network. Returns a summary dict."""
    if not c.keys(spec, EVENTS_KEYS, "events"):
        return {}
    people = spec["people"]
    if len({person[0] for person in people}) != len(people):
        c.err("events.people: a name is listed twice")
    if not {person[1] for person in people} <= VOLUNTEER_LANGS:
        c.err(f"events.people: languages beyond {sorted(VOLUNTEER_LANGS)}")
    titles, needed, series_count = set(), 0, 0
    for i, event in enumerate(spec["events"]):
        where = f"events.events[{i}]"
        if not isinstance(event, dict) or not EVENT_KEYS <= set(event) <= EVENT_KEYS | EVENT_OPTIONAL:
            c.err(f"{where}: keys must be {sorted(EVENT_KEYS)} and some of {sorted(EVENT_OPTIONAL)}")
            continue
        if event["title"] in titles:
            c.err(f"{where}: the title is used twice (events are made once by title)")
        titles.add(event["title"])
        for key, limit in EVENT_TEXTS.items():
            if len(event[key]) > limit or (key in ("title", "description") and not event[key].strip()):
                c.err(f"{where}.{key}: at most {limit} characters, title and description not empty")
        texts = [(f"{where}.{key}", event[key]) for key in EVENT_TEXTS]
        texts += [(f"{where}.cancel.reason", event["cancel"]["reason"])] if "cancel" in event else []
        texts += [(f"{where}.report.notes", note) for note in event.get("report", {}).get("notes", [])]
        for label, text in texts:
            walk_text(c, label, text)
            check_script(c, label, "de", text)
            if INFORMAL_RE.search(text):
                c.err(f"{label}: address residents formally (Sie)")
        if not event["topics"] or not set(event["topics"]) <= TOPICS:
            c.err(f"{where}.topics: one or more of {sorted(TOPICS)}")
        if not event["languages"] or not set(event["languages"]) <= set(TEXT_LANGS):
            c.err(f"{where}.languages: one or more of {TEXT_LANGS}")
        if not set(event["access"]) <= ACCESS or event["audience"] not in AUDIENCES:
            c.err(f"{where}: unknown accessibility feature or audience")
        for name in (event["organiser"], event["venue"], *event.get("report", {}).get("partners", [])):
            if name is not None and organisations and name not in organisations:
                c.err(f"{where}: unknown organisation {name!r}")
        if event["venue"] is None:
            _street_number(c, where, streets, event.get("street"), event.get("house_number"))
        elif organisations and not organisations.get(event["venue"]):
            c.err(f"{where}.venue: {event['venue']!r} has no address")
        if event.get("project") is not None and event["project"] not in projects:
            c.err(f"{where}.project: no project of the demo is called {event['project']!r}")
        when = event["when"]
        if not set(when) <= WHEN_KEYS or when.get("weekday") not in WEEKDAYS:
            c.err(f"{where}.when: keys of {sorted(WHEN_KEYS)}, a weekday of {sorted(WEEKDAYS)}")
            continue
        if not TIME_RE.match(when["start"]) or not TIME_RE.match(when["end"]) or when["end"] <= when["start"]:
            c.err(f"{where}.when: start and end are HH:MM, the end after the start")
        if when.get("repeat"):
            series_count += 1
            if when["repeat"] not in ("WEEKLY", "MONTHLY") or ("until" in when) == ("count" in when):
                c.err(f"{where}.when: a series repeats WEEKLY or MONTHLY, until a week or for a count")
        if not event["announced_days_ago"] > max(-7 * when["from"], 0):
            c.err(f"{where}.announced_days_ago: announced before its first date and before today")
        capacity, registrations = event.get("capacity"), event.get("registrations")
        if registrations:
            placed = registrations["registered"] + registrations["account"]
            full = capacity is not None and placed == capacity
            if capacity is None or placed > capacity or (registrations["waiting"] and not full):
                c.err(f"{where}.registrations: within the capacity; people wait only for a full date")
            if registrations["cancelled"] > registrations["registered"] or when["from"] <= 0:
                c.err(f"{where}.registrations: only for a date to come; only registered people cancel")
            needed += registrations["registered"] + registrations["waiting"]
        if ("cancel" in event or "move" in event) and not when.get("repeat"):
            c.err(f"{where}: only a series' date is cancelled or moved")
        if event.get("review", "approved") not in ("approved", "pending"):
            c.err(f"{where}.review: approved or pending")
    if needed > len(people):
        c.err(f"events.people: {len(people)} names for {needed} registrations")
    pending = sum(event.get("review") == "pending" for event in spec["events"])
    if pending != 2:
        c.err(f"events: {pending} submissions waiting for approval, expected 2")
    return {"events": len(spec["events"]), "series": series_count, "pending": pending, "registrations": needed}


def pct(part, whole):
    return f"{100.0 * part / whole:4.1f}%" if whole else "  - "


def main(argv):
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    c = Checker()
    if "\\u00" in raw:
        c.err("file contains \\u escapes; write it with ensure_ascii=False")
    if not c.keys(data, TOP_KEYS, "top level"):
        print("\n".join(c.errors))
        return 1
    dres = check_district(c, data["district"])
    poly = dres[0] if dres else None
    streets, outside = check_streets(c, data["streets"], poly)
    slugs = check_categories(c, data["categories"])
    stats = check_concerns(c, data["concerns"], streets, slugs)

    unused = [s for s in slugs if slugs[s][1] == s and stats["top"][s] == 0]
    if unused:
        c.err(f"top-level categories without concerns: {unused}")
    if stats["cat"]["other"] == 0:
        c.err("no concern uses the top-level category 'other'")
    n = sum(stats["lang"].values())
    for lang, target in LANG_TARGET.items():
        share = stats["lang"][lang] / n if n else 0
        if abs(share - target) > 0.03:
            c.err(f"language {lang}: {share:.1%} is too far from about {target:.0%}")
    if not 8 <= stats["top"]["safety"] <= 10:
        c.err(f"safety concerns: {stats['top']['safety']}, expected 8-10")
    desk_path = path.with_name(f"{path.stem}_desk.json")
    desk = None
    if desk_path.exists():
        desk_raw = desk_path.read_text(encoding="utf-8")
        if "\\u0" in desk_raw:
            c.err(f"{desk_path.name}: contains \\u escapes; write it with ensure_ascii=False")
        desk = check_desk(c, json.loads(desk_raw), streets, slugs, data["concerns"])
    projects_path = path.with_name(f"{path.stem}_projects.json")
    projects = None
    if projects_path.exists():
        projects_raw = projects_path.read_text(encoding="utf-8")
        if "\\u0" in projects_raw:
            c.err(f"{projects_path.name}: contains \\u escapes; write it with ensure_ascii=False")
        projects = check_projects(c, json.loads(projects_raw), streets, slugs)

    events_path = path.with_name(f"{path.stem}_events.json")
    events = None
    if events_path.exists():
        events_raw = events_path.read_text(encoding="utf-8")
        if "\\u0" in events_raw:
            c.err(f"{events_path.name}: contains \\u escapes; write it with ensure_ascii=False")
        network_path = path.with_name(f"{path.stem}_network.json")
        organisations = {}
        if network_path.exists():
            network = json.loads(network_path.read_text(encoding="utf-8"))
            organisations = {o["name"]: bool(o.get("street")) for o in network["organisations"]}
        titles = {p["title"] for p in json.loads(projects_raw).values() if isinstance(p, dict)} if projects else set()
        events = check_events(c, json.loads(events_raw), streets, organisations, titles)

    # summary
    print(f"File: {path}")
    if dres:
        _, w, h, nv = dres
        print(f"District: Oberhausen (Augsburg), boundary {nv} vertices, ~{w / 1000:.2f} km x {h / 1000:.2f} km, valid")
    npts = sum(len(s["line"]) for s in streets.values())
    print(f"Streets: {len(streets)} with {npts} points, {outside} outside the boundary")
    n_children = len(slugs) - len(REQUIRED_TOP)
    sensitive = sorted(s for s, (sens, _) in slugs.items() if sens)
    print(f"Categories: {len(REQUIRED_TOP)} top-level, {n_children} children, sensitive: {', '.join(sensitive)}")
    print(f"Concerns: {n}, replies: {stats['replies']}, with reporter name: {stats['named']}")
    languages = (f"{code} {stats['lang'][code]} ({pct(stats['lang'][code], n).strip()})" for code in LANGS)
    print("  languages: " + ", ".join(languages))
    print("  statuses:  " + ", ".join(f"{s} {stats['status'][s]}" for s in STATUSES))
    print("  by group:  " + ", ".join(f"{t} {stats['top'][t]}" for t in REQUIRED_TOP))
    print("  age:       " + ", ".join(f"{q * 91}-{min(q * 91 + 90, 364)} d: {stats['quarter'][q]}" for q in range(4)))
    print(f"  supporters: 0-3: {stats['supporters']['0-3']}, 4-25: {stats['supporters']['4-25']}")
    if desk and "templates" in desk:
        fu, assigned = desk["follow_ups"], desk["assigned"]
        print(f"Desk: {desk_path.name}, {desk['templates']} reply templates")
        print(
            f"  concerns worked on: manager {assigned['manager']}, volunteer {assigned['volunteer']}; follow-ups "
            f"overdue {fu['overdue']}, today {fu['today']}, later {fu['later']}; internal notes {desk['notes']}"
        )
        print(f"  duplicates: {desk['duplicates']}")
        print(f"  street contacts: {desk['contacts']} ({dict(sorted(desk['contact_langs'].items()))})")
        print(f"  conversation notes: {desk['field_notes']}, {desk['linked']} linked to a concern")
    if projects:
        print(f"Projects: {projects_path.name}, litter picking, garden, street party, internal idea")
        print(
            f"  volunteers: {projects['volunteers']} names ({projects['languages']}); litter picking "
            f"{projects['litter']}, garden sign-ups {projects['garden']}"
        )
    if events:
        print(
            f"Events: {events_path.name}, {events['events']} events ({events['series']} series, "
            f"{events['pending']} waiting for approval), {events['registrations']} registrations by name"
        )
    if c.errors:
        print(f"\nFAILED with {len(c.errors)} problem(s):")
        for e in c.errors:
            print("  - " + e)
        return 1
    print("\nOK: all checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
