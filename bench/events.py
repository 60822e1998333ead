"""`BENCH_ONLY=events`: the calendar (list, filtered list, month) and the district's feed, on 5,000 events.

The data (filled once beside the concerns, in one transaction with bulk inserts): `bench-01` gets EVENTS events,
SERIES of them series, with exactly REGISTRATIONS registrations; the two other bench districts OTHER_EVENTS,
OTHER_SERIES and OTHER_REGISTRATIONS each, so every query has to pick the measured district's rows out of
others. A series' dates are the rows `events.series.dates` gives, as the services materialise them. A
database filled for other sizes is detected by its counts and refused.

Each page is timed in-process like the `projects` case, beside the bare view with its bytes: p50, p95, the
ratio to the bare p95, and the target p95 ≤ TARGET_MS.
"""

import base64
import hashlib
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench import data
from bench.projects import _weighted, clients
from bench.timing import WARMUP, N, get, summary, url_series
from bench.urls import BARE
from kiezwerk.accounts.models import Role, User
from kiezwerk.events import series
from kiezwerk.events.models import Audience, Ended, Event, Occurrence, Registration, RegistrationStatus, Review, Topic
from kiezwerk.network.models import Organisation, OrganisationKind
from kiezwerk.network.models import Visibility as OrganisationVisibility

EVENTS = 5_000  # in bench-01
SERIES = 1_000  # of them
REGISTRATIONS = 50_000  # in bench-01, all statuses
OTHER_EVENTS = 250  # in bench-02 and bench-03 each
OTHER_SERIES = 50
OTHER_REGISTRATIONS = 2_500
ACCOUNTS = 500  # per district: residents with an account (a fifth of the registrations)
DAYS = 365  # first dates lie up to a year before and after the fill
BATCH = 2000
TARGET_MS = 100  # p95 of every page, on 2 cores
S = RegistrationStatus

# Organisers when the district has no serving organisations yet (the projects case adds 15 of its own).
ORGANISERS = [
    ("Kulturverein {district}", OrganisationKind.ASSOCIATION),
    ("Stadtteilbibliothek", OrganisationKind.CITY_OFFICE),
    ("Familienzentrum am Park", OrganisationKind.SOCIAL_SERVICE),
    ("Jugendzentrum", OrganisationKind.SOCIAL_SERVICE),
    ("Seniorentreff", OrganisationKind.SOCIAL_SERVICE),
    ("Volkshochschule", OrganisationKind.CITY_OFFICE),
    ("Pfarrei St. Michael", OrganisationKind.RELIGIOUS),
    ("Sportverein Blau-Weiß", OrganisationKind.ASSOCIATION),
    ("Initiative Grüner Kiez", OrganisationKind.INITIATIVE),
    ("Mieterverein", OrganisationKind.ASSOCIATION),
    ("Migrationsberatung", OrganisationKind.SOCIAL_SERVICE),
    ("Repair-Café", OrganisationKind.INITIATIVE),
]
TOPICS = {
    Topic.NEIGHBOURHOOD: 18,
    Topic.CULTURE: 14,
    Topic.LANGUAGE: 10,
    Topic.ADVICE: 10,
    Topic.FAMILY: 12,
    Topic.YOUTH: 7,
    Topic.SENIORS: 9,
    Topic.ENVIRONMENT: 8,
    Topic.SPORT: 8,
    Topic.PARTICIPATION: 4,
}
TITLES = {
    Topic.NEIGHBOURHOOD: ["Nachbarschaftscafé", "Kiezfrühstück", "Offener Treff am {street}", "Spieleabend für alle"],
    Topic.CULTURE: ["Lesung in der Bibliothek", "Hofkonzert in der {street}", "Sommerfest am {street}", "Kinoabend"],
    Topic.LANGUAGE: ["Sprachcafé Deutsch", "Deutschkurs für Anfängerinnen", "Sprachtandem", "Hausaufgabenhilfe"],
    Topic.ADVICE: ["Sozialberatung", "Mieterberatung", "Beratung zum Wohngeld", "Energiesparberatung"],
    Topic.FAMILY: ["Eltern-Kind-Gruppe", "Krabbelgruppe", "Familienfrühstück", "Bastelnachmittag für Kinder"],
    Topic.YOUTH: ["Jugendtreff", "Skate-Workshop", "Bewerbungstraining", "Gaming-Abend"],
    Topic.SENIORS: ["Seniorentreff", "Bewegung für Ältere", "Smartphone-Sprechstunde", "Seniorenfrühstück"],
    Topic.ENVIRONMENT: ["Gartentag im Gemeinschaftsgarten", "Repair-Café", "Kleidertausch", "Pflanzentausch"],
    Topic.SPORT: ["Lauftreff am {street}", "Yoga im Park", "Fußball für alle", "Tanzkurs"],
    Topic.PARTICIPATION: ["Stadtteilkonferenz", "Planungswerkstatt Spielplatz", "Bürgerforum", "Kiezrat"],
}
SENTENCES = [
    "Alle sind herzlich willkommen, eine Anmeldung ist nur bei begrenzten Plätzen nötig.",
    "Für Kaffee, Tee und Kuchen ist gesorgt.",
    "Kinder können mitgebracht werden.",
    "Wir sprechen Deutsch und helfen gern beim Übersetzen.",
    "Bitte bringen Sie, wenn möglich, eigene Tassen mit.",
    "Bei schönem Wetter draußen, sonst im Gemeinschaftsraum.",
    "Die Veranstaltung ist Teil des Programms im Quartier.",
]
ROOMS = ["", "", "Gemeinschaftsraum", "Saal im Erdgeschoss", "Raum 2", "Hof"]
REPEAT = {"weekly": 45, "fortnightly": 25, "monthly": 30}
HOURS = {9: 8, 10: 14, 11: 6, 14: 10, 15: 16, 16: 12, 17: 10, 18: 12, 19: 10, 20: 2}
CAPACITIES = [8, 10, 12, 12, 15, 15, 20, 20, 25, 30, 40, 60]
LANGUAGES = {"de": 80, "tr": 6, "ar": 5, "en": 3, "ru": 2, "uk": 3, "pl": 1}
FIRST_NAMES = ["Anna", "Ben", "Clara", "Deniz", "Elif", "Felix", "Greta", "Hanna", "Ivan", "Jonas", "Kübra", "Lena"]
LAST_NAMES = ["Müller", "Schmidt", "Yılmaz", "Kowalski", "Schneider", "Fischer", "Weber", "Nowak", "Wagner", "Becker"]


def district_sizes(events=EVENTS, series_=SERIES, registrations=REGISTRATIONS):
    """(events, series, registrations) per bench district slug, as fill() makes them."""
    first, *others = data.district_sizes(data.OTHER_CONCERNS)
    return {first: (events, series_, registrations)} | {
        slug: (OTHER_EVENTS, OTHER_SERIES, OTHER_REGISTRATIONS) for slug in others
    }


def counts():
    """(events, series, registrations) per bench district that has any events."""
    events = (
        Event.objects.filter(district__slug__startswith="bench-")
        .values_list("district__slug")
        .annotate(n=Count("pk"), repeating=Count("pk", filter=~Q(rrule="")))
    )
    registrations = dict(
        Registration.objects.filter(occurrence__event__district__slug__startswith="bench-")
        .values_list("occurrence__event__district__slug")
        .annotate(n=Count("pk"))
        .values_list("occurrence__event__district__slug", "n")
    )
    return {slug: (n, repeating, registrations.get(slug, 0)) for slug, n, repeating in events}


def is_filled(events=EVENTS, series_=SERIES, registrations=REGISTRATIONS):
    """True if the bench districts hold the events of these sizes, False if none; exits for other sizes."""
    found = counts()
    if found == district_sizes(events, series_, registrations):
        return True
    if found:
        size = found.get(data.MEASURED, (0, 0, 0))
        raise SystemExit(
            f"The bench database holds {size[0]:,} events ({size[1]:,} series) with {size[2]:,} registrations in "
            f"{data.MEASURED} (all bench districts: {found}), not {events:,} ({series_:,}) with {registrations:,}. "
            "Use another BENCH_DATABASE_URL (or, on SQLite, another BENCH_CONCERNS) or drop this one."
        )
    return False


def _token(slug, number):
    """A registration's link token: 43 URL-safe characters, as secrets.token_urlsafe(32) makes them."""
    digest = hashlib.sha256(f"bench-registration-{slug}-{number}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _organisers(rng, district):
    """The organisations serving the district (by pk); some are made (with a place) if it has none."""
    found = list(Organisation.objects.serving(district).active().order_by("pk"))
    if found:
        return found
    made = Organisation.objects.bulk_create(
        Organisation(
            name=name.replace("{district}", district.name),
            kind=kind,
            visibility=OrganisationVisibility.PUBLIC if i % 4 else OrganisationVisibility.INTERNAL,
            address=f"{rng.choice(data.STREETS)} {rng.randint(1, 120)}",
            lat=rng.uniform(district.min_lat, district.max_lat),
            lon=rng.uniform(district.min_lon, district.max_lon),
        )
        for i, (name, kind) in enumerate(ORGANISERS)
    )
    Organisation.districts.through.objects.bulk_create(
        Organisation.districts.through(organisation_id=o.pk, district_id=district.pk) for o in made
    )
    return made


def _rule(rng, local_start):
    """A series' RRULE as the event form builds it: weekly, fortnightly or monthly on the n-th weekday, with an
    end date (UNTIL) or a number of dates (COUNT)."""
    repeat = _weighted(rng, REPEAT)
    weekday = series.WEEKDAYS[local_start.weekday()]
    interval = {"weekly": 7, "fortnightly": 14, "monthly": 30}[repeat]
    count = rng.randint(4, 40) if repeat == "weekly" else rng.randint(3, 18)
    ending = (
        {"count": count} if rng.random() < 0.55 else {"until": (local_start + timedelta(days=interval * count)).date()}
    )
    if repeat == "monthly":
        position = (local_start.day - 1) // 7 + 1
        return series.rule_build(
            frequency="MONTHLY", weekday=weekday, setpos=-1 if position == 5 else position, **ending
        )
    return series.rule_build(
        frequency="WEEKLY", interval=2 if repeat == "fortnightly" else 1, weekday=weekday, **ending
    )


def _event(rng, district, organisers, team, repeating, now):
    """An event (unsaved) with its first date; a series' starts at the first date its rule gives."""
    day = timezone.localdate(now) + timedelta(days=rng.randint(-DAYS, DAYS))
    all_day = not repeating and rng.random() < 0.03
    if all_day:
        start = series.local_aware(datetime.combine(day, time.min))
        end = series.local_aware(datetime.combine(day + timedelta(days=1), time.min))
    else:
        start = series.local_aware(datetime.combine(day, time(_weighted(rng, HOURS), rng.choice([0, 0, 0, 30]))))
        end = start + timedelta(minutes=rng.choice([60, 90, 120, 120, 180]))
    rrule = _rule(rng, start.replace(tzinfo=None)) if repeating else ""
    created = min(start - timedelta(days=rng.uniform(3, 60)), now - timedelta(hours=rng.uniform(1, 72)))
    review = _weighted(rng, {Review.APPROVED: 85, Review.PENDING: 8, Review.DECLINED: 7})
    if review == Review.PENDING and start < now:
        review = Review.DECLINED  # nobody leaves a submission undecided past its date
    decided = review != Review.PENDING
    topics = [_weighted(rng, TOPICS)]
    if rng.random() < 0.3:
        topics = list(dict.fromkeys([*topics, _weighted(rng, TOPICS)]))
    languages = ["de"] + ([_weighted(rng, LANGUAGES)] if rng.random() < 0.3 else [])
    organiser = rng.choice(organisers) if rng.random() < 0.65 else None
    at_venue = organiser is not None and organiser.lat is not None and rng.random() < 0.5
    priced = rng.random() < 0.3
    event = Event(
        district=district,
        uid=uuid.UUID(int=rng.getrandbits(128), version=4),
        title=rng.choice(TITLES[topics[0]]).replace("{street}", rng.choice(data.STREETS)),
        description=" ".join(rng.sample(SENTENCES, rng.randint(1, 3))),
        language="de" if rng.random() < 0.92 else languages[-1],
        organiser=organiser,
        submitted_by=rng.choice(team),
        review=review,
        review_reason="Passt nicht in den Kalender des Quartiers." if review == Review.DECLINED else "",
        reviewed_by=rng.choice(team) if decided else None,
        reviewed_at=created + timedelta(hours=rng.uniform(2, 72)) if decided else None,
        starts_at=start,
        ends_at=end,
        all_day=all_day,
        rrule=rrule,
        venue=organiser if at_venue else None,
        address="" if at_venue else f"{rng.choice(data.STREETS)} {rng.randint(1, 120)}",
        lat=None if at_venue else rng.uniform(district.min_lat, district.max_lat),
        lon=None if at_venue else rng.uniform(district.min_lon, district.max_lon),
        room=rng.choice(ROOMS),
        topics=topics,
        languages=languages,
        step_free=rng.random() < 0.6,
        accessible_toilet=rng.random() < 0.3,
        hearing_loop=rng.random() < 0.05,
        sign_language=rng.random() < 0.03,
        child_care=rng.random() < 0.1,
        price=Decimal(rng.choice([2, 3, 5, 5, 8, 10, 15])) if priced else (Decimal(0) if rng.random() < 0.1 else None),
        price_note="ermäßigt die Hälfte" if priced and rng.random() < 0.4 else "",
        audience=_weighted(
            rng,
            {
                Audience.EVERYONE: 60,
                Audience.FAMILIES: 10,
                Audience.CHILDREN: 8,
                Audience.SENIORS: 8,
                Audience.YOUTH: 6,
                Audience.WOMEN: 5,
                Audience.NEWCOMERS: 3,
            },
        ),
        capacity=rng.choice(CAPACITIES) if rng.random() < 0.35 else None,
        sequence=rng.choice([0, 0, 0, 1, 2]),
        created_at=created,
        updated_at=min(created + timedelta(days=rng.uniform(0, 10)), now),
    )
    if event.review == Review.APPROVED and rng.random() < 0.02:
        event.cancelled, event.cancel_reason = True, "Die Leitung ist erkrankt; wir holen es nach."
        event.sequence += 1
    return event


def _dates(rng, event, now):
    """The event's dates as `events.series.dates` gives them (the first one only without a rule); in a series a
    few are cancelled and a few moved, as the team's screens do it."""
    event.starts_at, event.ends_at = series.dates(event.starts_at, event.ends_at, event.rrule)[0]
    rows = []
    for start, end in series.dates(event.starts_at, event.ends_at, event.rrule):
        occurrence = Occurrence(event=event, original_start=start, starts_at=start, ends_at=end)
        roll = rng.random()
        if event.rrule and roll < 0.02:
            occurrence.cancelled, occurrence.cancel_reason = True, "Fällt wegen der Ferien aus."
        elif event.rrule and roll < 0.035:
            shift = timedelta(days=1) if rng.random() < 0.5 else timedelta(hours=rng.choice([-1, 1, 2]))
            occurrence.starts_at, occurrence.ends_at = start + shift, end + shift
        reported = occurrence.ends_at < now and event.review == Review.APPROVED and not occurrence.cancelled
        if reported and rng.random() < 0.4:  # what happened, recorded by the organiser
            occurrence.attendance = rng.randint(3, event.capacity or 40)
            occurrence.first_timers = rng.randint(0, occurrence.attendance // 3)
            occurrence.languages_heard = list(dict.fromkeys(["de", *event.languages]))
            occurrence.reported_at = min(occurrence.ends_at + timedelta(days=rng.uniform(0, 5)), now)
        rows.append(occurrence)
    return rows


def _demand(rng, occurrences, total, now):
    """Exactly `total` registrations spread over the dates by places and popularity (far-off dates fewer): a
    few dates get more than they have places (a waiting list), most stay below."""
    if not occurrences:
        return []
    near = now + timedelta(days=60)
    weights = [o.event.capacity * rng.lognormvariate(0, 0.9) * (0.3 if o.starts_at > near else 1) for o in occurrences]
    counts = [0] * len(occurrences)
    for index in rng.choices(range(len(occurrences)), cum_weights=list(accumulate(weights)), k=total):
        counts[index] += 1
    return counts


def _registrations(rng, slug, occurrence, demand, accounts, numbers, now):
    """A date's registrations in the order they came: the first `capacity` get places, the rest wait; on a full
    date to come someone may have cancelled lately, so the first waiting holds an open offer; on a cancelled
    date every one ended with it. Sets `occurrence.taken` as the services count it (registered + offered)."""
    event = occurrence.event
    upcoming = occurrence.starts_at > now
    start = max(event.created_at, occurrence.starts_at - timedelta(days=45))
    stop = min(occurrence.starts_at, now)
    times = sorted(start + (stop - start) * rng.random() for _ in range(demand))
    kept = timedelta(days=round(settings.EVENT_RETENTION_MONTHS * 30.44))
    taken, rows, users = 0, [], set()
    for at in times:
        number = next(numbers)
        user = rng.choice(accounts) if rng.random() < 0.2 else None
        if user is not None and user.pk in users:
            user = None
        roll = rng.random()
        if roll < 0.08:
            status = S.CANCELLED
        elif upcoming and user is None and at > now - timedelta(days=7) and roll < 0.12:
            status = S.UNCONFIRMED
        elif taken < event.capacity:
            status = S.REGISTERED
            taken += 1
        else:
            status = S.WAITING
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        registration = Registration(
            occurrence=occurrence,
            user=user,
            name="" if user else f"{first} {last}",
            email="" if user else f"{first}.{last}.{number}@example.invalid".lower(),
            language=_weighted(rng, LANGUAGES),
            status=status,
            ended=Ended.CANCELLED if status == S.CANCELLED else "",
            created_at=at,
            queued_at=None if status == S.UNCONFIRMED else at,
            token=_token(slug, number),
            cancelled_at=min(at + timedelta(days=rng.uniform(0, 5)), stop) if status == S.CANCELLED else None,
        )
        if user is not None:
            users.add(user.pk)
        if not upcoming and status == S.REGISTERED:
            registration.reminded_at = occurrence.starts_at - timedelta(hours=20)
            if occurrence.reported_at:
                registration.attended = _weighted(rng, {True: 80, False: 15, None: 5})
        rows.append(registration)
    waiting = [r for r in rows if r.status == S.WAITING]
    if waiting and rng.random() < 0.3:
        if upcoming:  # a place freed lately, offered to the first waiting until the event's offer_hours pass
            freed = rng.choice([r for r in rows if r.status == S.REGISTERED])
            freed.status, freed.ended = S.CANCELLED, Ended.CANCELLED
            freed.cancelled_at = max(freed.created_at, now - timedelta(hours=rng.uniform(0.5, event.offer_hours - 1)))
            waiting[0].status = S.OFFERED
            waiting[0].offer_expires_at = freed.cancelled_at + timedelta(hours=event.offer_hours)
        else:  # a place freed, offered to the first waiting, who let it expire: the next one got it
            freed = rng.choice([r for r in rows if r.status == S.REGISTERED])
            freed.status, freed.ended = S.CANCELLED, Ended.CANCELLED
            freed.cancelled_at = min(freed.created_at + (stop - freed.created_at) / 2, stop)
            waiting[0].status, waiting[0].ended = S.CANCELLED, Ended.EXPIRED
            waiting[0].cancelled_at = freed.cancelled_at + timedelta(hours=event.offer_hours)
            if len(waiting) > 1:
                waiting[1].status = S.REGISTERED
            else:
                taken -= 1
    if occurrence.cancelled:
        for registration in rows:
            if registration.status != S.CANCELLED:
                registration.status, registration.ended = S.CANCELLED, Ended.DATE_CANCELLED
                registration.offer_expires_at = None
                announced = max(registration.created_at, occurrence.starts_at - timedelta(days=2))
                registration.cancelled_at = min(announced, now)
        taken = 0
    if occurrence.ends_at < now - kept:  # the privacy registry's retention: names and addresses go
        for registration in rows:
            registration.user, registration.name, registration.email = None, "", ""
            registration.anonymised_at = occurrence.ends_at + kept
    occurrence.taken = taken
    return rows


def _district_fill(rng, district, events, repeating, registrations, now):
    slug = district.slug
    team = [role.user for role in Role.objects.filter(district=district).select_related("user").order_by("pk")]
    organisers = _organisers(rng, district)
    accounts = User.objects.bulk_create(
        User(
            email=f"teilnehmer{i}@{slug}.bench.invalid",
            display_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            password=data.UNUSABLE,
        )
        for i in range(ACCOUNTS)
    )
    which = set(rng.sample(range(events), repeating))
    rows = [_event(rng, district, organisers, team, i in which, now) for i in range(events)]
    dates = [occurrence for event in rows for occurrence in _dates(rng, event, now)]
    Event.objects.bulk_create(rows, batch_size=BATCH)
    for occurrence in dates:
        occurrence.event_id = occurrence.event.pk
    open_ = [o for o in dates if o.event.capacity and o.event.review == Review.APPROVED]
    numbers = iter(range(registrations))
    made = [
        _registrations(rng, slug, occurrence, n, accounts, numbers, now)
        for occurrence, n in zip(open_, _demand(rng, open_, registrations, now), strict=True)
    ]
    Occurrence.objects.bulk_create(dates, batch_size=BATCH)
    for group in made:
        for registration in group:
            registration.occurrence_id = registration.occurrence.pk
    Registration.objects.bulk_create((r for group in made for r in group), batch_size=BATCH)


def fill(events=EVENTS, repeating=SERIES, registrations=REGISTRATIONS, seed=9):
    """Events, their dates and registrations in the bench districts (which data.fill made), in one transaction."""
    stamps = [
        Event._meta.get_field("created_at"),
        Event._meta.get_field("updated_at"),
        Registration._meta.get_field("created_at"),
    ]
    data.districts_fill(district_sizes(events, repeating, registrations), stamps, _district_fill, seed)


def filled(district):
    """Fill once; print what the measured district holds."""
    if not is_filled():
        print(
            f"Filling {EVENTS:,} events ({SERIES:,} series) with {REGISTRATIONS:,} registrations into "
            f"{data.MEASURED} (once)…",
            flush=True,
        )
        start = datetime.now()
        fill()
        print(f"filled in {(datetime.now() - start).total_seconds():.1f} s", flush=True)
    return figures(district)


def figures(district):
    """What the measured district holds: events by review, dates, registrations by status."""
    events = Event.objects.filter(district=district)
    dates = Occurrence.objects.filter(event__district=district)
    registrations = Registration.objects.filter(occurrence__event__district=district)
    now = timezone.now()
    public_dates = dates.filter(event__review=Review.APPROVED)
    result = {
        "events": events.count(),
        "series": events.exclude(rrule="").count(),
        "by_review": dict(events.values_list("review").annotate(n=Count("pk")).values_list("review", "n")),
        "cancelled_events": events.filter(cancelled=True).count(),
        "dates": dates.count(),
        "public_dates_to_come": public_dates.filter(ends_at__gt=now).count(),
        "cancelled_dates": dates.filter(cancelled=True).count(),
        "moved_dates": dates.exclude(starts_at=F("original_start")).count(),
        "dates_with_places": dates.filter(event__capacity__isnull=False).count(),
        "dates_full": dates.filter(event__capacity__isnull=False, taken__gte=F("event__capacity")).count(),
        "dates_waiting": dates.filter(registrations__status=S.WAITING).distinct().count(),
        "registrations": registrations.count(),
        "registrations_by_status": dict(
            registrations.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        ),
        "feed_events": events.filter(review=Review.APPROVED, occurrences__ends_at__gt=now - timedelta(days=90))
        .distinct()
        .count(),
    }
    print(
        f"{data.MEASURED}: {result['events']:,} events ({result['series']:,} series; {result['by_review']}, "
        f"{result['cancelled_events']} cancelled), {result['dates']:,} dates ({result['public_dates_to_come']:,} "
        f"public to come, {result['cancelled_dates']} cancelled, {result['moved_dates']} moved; "
        f"{result['dates_with_places']:,} with places, {result['dates_full']:,} full, {result['dates_waiting']:,} "
        f"with a waiting list), {result['registrations']:,} registrations {result['registrations_by_status']}; "
        f"the feed holds {result['feed_events']:,} events",
        flush=True,
    )
    return result


def cases(district):
    """(name, key of the bare view, url, who asks): the calendar pages as a visitor without a session gets them
    (shared, core.pagecache) and as one with a session (rendered for them); the district's feed."""
    calendar = reverse("events:calendar", args=[district.slug])
    pages = [
        ("calendar list", "events-list", calendar),
        ("calendar filtered", "events-filtered", f"{calendar}?topic=language&free=on"),
        ("calendar month", "events-month", f"{calendar}?view=month"),
    ]
    return [
        *[(f"{name}, shared", f"{key}-shared", url, "visitor") for name, key, url in pages],
        *[(f"{name}, rendered", key, url, "session") for name, key, url in pages],
        ("district feed (.ics)", "events-feed", reverse("events:feed", args=[district.slug]), "visitor"),
    ]


def measure(district):
    who = clients(district)
    rows, slow = [], []
    for name, key, url, asker in cases(district):
        client = who[asker]
        start = datetime.now()
        response = get(client, url)
        first_ms = round((datetime.now() - start).total_seconds() * 1000, 1)
        BARE[key] = (response.body, response["Content-Type"])
        with CaptureQueriesContext(connection) as queries:
            get(client, url)
        captured = list(queries.captured_queries)
        row = {"name": name, "url": url, "as": asker, "bytes": len(response.body), "queries": len(captured)}
        page, bare = summary(url_series(client, [url])), summary(url_series(client, [f"/bench/bare/{key}/"]))
        row |= page | {"first_ms": first_ms, "bare_p50": bare["p50"], "bare_p95": bare["p95"]}
        row |= {"ratio_p95": round(page["p95"] / bare["p95"], 1), "pass": page["p95"] <= TARGET_MS}
        rows.append(row)
        slow.append((name, captured))
    return {"rows": rows, "target_ms": TARGET_MS, "queries": slow}


def report(result):
    print()
    print(f"Events, in-process, each beside the bare view with its bytes; N={N} requests after {WARMUP} warm-up")
    header = ("page", "first ms", "p50 ms", "p95 ms", "bare p50", "bare p95", "p95/bare", "queries", "KB")
    print(f"{header[0]:<30}" + "".join(f"{h:>10}" for h in header[1:]) + f"{'≤ ' + str(TARGET_MS) + ' ms':>10}")
    for r in result["rows"]:
        values = (r["first_ms"], r["p50"], r["p95"], r["bare_p50"], r["bare_p95"], f"{r['ratio_p95']}×", r["queries"])
        verdict = "PASS" if r["pass"] else "FAIL"
        print(f"{r['name']:<30}" + "".join(f"{v:>10}" for v in values) + f"{r['bytes'] / 1024:>10.0f}{verdict:>10}")
    failed = [r["name"] for r in result["rows"] if not r["pass"]]
    print(f"events p95 ≤ {TARGET_MS} ms: " + (f"FAIL ({', '.join(failed)})" if failed else "PASS"))
