"""“Who can help?”: organisations ranked for a concern, each with a one-line reason.

What an organisation is *for* comes first: the organisations whose topics match the concern's
category or its group are listed before those known only from referrals of similar concerns (a
history of being sent such cases does not make an organisation responsible for them). Within
each of these two tiers the score orders; it adds up a few explainable terms:

- **topic**: the concern's category slug in `Organisation.topics` (1.0), else its group's slug (0.6);
- **track record** in the district's own history of similar concerns (same category counts fully,
  the rest of its group half): the share solved (partly solved counts half), smoothed towards
  `PRIOR_RATE` with the weight of `PRIOR_CASES` referrals so one lucky case does not beat a partner
  who solved twenty; and the speed (median days from referral to closing of the solved ones),
  smoothed the same way towards `PRIOR_DAYS`; and its share of all similar concerns solved in the
  district (the partner who usually solves these here);
- small terms for the area (listed for the district, or city-wide) and the resident's language.

History is what was known when the concern came in: referrals created before the concern and
answered (closed or rejected) before `at` (now, unless given). Organisations this concern was
already referred to before `at` (open or answered; withdrawn ones not) are left out: the list
answers "who else can help?". Five queries, whatever the size of the network or its history.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language_info, gettext, ngettext

from kiezwerk.concerns.models import Category
from kiezwerk.network.models import ANSWERED_REFERRAL_STATUSES, Organisation, Outcome, Referral, ReferralStatus

TOPIC_EXACT, TOPIC_GROUP = 1.0, 0.6
GROUP_CASE_WEIGHT = 0.5  # a referral of a sibling category counts half
PRIOR_RATE, PRIOR_CASES = 0.45, 3.0  # an untried partner is assumed to solve a bit less than half
PRIOR_DAYS = 21.0
RATE_WEIGHT = 2.0
SPEED_WEIGHT = 0.6
SPEED_HALF_DAYS = 14.0  # the speed term halves at a median of this many days
SHARE_WEIGHT = 1.5
AREA_DISTRICT, AREA_CITY = 0.2, 0.1
LANGUAGE_WEIGHT = 0.3
SUCCESS = {Outcome.SOLVED: 1.0, Outcome.PARTLY: 0.5}


@dataclass
class Suggestion:
    organisation: Organisation
    score: float
    explanation: str
    topic: str = ""  # "category", "group" or ""
    cases: int = 0  # similar referrals answered
    solved: int = 0  # of them solved or partly solved
    median_days: float | None = None
    parts: list = field(default_factory=list)


@dataclass
class _Track:
    weight: float = 0.0
    success: float = 0.0
    cases: int = 0
    solved: int = 0
    days: list = field(default_factory=list)


def candidates(district):
    """Active organisations serving a district: listed for it, or city-wide in its city."""
    return Organisation.objects.serving(district).active()


def partner_suggestions(*, concern, limit=5, at=None):
    """The `limit` best organisations for a concern, best first (a list of `Suggestion`)."""
    at = at or timezone.now()
    category = Category.objects.select_related("parent", "district").get(pk=concern.category_id)
    district = category.district
    group = category.parent or category
    organisations = list(candidates(district))
    listed = set(
        Organisation.districts.through.objects.filter(
            district_id=district.pk, organisation_id__in=[o.pk for o in organisations]
        ).values_list("organisation_id", flat=True)
    )
    asked = set(
        Referral.objects.filter(concern_id=concern.pk, created_at__lt=at)
        .exclude(status=ReferralStatus.WITHDRAWN)
        .values_list("organisation_id", flat=True)
    )
    tracks = _tracks(district, category, group, concern.created_at, at)
    solved_total = sum(track.success for track in tracks.values())
    language = concern.language if concern.language and concern.language != "de" else ""
    suggestions = []
    for organisation in organisations:
        if organisation.pk in asked:
            continue
        topics = set(organisation.topics or [])
        topic = "category" if category.slug in topics else "group" if group.slug in topics else ""
        track = tracks.get(organisation.pk)
        if not topic and track is None:
            continue
        share = track.success / solved_total if track and solved_total else 0.0
        suggestions.append(_suggestion(organisation, topic, track, share, organisation.pk in listed, language))
    # Topic match first (what the organisation is for), then the score.
    suggestions.sort(key=lambda s: (not s.topic, -s.score, s.organisation.name, s.organisation.pk))
    return suggestions[:limit]


def _tracks(district, category, group, before, at):
    """Per organisation: the weighted successes and durations of similar referrals in the district."""
    similar = Q(concern__category=group) | Q(concern__category__parent=group)
    rows = Referral.objects.filter(
        similar,
        concern__district=district,
        created_at__lt=before,
        status__in=ANSWERED_REFERRAL_STATUSES,
        closed_at__lt=at,
    ).values_list("organisation_id", "concern__category_id", "outcome", "created_at", "closed_at")
    tracks = defaultdict(_Track)
    for organisation_id, category_id, outcome, created_at, closed_at in rows:
        track = tracks[organisation_id]
        weight = 1.0 if category_id == category.pk else GROUP_CASE_WEIGHT
        success = SUCCESS.get(outcome, 0.0)
        track.weight += weight
        track.success += weight * success
        track.cases += 1
        if success:
            track.solved += 1
            track.days.append((closed_at - created_at).total_seconds() / 86400)
    return tracks


def _suggestion(organisation, topic, track, share, listed, language):
    score = TOPIC_EXACT if topic == "category" else TOPIC_GROUP if topic == "group" else 0.0
    score += SHARE_WEIGHT * share
    weight, success = (track.weight, track.success) if track else (0.0, 0.0)
    rate = (success + PRIOR_RATE * PRIOR_CASES) / (weight + PRIOR_CASES)
    score += RATE_WEIGHT * rate
    median = statistics.median(track.days) if track and track.days else None
    solved_weight = len(track.days) if track else 0
    days = ((median or 0) * solved_weight + PRIOR_DAYS * PRIOR_CASES) / (solved_weight + PRIOR_CASES)
    score += SPEED_WEIGHT * SPEED_HALF_DAYS / (SPEED_HALF_DAYS + days)
    parts = []
    if track:
        part = ngettext(
            "solved %(solved)d of %(cases)d similar concern",
            "solved %(solved)d of %(cases)d similar concerns",
            track.cases,
        ) % {"solved": track.solved, "cases": track.cases}
        if median is not None:
            rounded = round(median)
            part += ", " + ngettext("median %(days)d day", "median %(days)d days", rounded) % {"days": rounded}
        parts.append(part)
    if topic == "category":
        parts.append(gettext("topic matches"))
    elif topic == "group":
        parts.append(gettext("topic group matches"))
    else:
        parts.append(gettext("not listed for this topic"))
    if not track:
        parts.append(gettext("no similar referrals yet"))
    if listed:
        score += AREA_DISTRICT
        parts.append(gettext("serves this district"))
    elif organisation.whole_city:
        score += AREA_CITY
        parts.append(gettext("serves the whole city"))
    if language and language in (organisation.languages or []):
        score += LANGUAGE_WEIGHT
        parts.append(gettext("speaks %(language)s") % {"language": _language_name(language)})
    return Suggestion(
        organisation=organisation,
        score=round(score, 3),
        explanation=", ".join(parts),
        topic=topic,
        cases=track.cases if track else 0,
        solved=track.solved if track else 0,
        median_days=median,
        parts=parts,
    )


def _language_name(code):
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code
