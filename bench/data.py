"""The benchmark's data: 10 districts with category trees, 100,000 concerns and their timelines.

Filled once, in one transaction, with bulk inserts; kept between runs.
"""

import hashlib
import random
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from kiezwerk.concerns.models import Category, Concern, Moderation, Update, UpdateKind
from kiezwerk.core.models import District
from kiezwerk.core.services import district_load

DISTRICTS = 10
CONCERNS_PER_DISTRICT = 10_000
SIZE = 0.02  # degrees: about 2.2 km north-south, 1.5 km east-west at 48° N
BATCH = 5000
DAYS = 730

TOPS = ["Müll", "Straße", "Grün", "Licht", "Spielplatz", "Verkehr", "Lärm", "Nachbarschaft", "Sonstiges"]
CHILDREN_PER_TOP = [3, 3, 3, 3, 3, 3, 2, 0, 0]  # 20 children; the last two groups are leaves themselves
STATUSES = {"new": 20, "triaged": 10, "referred": 10, "in_progress": 15, "resolved": 35, "declined": 5, "duplicate": 5}
CLOSED = {"resolved", "declined", "duplicate"}
SENSITIVE_MODERATION = {Moderation.APPROVED: 60, Moderation.PENDING: 25, Moderation.REJECTED: 15}
CHANNELS = {"web": 60, "street": 15, "phone": 10, "office": 5, "email": 8, "api": 2}
TITLES = [
    "Sperrmüll auf dem Gehweg",
    "Schlagloch in der Fahrbahn",
    "Straßenlaterne defekt",
    "Überquellender Papierkorb",
    "Graffiti an der Unterführung",
    "Ast hängt über den Radweg",
    "Spielgerät kaputt",
    "Falschparker auf dem Gehweg",
    "Glasscherben auf dem Spielplatz",
    "Bank beschädigt",
]
DESCRIPTION = (
    "Seit einigen Tagen ist hier etwas nicht in Ordnung. Bitte schauen Sie sich das an, "
    "besonders für Kinder und ältere Menschen ist die Stelle gefährlich."
)


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def square(lat, lon, size=SIZE):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def is_filled():
    """True if the database holds the benchmark's data; exits if it holds something else."""
    concerns = Concern.objects.count()
    if concerns == DISTRICTS * CONCERNS_PER_DISTRICT and District.objects.count() == DISTRICTS:
        return True
    if concerns or District.objects.exists():
        raise SystemExit(
            f"The bench database holds {concerns} concerns, not {DISTRICTS * CONCERNS_PER_DISTRICT}: "
            "delete bench/var/bench.sqlite3 (or drop the PostgreSQL database) and run again."
        )
    return False


@contextmanager
def _timestamps_as_given():
    """Let bulk_create keep our created_at/updated_at instead of auto_now(_add)."""
    fields = [Concern._meta.get_field("created_at"), Concern._meta.get_field("updated_at")]
    saved = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _categories(district):
    """A two-level tree; returns the leaves a concern can be filed under."""
    tops = Category.objects.bulk_create(
        Category(district=district, slug=f"g{i}", name=name, translations={"en": f"Group {i}"}, position=i)
        for i, name in enumerate(TOPS)
    )
    children = Category.objects.bulk_create(
        Category(
            district=district,
            parent=top,
            slug=f"g{i}-{j}",
            name=f"{top.name} {j + 1}",
            translations={"en": f"Group {i}, kind {j + 1}"},
            position=j,
            sensitive=(i, j) == (6, 1),
        )
        for i, (top, count) in enumerate(zip(tops, CHILDREN_PER_TOP, strict=True))
        for j in range(count)
    )
    return children + [top for top, count in zip(tops, CHILDREN_PER_TOP, strict=True) if not count]


def _concern(rng, number, district, leaves, created, now):
    category = rng.choice(leaves)
    status = _weighted(rng, STATUSES)
    updated = min(created + timedelta(days=rng.expovariate(1 / 20)), now)
    return Concern(
        district=district,
        category=category,
        title=f"{rng.choice(TITLES)} ({number})",
        description=DESCRIPTION,
        lat=rng.uniform(district.min_lat, district.max_lat),
        lon=rng.uniform(district.min_lon, district.max_lon),
        address=f"Musterstraße {rng.randint(1, 120)}" if rng.random() < 0.4 else "",
        status=status,
        moderation=_weighted(rng, SENSITIVE_MODERATION) if category.sensitive else Moderation.NOT_REQUIRED,
        channel=_weighted(rng, CHANNELS),
        supporter_count=min(int(rng.paretovariate(1.5)) - 1, 500),
        tracking_token_hash=hashlib.sha256(f"bench-{number}".encode()).hexdigest(),
        created_at=created,
        updated_at=updated,
        closed_at=updated if status in CLOSED else None,
    )


def _updates(rng, concern):
    """The "created" entry (as the app writes it), now and then a public reply or an internal note."""
    yield Update(concern=concern, kind=UpdateKind.CREATED, created_at=concern.created_at)
    roll, later = rng.random(), concern.updated_at
    if roll < 0.1:
        yield Update(concern=concern, kind=UpdateKind.REPLY, text="Danke, wir kümmern uns.", created_at=later)
    elif roll < 0.15:
        yield Update(concern=concern, kind=UpdateKind.NOTE, is_public=False, text="intern", created_at=later)


def fill(seed=1):
    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic(), _timestamps_as_given():
        districts, leaves = [], {}
        for i in range(DISTRICTS):
            lat, lon = 48.30 + (i // 5) * 0.03, 10.80 + (i % 5) * 0.03
            district = district_load(name=f"Bench {i + 1:02d}", slug=f"bench-{i + 1:02d}", boundary=square(lat, lon))
            districts.append(district)
            leaves[district.pk] = _categories(district)
        # Concerns arrive over two years, all districts mixed, in time order (as in a real database).
        times = sorted(now - timedelta(days=rng.uniform(0, DAYS)) for _ in range(DISTRICTS * CONCERNS_PER_DISTRICT))
        owners = [d for d in districts for _ in range(CONCERNS_PER_DISTRICT)]
        rng.shuffle(owners)
        for start in range(0, len(times), BATCH):
            batch = [
                _concern(rng, n, owners[n], leaves[owners[n].pk], times[n], now)
                for n in range(start, min(start + BATCH, len(times)))
            ]
            Concern.objects.bulk_create(batch)
            Update.objects.bulk_create([u for concern in batch for u in _updates(rng, concern)], batch_size=BATCH)
        District.objects.filter(pk__in=[d.pk for d in districts]).update(data_version=F("data_version") + 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does soon after a bulk load
