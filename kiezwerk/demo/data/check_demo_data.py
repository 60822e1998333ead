#!/usr/bin/env python3
"""Validate the Kiezwerk demo data set (oberhausen.json) and print a summary.

Usage:  python check_demo_data.py [path/to/oberhausen.json]

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

TOP_KEYS = {"district", "streets", "categories", "concerns"}
DISTRICT_KEYS = {"name", "slug", "city", "residents", "boundary"}
STREET_KEYS = {"name", "first_number", "last_number", "line"}
CATEGORY_KEYS = {"slug", "name_de", "name_en", "sensitive", "children"}
CHILD_KEYS = {"slug", "name_de", "name_en", "sensitive"}
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


def check_district(c, d):
    if not c.keys(d, DISTRICT_KEYS, "district"):
        return None
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
            if not node.get("name_de") or not node.get("name_en"):
                c.err(f"category {slug!r}: name_de and name_en are required")
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
    if c.errors:
        print(f"\nFAILED with {len(c.errors)} problem(s):")
        for e in c.errors:
            print("  - " + e)
        return 1
    print("\nOK: all checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
