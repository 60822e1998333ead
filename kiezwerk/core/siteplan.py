"""A small site plan of a spot: the district's register streets around it and a marker, drawn on the server.

It needs no JavaScript, no map tiles and no internet: pages show it as SVG (`{% site_plan %}`), the referral
mail carries it as a PNG. The streets are the district's street register (`Street.line`), so the plan names
the same streets as the address.
"""

import hashlib
import io
import math
from dataclasses import dataclass

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont
from shapely import geometry as shapely_geometry

from . import geo
from .models import Street

WIDTH, HEIGHT = 360, 220  # pixels
METRES_ACROSS = 260  # the plan shows this many metres from left to right


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float
    angle: float  # degrees, clockwise, kept between -90 and 90 so text never stands on its head


@dataclass(frozen=True)
class SitePlan:
    width: int
    height: int
    streets: list  # [[(x, y), …], …] in pixels
    labels: list  # [Label]
    marker: tuple  # (x, y)
    scale_m: int  # length of the scale bar in metres
    scale_px: float

    def polylines(self):
        """Each street as the `points` attribute of an SVG polyline."""
        return [" ".join(f"{x:.1f},{y:.1f}" for x, y in line) for line in self.streets]


def site_plan(district, lat, lon, *, address="", width=WIDTH, height=HEIGHT, metres_across=METRES_ACROSS):
    """The plan of the register streets within the window around (lat, lon), the spot in its centre.

    The street of `address` is named first, so its name finds a place before the others'. Drawing it takes
    a few milliseconds of geometry: a plan is kept in the cache until the district's data changes (saving a
    street of the register changes it too).
    """
    spot = f"{lat:.6f}:{lon:.6f}:{width}:{height}:{metres_across}:{hashlib.sha256(address.encode()).hexdigest()[:16]}"
    key = f"site-plan:{district.pk}:{district.data_version}:{spot}"
    plan = cache.get(key)
    if plan is None:
        plan = _draw(district, lat, lon, address, width, height, metres_across)
        cache.set(key, plan, timeout=7 * 24 * 3600)
    return plan


def _draw(district, lat, lon, address, width, height, metres_across):
    frame = geo.LocalFrame(lat, lon)
    per_metre = width / metres_across
    half_w, half_h = width / per_metre / 2, height / per_metre / 2
    window = shapely_geometry.box(-half_w, -half_h, half_w, half_h)

    def pixels(x, y):
        return (x + half_w) * per_metre, (half_h - y) * per_metre

    streets, labels = [], []
    # Where a label may not go: the marker (in pixels), then each label placed.
    taken = [shapely_geometry.Point(width / 2, height / 2).buffer(14)]
    picture = shapely_geometry.box(0, 0, width, height)
    rows = Street.objects.filter(district=district).values_list("name", "line")
    for name, line in sorted(rows, key=lambda row: not address.startswith(f"{row[0]} ")):
        if len(line) < 2:
            continue
        inside = frame.to_metres(shapely_geometry.LineString([point[:2] for point in line])).intersection(window)
        parts = [part for part in getattr(inside, "geoms", [inside]) if part.geom_type == "LineString" and part.length]
        for part in parts:
            streets.append([pixels(x, y) for x, y in part.coords])
        if parts:
            longest = max(parts, key=lambda part: part.length)
            label = _label(name, longest, pixels, taken, picture)
            if label is not None:
                labels.append(label)
    scale_m = 50
    return SitePlan(
        width=width,
        height=height,
        streets=streets,
        labels=labels,
        marker=(width / 2, height / 2),
        scale_m=scale_m,
        scale_px=scale_m * per_metre,
    )


def _label(name, line, pixels, taken, picture):
    """The name along the street where it covers neither the marker nor another name; None where it fits nowhere."""
    length_px = len(name) * 6.2  # about 11 px type
    # First where it covers nothing; then, rather than no name at all, under the marker (drawn above it).
    candidates = [(fraction, taken) for fraction in (0.5, 0.3, 0.7, 0.15, 0.85)]
    candidates += [(fraction, taken[1:]) for fraction in (0.5, 0.3, 0.7)]
    for fraction, avoid in candidates:
        middle = line.interpolate(fraction, normalized=True)
        ahead = line.interpolate(min(line.project(middle) + 1, line.length))
        behind = line.interpolate(max(line.project(middle) - 1, 0))
        (x1, y1), (x2, y2) = pixels(behind.x, behind.y), pixels(ahead.x, ahead.y)
        angle = math.degrees(math.atan2(y2 - y1, x2 - x1))
        if angle > 90:
            angle -= 180
        elif angle < -90:
            angle += 180
        x, y = pixels(middle.x, middle.y)
        dx, dy = math.cos(math.radians(angle)) * length_px / 2, math.sin(math.radians(angle)) * length_px / 2
        box = shapely_geometry.LineString([(x - dx, y - dy), (x + dx, y + dy)]).buffer(7, cap_style="flat")
        if box.within(picture) and not any(box.intersects(other) for other in avoid):
            taken.append(box)
            return Label(text=name, x=x, y=y, angle=round(angle, 1))
    return None


def site_plan_png(plan):
    """The plan as PNG bytes (for e-mail, where SVG is not shown)."""
    image = Image.new("RGB", (plan.width, plan.height), "#eef1f4")
    draw = ImageDraw.Draw(image)
    for line in plan.streets:
        draw.line(line, fill="#9aa5b1", width=12, joint="curve")
    for line in plan.streets:
        draw.line(line, fill="#ffffff", width=9, joint="curve")
    font = ImageFont.load_default(size=12)
    for label in plan.labels:
        text = Image.new("RGBA", (len(label.text) * 8 + 8, 18), (0, 0, 0, 0))
        ImageDraw.Draw(text).text((4, 2), label.text, fill="#1b1f24", font=font)
        turned = text.rotate(-label.angle, expand=True, resample=Image.Resampling.BICUBIC)
        image.paste(turned, (int(label.x - turned.width / 2), int(label.y - turned.height / 2)), turned)
    x, y = plan.marker
    draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill="#b3261e", outline="#ffffff", width=3)
    draw.line((12, plan.height - 12, 12 + plan.scale_px, plan.height - 12), fill="#1b1f24", width=3)
    draw.text((12, plan.height - 30), f"{plan.scale_m} m", fill="#1b1f24", font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
