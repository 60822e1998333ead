"""The demo network of Oberhausen (data/oberhausen_network.json): organisations, contacts, relationships, referrals.

Everything in it is invented (names end in "(Demo)", e-mail addresses are under example.org).

- Organisations are created or refreshed by name on every run; the partner demo login becomes a
  member of the Amt für Abfallwirtschaft.
- Contacts (about two per organisation), relationships and the referral history are made once.
- The history: about 300 referrals over two years on closed concerns — the demo's own closed
  concerns plus historical ones made for it (capture keys `demo:<slug>:history:<n>` mark it as
  loaded). Each organisation has a *character* (reliable, steady, slow, mixed, partly, weak;
  optionally per topic) that draws its outcomes and durations. The manager picks among the
  organisations whose topics fit, preferring the ones that worked before, but not always; after a
  failure he often tries a second one. So several organisations are plausible for every topic, with
  different track records — what `network.selectors.ranking` has to learn.
- A few open referrals on current referred / in-progress concerns, some overdue.
"""

import hashlib
import json
import math
import random
import unicodedata
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from kiezwerk.accounts.models import RoleKind
from kiezwerk.accounts.services import membership_add
from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import Concern, ConcernStatus, EntryKind, Moderation
from kiezwerk.core.models import Entry, OutboxMail
from kiezwerk.network.models import (
    SOLVED_OUTCOMES,
    Contact,
    Organisation,
    Outcome,
    Referral,
    ReferralPlan,
    ReferralStatus,
    ReferralStep,
    Relationship,
    Visibility,
)
from kiezwerk.network.services import directory as directory_services
from kiezwerk.network.services import referrals as referral_services
from kiezwerk.network.services.referrals import PLANS, plan_dates

NETWORK_DATA = Path(__file__).parent / "data" / "oberhausen_network.json"
PARTNER_ORGANISATION = "Amt für Abfallwirtschaft (Demo)"
# The partner demo login's key among the demo users: a member of PARTNER_ORGANISATION, no role.
PARTNER_LOGIN = "partner"
OUTCOMES = [Outcome.SOLVED, Outcome.PARTLY, Outcome.NOT_SOLVED, Outcome.NOT_RESPONSIBLE]
# How much more the manager turns to a partner of each character: he has his go-to partners, and
# tries others now and then (a partner whose topics only match the group counts a quarter).
PREFERENCE = {"reliable": 6.0, "steady": 3.0, "slow": 2.0, "mixed": 1.0, "partly": 1.0, "weak": 0.3}
CLOSING_TEXTS = {
    Outcome.SOLVED: "Erledigt – danke für den Hinweis.",
    Outcome.PARTLY: "Teilweise erledigt, der Rest ist eingeplant.",
    Outcome.NOT_SOLVED: "Wir haben es versucht, konnten es aber leider nicht lösen.",
    Outcome.NOT_RESPONSIBLE: "Dafür sind wir leider nicht zuständig.",
}


def network_load(district, streets, categories, users, concern_specs, *, data_path=NETWORK_DATA, place=None):
    """Create or refresh the demo network. Returns the organisations by name."""
    spec = json.loads(Path(data_path).read_text(encoding="utf-8"))
    organisations = _organisations_save(district, streets, users, spec["organisations"], place)
    today = timezone.localdate()
    rng = random.Random(6_000)
    if not Contact.objects.filter(organisation__in=organisations.values()).exists():
        contacts = _contacts_create(district, organisations, spec, today, rng)
        _relationships_create(district, organisations, contacts, spec["relationships"], today, rng)
        # Its own random numbers: the history below stays what it was before the log existed.
        _interactions_create(district, contacts, users[RoleKind.MANAGER], random.Random(6_001))
    key = f"demo:{district.slug}:history:"
    if not Concern.objects.filter(district=district, capture_key__startswith=key).exists():
        history = History(district, categories, users, organisations, spec, rng)
        history.load(streets, concern_specs, key, place)
    return organisations


def _organisations_save(district, streets, users, specs, place):
    organisations = {}
    rng = random.Random(6_100)
    for spec in specs:
        lat = lon = None
        address = ""
        if spec["street"]:
            lat, lon = place(district, streets[spec["street"]], spec["house_number"], rng)
            address = f"{spec['street']} {spec['house_number']}, Augsburg"
        organisation, _created = Organisation.objects.update_or_create(
            name=spec["name"],
            city=district.city,
            defaults={
                "kind": spec["kind"],
                "whole_city": spec["whole_city"],
                "topics": spec["topics"],
                "languages": spec["languages"],
                "opening_hours": spec["opening_hours"],
                "competencies": spec["competencies"],
                "description": "Demo-Eintrag: erfundene Organisation für die Demo von Kiezwerk.",
                "email": f"kontakt@{_ascii_slug(spec['name'])}.example.org",
                "address": address,
                "lat": lat,
                "lon": lon,
                "visibility": Visibility.INTERNAL if spec["kind"] == "business" else Visibility.PUBLIC,
                "is_active": True,
            },
        )
        if not spec["whole_city"]:
            organisation.districts.add(district)
        organisations[spec["name"]] = organisation
    membership_add(user=users[PARTNER_LOGIN], target=organisations[PARTNER_ORGANISATION])
    return organisations


def _ascii_slug(text):
    text = text.replace("(Demo)", "")
    return slugify(unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode())[:40].strip("-")


def _contacts_create(district, organisations, spec, today, rng):
    contacts = []
    used = set()
    for org_spec in spec["organisations"]:
        organisation = organisations[org_spec["name"]]
        for _n in range(org_spec["contacts"]):
            while (name := f"{rng.choice(spec['first_names'])} {rng.choice(spec['last_names'])}") in used:
                pass
            used.add(name)
            basis = spec["legal_basis"][organisation.kind]
            # A third were last confirmed more than a year ago: the directory flags them.
            confirmed = today - timedelta(days=rng.randint(380, 800) if rng.random() < 0.3 else rng.randint(10, 340))
            languages = ["de"] + [lang for lang in organisation.languages if lang != "de" and rng.random() < 0.5]
            contacts.append(
                Contact(
                    name=name,
                    role=rng.choice(spec["roles"][organisation.kind]),
                    organisation=organisation,
                    email=f"{_ascii_slug(name).replace('-', '.')}@{_ascii_slug(organisation.name)}.example.org",
                    channels=rng.choice(["", "", "Signal", "am liebsten telefonisch", "dienstags im Büro"]),
                    languages=languages,
                    legal_basis=basis,
                    consent_note=f"Mündlich zugestimmt, erfasst am {confirmed:%d.%m.%Y} (Demo)"
                    if basis == "consent"
                    else "",
                    last_confirmed_on=confirmed,
                    notes="Demo-Kontakt (erfunden).",
                )
            )
    contacts = Contact.objects.bulk_create(contacts)
    for contact in contacts:
        contact.districts.add(district)
    return contacts


# The manager's activity log: what came of meetings, calls and e-mails with the network (invented).
INTERACTIONS = [
    ("meeting", "Jour fixe: Sperrmüll-Hotspots besprochen, zwei Sammeltermine im Frühjahr vereinbart."),
    ("call", "Rückruf wegen des Müllcontainers am Spielplatz; Leerung wird auf zweimal pro Woche erhöht."),
    ("email", "Unterlagen für den Verfügungsfonds geschickt; Antwort bis Monatsende zugesagt."),
    ("event", "Stand beim Nachbarschaftsfest; viele Fragen zur Beleuchtung im Park."),
    ("meeting", "Kennenlernen im Büro; Angebot: Sprechstunde auf Türkisch jeden zweiten Dienstag."),
    ("call", "Kurz abgestimmt, wer den Gartentag anmeldet; Geräte kommen vom Verein."),
    ("street", "Beim Rundgang getroffen; Hinweis auf die defekte Ampel an der Schule."),
    ("email", "Einladung zum Runden Tisch Sauberkeit weitergeleitet."),
]


def _interactions_create(district, contacts, manager, rng):
    """A few months of the manager's log: each entry with a contact person and their organisation."""
    now = timezone.now()
    for index, contact in enumerate(rng.sample(contacts, min(24, len(contacts)))):
        kind, note = INTERACTIONS[index % len(INTERACTIONS)]
        directory_services.interaction_record(
            district=district,
            actor=manager,
            kind=kind,
            at=now - timedelta(days=rng.randint(1, 150), hours=rng.randint(0, 8)),
            organisation=contact.organisation,
            contact=contact,
            note=note,
        )


def _relationships_create(district, organisations, contacts, spec, today, rng):
    orgs = list(organisations.values())
    relationships = []
    for index in range(spec["count"]):
        kind = ("organisation", "contact", "contact_organisation")[index % 3]
        label, reverse_label = rng.choice(spec[kind])
        ends = {}
        if kind == "organisation":
            a, b = rng.sample(orgs, 2)
            ends = {"from_organisation": a, "to_organisation": b}
        elif kind == "contact":
            a, b = rng.sample(contacts, 2)
            ends = {"from_contact": a, "to_contact": b}
        else:
            a = rng.choice(contacts)
            b = rng.choice([o for o in orgs if o.pk != a.organisation_id])
            ends = {"from_contact": a, "to_organisation": b}
        started = today - timedelta(days=rng.randint(200, 3000))
        ended = None
        if rng.random() < spec["ended_share"]:
            ended = min(today - timedelta(days=rng.randint(10, 150)), started + timedelta(days=rng.randint(90, 1500)))
        relationships.append(
            Relationship(
                district=district, label=label, reverse_label=reverse_label, started_on=started, ended_on=ended, **ends
            )
        )
    Relationship.objects.bulk_create(relationships)


class History:
    """The referral history of the demo (see the module's docstring)."""

    def __init__(self, district, categories, users, organisations, spec, rng):
        self.district, self.categories, self.rng = district, categories, rng
        self.manager = users[RoleKind.MANAGER]
        self.characters = spec["characters"]
        self.config = spec["history"]
        self.now = timezone.now()
        self.profiles = {}  # organisation pk → (organisation, topics, character, per-topic characters)
        for org_spec in spec["organisations"]:
            organisation = organisations[org_spec["name"]]
            self.profiles[organisation.pk] = (organisation, org_spec["character"], org_spec["tracks"])
        self.referrals, self.events = [], []

    def load(self, streets, concern_specs, key, place):
        concerns = list(
            Concern.objects.filter(
                district=self.district, status__in=[ConcernStatus.RESOLVED, ConcernStatus.DECLINED]
            ).select_related("category__parent")
        )
        concerns += self._historical_concerns(streets, concern_specs, key, place)
        for concern in concerns:
            self._refer_closed(concern)
        self._refer_open()
        self._refer_to_the_partner_login()
        self._save()
        self._partner_reports_solved()

    def _partner_reports_solved(self):
        """One accepted referral closed as solved by the partner, through the service: the desk asks to check it."""
        referral = (
            Referral.objects.filter(concern__district=self.district, status=ReferralStatus.ACCEPTED)
            .select_related("concern")
            .order_by("created_at", "pk")
            .first()
        )
        if referral is None:
            return
        with transaction.atomic():  # the demo sends no mail: the team's notice is dropped before the commit
            last_mail = OutboxMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            referral_services.referral_close(
                referral=referral,
                outcome=Outcome.SOLVED,
                text="Wir waren heute vor Ort und haben uns darum gekümmert. "
                "Bitte melden Sie sich, falls noch etwas fehlt.",
                via_link=True,
            )
            OutboxMail.objects.filter(pk__gt=last_mail).delete()

    def _historical_concerns(self, streets, concern_specs, key, place):
        """Older concerns, reported through concern_report and then backdated (historical demo data)."""
        rng = random.Random(6_200)
        sources = [s for s in concern_specs if s["status"] in ("resolved", "declined")]
        streets = list(streets.values())
        created = []
        for index in range(self.config["extra_concerns"]):
            source = rng.choice(sources)
            street = rng.choice(streets)
            number = rng.randint(street.first_number, street.last_number)
            lat, lon = place(self.district, street, number, rng)
            concern, _token = concern_services.concern_report(
                district=self.district,
                category=self.categories[source["category"]],
                title=source["title"],
                description=source["description"],
                lat=lat,
                lon=lon,
                address=f"{street.name} {number}",
                language=source["language"],
                capture_key=f"{key}{index}",
            )
            reported = self.now - timedelta(days=rng.uniform(100, self.config["days"] - 20))
            # Historical demo data: backdate the report and its timeline, and mark it reviewed.
            Concern.objects.filter(pk=concern.pk).update(
                created_at=reported,
                updated_at=reported,
                moderation=Moderation.APPROVED if concern.moderation == Moderation.PENDING else concern.moderation,
            )
            concern.entries.update(created_at=reported)
            concern.created_at = reported
            created.append(concern)
        return created

    def _candidates(self, category):
        group = category.parent or category
        found = []
        for organisation, character, tracks in self.profiles.values():
            topics = organisation.topics
            if category.slug in topics:
                fit = 1.0
            elif group.slug in topics:
                fit = 0.5
            else:
                continue
            character = tracks.get(category.slug, character)
            found.append((organisation, character, fit))
        return found

    def _pick(self, candidates, exclude):
        pool = [(o, c, f) for o, c, f in candidates if o.pk not in exclude]
        if not pool:
            return None
        weights = [f * f * PREFERENCE[c] for _o, c, f in pool]
        return self.rng.choices(pool, weights=weights)[0]

    def _outcome(self, character, fit):
        odds = self.characters[character]
        solved, partly = odds["solved"] * fit, odds["partly"] * fit
        not_solved = odds["not_solved"]
        not_responsible = 1 - solved - partly - not_solved
        return self.rng.choices(OUTCOMES, weights=[solved, partly, not_solved, not_responsible])[0]

    def _days(self, character, outcome):
        median = self.characters[character]["median_days"]
        if outcome == Outcome.NOT_RESPONSIBLE:
            median = min(median, 5)  # "not ours" comes back quickly
        return max(0.3, median * math.exp(self.rng.gauss(0, 0.45)))

    def _refer_closed(self, concern):
        candidates = self._candidates(concern.category)
        sent_at = concern.created_at + timedelta(hours=self.rng.uniform(3, 72))
        tried = set()
        last_closed = None
        for attempt in range(2):
            choice = self._pick(candidates, tried)
            if choice is None or sent_at >= self.now - timedelta(hours=2):
                break
            organisation, character, fit = choice
            tried.add(organisation.pk)
            outcome = self._outcome(character, fit)
            closed_at = min(sent_at + timedelta(days=self._days(character, outcome)), self.now - timedelta(hours=1))
            self._referral(concern, organisation, sent_at, outcome=outcome, closed_at=closed_at)
            last_closed = closed_at
            if outcome in SOLVED_OUTCOMES:
                break
            if attempt or self.rng.random() > self.config["second_referral_after_failure"]:
                break
            sent_at = closed_at + timedelta(hours=self.rng.uniform(2, 48))
        if last_closed is None:
            return
        closed = min(last_closed + timedelta(days=self.rng.uniform(0.5, 4)), self.now - timedelta(minutes=30))
        status = concern.status
        if concern.capture_key:  # a historical concern: resolved when a partner solved it
            solved = self.referrals[-1].outcome in SOLVED_OUTCOMES
            status = ConcernStatus.RESOLVED if solved else ConcernStatus.DECLINED
        # Historical demo data: the concern closed after its last referral.
        Concern.objects.filter(pk=concern.pk).update(status=status, closed_at=closed, updated_at=closed)

    def _refer_to_the_partner_login(self, count=2):
        """Two fresh referrals to the demo partner's organisation, so its login has something to answer."""
        partner = next(o for o, _c, _t in self.profiles.values() if o.name == PARTNER_ORGANISATION)
        topics = set(partner.topics)
        open_ones = (
            Concern.objects.filter(district=self.district, status__in=[ConcernStatus.NEW, ConcernStatus.TRIAGED])
            .filter(Q(category__slug__in=topics) | Q(category__parent__slug__in=topics))
            .exclude(referrals__organisation=partner)
            .order_by("-created_at")[:count]
        )
        for concern in open_ones:
            sent_at = self._sent_at(concern, days_ago=self.rng.randint(1, 3))
            self._referral(concern, partner, sent_at)
            # The public entry referral_create writes: the timeline tells to whom the concern went.
            concern_services.concern_reply(
                concern=concern,
                actor=self.manager,
                text=f"Ihr Anliegen wurde weitergegeben an: {partner.name}.",
                new_status=ConcernStatus.REFERRED,
                at=sent_at,
            )

    def _refer_open(self):
        concerns = Concern.objects.filter(
            district=self.district, status__in=[ConcernStatus.REFERRED, ConcernStatus.IN_PROGRESS]
        ).select_related("category__parent")
        for concern in list(concerns.order_by("created_at"))[: self.config["open_referrals"]]:
            choice = self._pick(self._candidates(concern.category), set())
            if choice is None:
                continue
            accepted = concern.status == ConcernStatus.IN_PROGRESS
            self._referral(concern, choice[0], self._sent_at(concern, self.rng.randint(2, 20)), accepted=accepted)

    def _sent_at(self, concern, days_ago):
        """When an open referral was sent: `days_ago`, but after the concern came in and before now."""
        sent_at = max(concern.created_at + timedelta(hours=3), self.now - timedelta(days=days_ago))
        return sent_at if sent_at < self.now else concern.created_at + (self.now - concern.created_at) / 2

    def _referral(self, concern, organisation, sent_at, *, outcome=None, closed_at=None, accepted=False):
        plan = ReferralPlan.URGENT if concern.category.sensitive else ReferralPlan.STANDARD
        due_on = timezone.localdate(sent_at) + timedelta(days=PLANS[plan].days)
        remind_on, escalate_on = plan_dates(plan, due_on)
        referral = Referral(
            concern=concern,
            district=concern.district,
            organisation=organisation,
            message=f"Guten Tag, könnten Sie sich bitte um dieses Anliegen kümmern: „{concern.title}“? Danke!",
            plan=plan,
            due_on=due_on,
            remind_on=remind_on,
            escalate_on=escalate_on,
            token_hash=hashlib.sha256(f"demo:{self.rng.random()}:{len(self.referrals)}".encode()).hexdigest(),
            link_expires_at=sent_at + timedelta(days=settings.REFERRAL_LINK_DAYS),
            created_by=self.manager,
            created_at=sent_at,
            updated_at=closed_at or sent_at,
        )
        events = [(ReferralStep.SENT, sent_at, "")]
        if outcome == Outcome.NOT_RESPONSIBLE and self.rng.random() < 0.5:
            referral.status, referral.outcome = ReferralStatus.REJECTED, ""
            referral.answered_at = referral.closed_at = closed_at
            events.append((ReferralStep.REJECTED, closed_at, CLOSING_TEXTS[outcome]))
        elif outcome:
            referral.status, referral.outcome = ReferralStatus.CLOSED, outcome
            referral.answered_at = sent_at + (closed_at - sent_at) * self.rng.uniform(0.05, 0.4)
            referral.closed_at = closed_at
            events.append((ReferralStep.ACCEPTED, referral.answered_at, ""))
            events.append((ReferralStep.CLOSED, closed_at, CLOSING_TEXTS[outcome]))
        elif accepted:
            referral.status = ReferralStatus.ACCEPTED
            referral.answered_at = sent_at + timedelta(hours=self.rng.uniform(4, 40))
            events.append((ReferralStep.ACCEPTED, referral.answered_at, "Wir kümmern uns darum."))
        self.referrals.append(referral)
        self.events.append(events)

    def _save(self):
        """Historical demo data, written directly: bulk_create, then the past timestamps (auto_now_add)."""
        stamps = [(r.created_at, r.updated_at) for r in self.referrals]
        referrals = Referral.objects.bulk_create(self.referrals)
        for referral, (created_at, updated_at) in zip(referrals, stamps, strict=True):
            referral.created_at, referral.updated_at = created_at, updated_at
        Referral.objects.bulk_update(referrals, ["created_at", "updated_at"], batch_size=200)
        # Each step an internal entry on the concern's timeline, as referral services write them.
        Entry.objects.bulk_create(
            [
                Entry(
                    target=referral.concern,
                    context=referral,
                    district_id=referral.concern.district_id,
                    kind=EntryKind.REFERRAL,
                    step=step,
                    author=self.manager if step == ReferralStep.SENT else None,
                    text=text,
                    created_at=at,
                )
                for referral, steps in zip(referrals, self.events, strict=True)
                for step, at, text in steps
            ],
            batch_size=500,
        )
