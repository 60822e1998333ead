"""The benchmark's data: the measured district `bench-01` with BENCH_CONCERNS concerns, two small ones beside it.

Filled once, in one transaction, with bulk inserts; kept between runs. One database per size.
"""

import hashlib
import math
import random
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from bench import CONCERNS
from kiezwerk.accounts.models import Role, User
from kiezwerk.concerns.models import Category, Concern, EntryKind, Moderation
from kiezwerk.core.models import District, Entry
from kiezwerk.core.services import district_load

MEASURED = "bench-01"
# Two more districts, so every query has to pick the measured district's rows out of others.
DISTRICTS = 3
OTHER_CONCERNS = 1_000
SIZE = 0.02  # degrees: about 2.2 km north-south, 1.5 km east-west at 48° N
BATCH = 5000
DAYS = 730
UNUSABLE = "!bench"  # an unusable password hash

TOPS = ["Müll", "Straße", "Grün", "Licht", "Spielplatz", "Verkehr", "Lärm", "Nachbarschaft", "Sonstiges"]
CHILDREN_PER_TOP = [3, 3, 3, 3, 3, 3, 2, 0, 0]  # 20 children; the last two groups are leaves themselves
# Open concerns: about a third of all, most of them recent (older concerns are mostly closed).
OPEN_STATUSES = {"triaged": 30, "referred": 20, "in_progress": 45, "new": 5}
CLOSED_STATUSES = {"resolved": 80, "declined": 10, "duplicate": 10}
CLOSED = set(CLOSED_STATUSES)
SENSITIVE_MODERATION = {Moderation.APPROVED: 60, Moderation.PENDING: 25, Moderation.REJECTED: 15}
CHANNELS = {"web": 60, "street": 15, "phone": 10, "office": 5, "email": 8, "api": 2}
# Each district's team: the manager the benchmark logs in as, a moderator, volunteers (weights: share of work).
TEAM = [("manager", "manager", 30), ("moderator", "moderator", 10)] + [
    (f"volunteer{i}", "volunteer", 15) for i in range(1, 5)
]
STREETS = [
    "Hauptstraße",
    "Schulstraße",
    "Bahnhofstraße",
    "Gartenstraße",
    "Lindenweg",
    "Kirchplatz",
    "Mühlgasse",
    "Ringstraße",
    "Am Anger",
    "Bergstraße",
    "Feldweg",
    "Wiesenstraße",
    "Uferweg",
    "Marktplatz",
    "Eichendorffstraße",
    "Goethestraße",
    "Schillerplatz",
    "Rosenweg",
    "Birkenallee",
    "Parkstraße",
    "Friedhofsweg",
    "Brunnenstraße",
]
PLACES = [
    "vor dem Haus Nr. {n}",
    "an der Ecke {street}",
    "gegenüber der Bäckerei",
    "neben der Bushaltestelle",
    "am Eingang zum Park",
    "hinter dem Supermarkt",
    "vor der Grundschule",
    "an der Kreuzung {street}",
    "beim Kindergarten",
    "am Wertstoffhof",
    "vor der Apotheke",
    "neben dem Spielplatz",
    "an der Unterführung",
    "vor dem Jugendzentrum",
    "am Bolzplatz",
    "in der Einfahrt",
    "an der Haltestelle {street}",
    "am Brunnen",
]
# Per top-level category (TOPS): (titles, sentences). {place} and {street} are filled in.
TOPICS = [
    (
        [
            "Sperrmüll {place}",
            "Überquellender Papierkorb {place}",
            "Wilder Müll {place}",
            "Altkleidercontainer voll",
            "Müllsäcke {place} abgestellt",
            "Glascontainer quillt über",
            "Illegale Müllablagerung am {street}",
            "Hundekot auf dem Gehweg",
            "Verpackungsmüll {place}",
            "Kühlschrank {place} entsorgt",
            "Bauschutt in der Grünfläche",
            "Zigarettenkippen {place}",
        ],
        [
            "Der Papierkorb wird offenbar zu selten geleert.",
            "Jemand hat alte Möbel einfach abgestellt.",
            "Die Säcke sind aufgerissen und der Inhalt verteilt sich.",
            "Es riecht inzwischen unangenehm.",
            "Ratten wurden schon gesichtet.",
            "Die Container am Wertstoffhof sind seit Tagen voll.",
            "Der Wind verteilt den Abfall über die ganze Straße.",
            "Es liegen Matratzen und Sofateile herum.",
        ],
    ),
    (
        [
            "Schlagloch {place}",
            "Schlaglöcher in der {street}",
            "Gehweg abgesackt {place}",
            "Pflastersteine lose {place}",
            "Bordstein beschädigt",
            "Kanaldeckel klappert {place}",
            "Riss im Asphalt am {street}",
            "Radweg uneben",
            "Treppe am {street} beschädigt",
            "Gullydeckel fehlt",
            "Pfütze bleibt nach jedem Regen",
            "Absenkung am Übergang fehlt",
        ],
        [
            "Das Loch ist etwa zwanzig Zentimeter tief.",
            "Radfahrer müssen auf die Fahrbahn ausweichen.",
            "Mit dem Rollator kommt man hier kaum vorbei.",
            "Bei Regen sieht man die Stelle nicht.",
            "Die Steine haben sich gelockert und kippeln.",
            "Nachts fahren Autos mit lautem Schlag darüber.",
            "Der Belag bröckelt an mehreren Stellen.",
            "Kinderwagen bleiben in der Rinne hängen.",
        ],
    ),
    (
        [
            "Ast hängt über den Radweg",
            "Baum umgestürzt {place}",
            "Hecke wächst über den Gehweg",
            "Totholz in der Baumkrone",
            "Rasen nicht gemäht {place}",
            "Beet zertrampelt",
            "Wurzeln heben den Belag",
            "Baumscheibe vermüllt",
            "Unkraut auf dem Spielfeld",
            "Laub verstopft den Abfluss",
            "Neupflanzung vertrocknet",
            "Brennnesseln am Weg {place}",
        ],
        [
            "Der Ast ist ziemlich dick und könnte herunterfallen.",
            "Nach dem Sturm ist hier vieles beschädigt.",
            "Fußgänger müssen auf die Straße ausweichen.",
            "Die jungen Bäume brauchen dringend Wasser.",
            "Das Gras steht kniehoch.",
            "Im Herbst wird es hier glatt.",
            "Die Hecke verdeckt das Verkehrsschild.",
            "Eine Baumpatenschaft würden wir gern übernehmen.",
        ],
    ),
    (
        [
            "Straßenlaterne defekt {place}",
            "Laterne flackert am {street}",
            "Beleuchtung ausgefallen",
            "Lampe im Durchgang kaputt",
            "Laterne brennt auch tagsüber",
            "Dunkler Weg {place}",
            "Mehrere Laternen aus in der {street}",
            "Ampel dunkel",
            "Beleuchtung der Unterführung fehlt",
            "Lichtmast schief",
            "Leuchte hängt lose",
            "Weg zum Bahnhof unbeleuchtet",
        ],
        [
            "Abends ist es hier stockdunkel.",
            "Die Lampe geht an und aus.",
            "Man fühlt sich nachts unsicher.",
            "Schon seit zwei Wochen ist das so.",
            "Der Mast hat sich nach dem Unfall geneigt.",
            "Besonders im Winter ist das gefährlich.",
            "Die Kabel schauen aus dem Sockel heraus.",
            "Es betrifft den ganzen Abschnitt bis zur Kreuzung.",
        ],
    ),
    (
        [
            "Spielgerät kaputt {place}",
            "Schaukel defekt",
            "Rutsche hat scharfe Kante",
            "Sandkasten verschmutzt",
            "Glasscherben auf dem Spielplatz",
            "Klettergerüst wackelt",
            "Zaun am Spielplatz offen",
            "Wippe gebrochen",
            "Sand muss erneuert werden",
            "Spritzen im Gebüsch gefunden",
            "Trinkbrunnen ohne Wasser",
            "Sonnensegel zerrissen",
        ],
        [
            "Die Kinder können sich hier verletzen.",
            "Im Sand liegen Scherben.",
            "Die Kette der Schaukel ist gerissen.",
            "Das Tor schließt nicht mehr, Hunde laufen herein.",
            "Eltern haben das Gerät provisorisch abgesperrt.",
            "Eine Schraube steht heraus.",
            "Nachmittags spielen hier viele Kinder.",
            "Der Fallschutz fehlt teilweise.",
        ],
    ),
    (
        [
            "Falschparker {place}",
            "Auto blockiert den Radweg",
            "Raser in der {street}",
            "Verkehrsschild verdreht",
            "Zebrastreifen verblasst",
            "Ampelschaltung zu kurz",
            "Autowrack {place} abgestellt",
            "Lieferverkehr im Halteverbot",
            "Sichtbehinderung an der Kreuzung",
            "Fahrradständer fehlt",
            "Bushaltestelle ohne Dach",
            "Poller umgefahren",
        ],
        [
            "Die Autos fahren hier viel zu schnell.",
            "Morgens parken Eltern in zweiter Reihe.",
            "Fußgänger schaffen es nicht rechtzeitig über die Straße.",
            "Das Fahrzeug steht schon seit Wochen hier.",
            "Rettungswagen kommen kaum durch.",
            "Ein Tempolimit wäre sinnvoll.",
            "Die Markierung ist kaum zu sehen.",
            "Kinder auf dem Schulweg sind gefährdet.",
        ],
    ),
    (
        [
            "Lärm nachts {place}",
            "Laute Musik am Wochenende",
            "Baustellenlärm am frühen Morgen",
            "Laubbläser am Sonntag",
            "Lautes Feiern im Park",
            "Motorradlärm in der {street}",
            "Lüftungsanlage brummt",
            "Hundegebell den ganzen Tag",
            "Glascontainer nachts benutzt",
            "Lärm vom Bolzplatz",
        ],
        [
            "An Schlaf ist nicht zu denken.",
            "Es geht bis nach Mitternacht.",
            "Die Ruhezeiten werden nicht beachtet.",
            "Die Nachbarn haben sich schon beschwert.",
            "Das Geräusch ist auch bei geschlossenem Fenster zu hören.",
            "Die Baustelle beginnt um sechs Uhr.",
        ],
    ),
    (
        [
            "Nachbarschaftstreff gewünscht",
            "Idee: Bücherschrank {place}",
            "Bank {place} fehlt",
            "Gemeinschaftsgarten anlegen",
            "Hofflohmarkt organisieren",
            "Sitzgelegenheit für Senioren",
            "Treffpunkt für Jugendliche",
            "Graffiti an der Unterführung",
            "Schmierereien an der Hauswand",
            "Offener Kühlschrank für Lebensmittel",
        ],
        [
            "Viele ältere Menschen würden sich freuen.",
            "Wir würden gern mithelfen.",
            "Im Viertel gibt es kaum Orte zum Treffen.",
            "Die Fläche liegt seit Jahren brach.",
            "Die Hausverwaltung ist einverstanden.",
            "Bitte melden Sie sich bei mir.",
        ],
    ),
    (
        [
            "Frage zur Zuständigkeit",
            "Hinweis {place}",
            "Briefkasten beschädigt",
            "Brunnen ohne Wasser",
            "Tauben nisten unter der Brücke",
            "Wespennest {place}",
            "Öffentliche Toilette verschlossen",
            "Infotafel veraltet",
            "Schild unleserlich",
            "Wasser tritt aus {place}",
        ],
        [
            "Ich weiß nicht, wer dafür zuständig ist.",
            "Vielleicht können Sie das weiterleiten.",
            "Das ist schon länger so.",
            "Vielen Dank für Ihre Mühe.",
            "Ich habe ein Foto angehängt.",
        ],
    ),
]
GENERIC = [
    "Seit einigen Tagen ist das so.",
    "Bitte schauen Sie sich das an.",
    "Das betrifft viele Anwohner.",
    "Ich wohne gleich nebenan.",
    "Vielen Dank im Voraus.",
    "Es wäre schön, wenn sich bald jemand kümmert.",
    "Das habe ich heute Morgen auf dem Weg zur Arbeit bemerkt.",
    "Der Ort liegt {place}.",
    "Gleich neben {street} {n}.",
    "Am Wochenende ist es besonders schlimm.",
    "Ich habe es schon einmal gemeldet.",
    "Mehrere Nachbarn haben das ebenfalls gesehen.",
    "Für Kinder und ältere Menschen ist die Stelle gefährlich.",
]


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def square(lat, lon, size=SIZE):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def district_sizes(concerns=CONCERNS):
    """Concerns per district slug, as fill() makes them."""
    return {f"bench-{i + 1:02d}": concerns if i == 0 else OTHER_CONCERNS for i in range(DISTRICTS)}


def is_filled(concerns=CONCERNS):
    """True if the database holds the benchmark's data for this size; exits if it holds another size or layout."""
    # Count only the bench districts: the ranking adds the demo district beside them.
    counts = dict(
        District.objects.filter(slug__startswith="bench-").annotate(n=Count("concerns")).values_list("slug", "n")
    )
    marker = User.objects.filter(email=team_email_of(MEASURED, "manager")).exists()
    if counts == district_sizes(concerns) and marker:
        return True
    if counts:
        size = counts.get(MEASURED, 0)
        layout = "" if counts == district_sizes(size) and marker else " in an older layout"
        raise SystemExit(
            f"The bench database is filled for {size:,} concerns in {MEASURED}{layout}, "
            f"not for BENCH_CONCERNS={concerns:,}. Use one database per size: another BENCH_DATABASE_URL "
            "(e.g. …/kw_bench_1k for 1,000), or drop this one (on SQLite delete bench/var/bench-<size>.sqlite3)"
            + ("." if layout else f", or run with BENCH_CONCERNS={size} to measure it again.")
        )
    return False


@contextmanager
def timestamps_as_given(*fields):
    """Let bulk_create keep the given created_at/updated_at instead of auto_now(_add)."""
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
        Category(district=district, slug=f"g{i}", name_de=name, name_en=f"Group {i}", position=i)
        for i, name in enumerate(TOPS)
    )
    children = Category.objects.bulk_create(
        Category(
            district=district,
            parent=top,
            slug=f"g{i}-{j}",
            name_de=f"{top.name_de} {j + 1}",
            name_en=f"Group {i}, kind {j + 1}",
            position=j,
            sensitive=(i, j) == (6, 1),
        )
        for i, (top, count) in enumerate(zip(tops, CHILDREN_PER_TOP, strict=True))
        for j in range(count)
    )
    return children + [top for top, count in zip(tops, CHILDREN_PER_TOP, strict=True) if not count]


def _fill_in(rng, text):
    street = rng.choice(STREETS)
    if "{place}" in text:
        text = text.replace("{place}", rng.choice(PLACES))
    return text.replace("{street}", street).replace("{n}", str(rng.randint(1, 120)))


def _text(rng, topic):
    """A German title and a description of two to four sentences, mostly about the topic."""
    titles, sentences = TOPICS[topic]
    title = _fill_in(rng, rng.choice(titles))
    parts = rng.sample(sentences, rng.randint(1, 2)) + rng.sample(GENERIC, rng.randint(1, 2))
    rng.shuffle(parts)
    return title[:120], " ".join(_fill_in(rng, part) for part in parts)


def _status(rng, age_days):
    """Recent concerns are mostly open, old ones mostly closed: about a third open overall."""
    if rng.random() < 0.12 + 0.88 * math.exp(-age_days / 180):
        return "new" if age_days < 3 and rng.random() < 0.7 else _weighted(rng, OPEN_STATUSES)
    return _weighted(rng, CLOSED_STATUSES)


def _concern(rng, number, district, leaves, team, created, now):
    category = rng.choice(leaves)
    topic = category.parent.position if category.parent_id else category.position
    age_days = (now - created).total_seconds() / 86400
    status = _status(rng, age_days)
    updated = min(created + timedelta(days=rng.expovariate(1 / 20)), now)
    title, description = _text(rng, topic)
    assignee = follow_up = None
    if status != "new" and rng.random() < 0.7:
        assignee = rng.choices(team, weights=[weight for _name, _kind, weight in TEAM])[0]
    today = now.date()
    if status in CLOSED:
        if rng.random() < 0.2:
            follow_up = min(updated.date(), today) - timedelta(days=rng.randint(0, 30))
    elif status != "new" and rng.random() < 0.6:
        follow_up = today + timedelta(days=rng.randint(-14, 42))  # a quarter of them overdue
    return Concern(
        district=district,
        category=category,
        title=title,
        description=description,
        lat=rng.uniform(district.min_lat, district.max_lat),
        lon=rng.uniform(district.min_lon, district.max_lon),
        address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}" if rng.random() < 0.4 else "",
        status=status,
        moderation=_weighted(rng, SENSITIVE_MODERATION) if category.sensitive else Moderation.NOT_REQUIRED,
        channel=_weighted(rng, CHANNELS),
        supporter_count=min(int(rng.paretovariate(1.5)) - 1, 500),
        tracking_token_hash=hashlib.sha256(f"bench-{number}".encode()).hexdigest(),
        assignee=assignee,
        follow_up_on=follow_up,
        created_at=created,
        updated_at=updated,
        closed_at=updated if status in CLOSED else None,
    )


def team_email_of(slug, name):
    return f"{name}@{slug}.bench.invalid"


def team_email(district, name):
    return team_email_of(district.slug, name)


def _team(district):
    """The district's team (no usable password: the benchmark logs in with force_login)."""
    users = User.objects.bulk_create(
        User(email=team_email(district, name), display_name=f"{name.title()} {district.name}", password=UNUSABLE)
        for name, _kind, _weight in TEAM
    )
    Role.objects.bulk_create(
        Role(user=user, district=district, kind=kind) for user, (_name, kind, _w) in zip(users, TEAM, strict=True)
    )
    return users


def _entries(rng, concern, concern_type):
    """The "created" entry (as the app writes it), now and then a public reply or an internal note."""
    of = {"target_type": concern_type, "target_id": concern.pk, "district_id": concern.district_id}
    yield Entry(**of, kind=EntryKind.CREATED, is_public=True, language=concern.language, created_at=concern.created_at)
    roll, later = rng.random(), concern.updated_at
    if roll < 0.1:
        yield Entry(**of, kind=EntryKind.REPLY, is_public=True, text="Danke, wir kümmern uns.", created_at=later)
    elif roll < 0.15:
        yield Entry(**of, kind=EntryKind.NOTE, text="intern", created_at=later)


def fill(concerns=CONCERNS, seed=1):
    rng = random.Random(seed)
    now = timezone.now()
    sizes = district_sizes(concerns)
    stamps = [Concern._meta.get_field("created_at"), Concern._meta.get_field("updated_at")]
    with transaction.atomic(), timestamps_as_given(*stamps):
        districts, leaves, teams = [], {}, {}
        for i, slug in enumerate(sizes):
            lat, lon = 48.30, 10.80 + i * 0.03
            district = district_load(name=f"Bench {i + 1:02d}", slug=slug, boundary=square(lat, lon))
            districts.append(district)
            leaves[district.pk] = _categories(district)
            teams[district.pk] = _team(district)
        # Concerns arrive over two years, all districts mixed, in time order (as in a real database).
        owners = [d for d in districts for _ in range(sizes[d.slug])]
        times = sorted(now - timedelta(days=rng.uniform(0, DAYS)) for _ in owners)
        concern_type = ContentType.objects.get_for_model(Concern)
        rng.shuffle(owners)
        for start in range(0, len(times), BATCH):
            batch = [
                _concern(rng, n, owners[n], leaves[owners[n].pk], teams[owners[n].pk], times[n], now)
                for n in range(start, min(start + BATCH, len(times)))
            ]
            Concern.objects.bulk_create(batch)
            entries = [e for concern in batch for e in _entries(rng, concern, concern_type)]
            Entry.objects.bulk_create(entries, batch_size=BATCH)
        District.objects.filter(pk__in=[d.pk for d in districts]).update(data_version=F("data_version") + 1)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:  # (a test's transaction)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does soon after a bulk load


def districts_fill(sizes, stamps, district_fill, seed):
    """Fill the bench districts named in `sizes` ({slug: counts}) in one transaction: `district_fill(rng,
    district, *counts, now)` each, `stamps` (timestamp fields) kept as given; then a new data version for
    each, and fresh planner statistics on PostgreSQL (a domain case's data beside the concerns)."""
    rng = random.Random(seed)
    now = timezone.now()
    districts = District.objects.filter(slug__in=sizes).order_by("slug")
    with transaction.atomic(), timestamps_as_given(*stamps):
        for district in districts:
            district_fill(rng, district, *sizes[district.slug], now)
        District.objects.filter(pk__in=[d.pk for d in districts]).update(data_version=F("data_version") + 1)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:  # (a test's transaction)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
