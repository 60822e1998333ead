"""“Who can help?” evaluated on the demo network: a held-out split in time, beside a topic-only baseline.

The demo (`demo_load`, idempotent) goes into the bench database. Its past referrals (closed or
rejected) are sorted by time; the newest quarter is the test set. For every test referral that a
partner solved (or partly solved), the concern is ranked as the manager would have seen it then
(`partner_suggestions(concern=…, at=<time of the referral>)`: only referrals created before the
concern and answered before that moment count), and we count whether the organisation that solved
it is first (top-1) or among the first three (top-3). The baseline ranks the same candidates by
topic alone — the category's slug in the topics, then the group's — ties broken by name. All three
rankings (ours, the baseline and the generator's odds) leave out the organisations the concern was
already referred to before, as the manager would.
"""

import json
import random
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kiezwerk.concerns.models import Category
from kiezwerk.demo.network import NETWORK_DATA, PREFERENCE, History
from kiezwerk.demo.services import demo_load
from kiezwerk.network.models import ANSWERED_REFERRAL_STATUSES, SOLVED_OUTCOMES, Referral, ReferralStatus
from kiezwerk.network.selectors.ranking import candidates, partner_suggestions

TEST_SHARE = 0.25
TARGET_TOP3 = 0.80


def baseline(concern, organisations, categories):
    category = categories[concern.category_id]
    group = category.parent or category

    def key(organisation):
        topics = organisation.topics or []
        return (0 if category.slug in topics else 1 if group.slug in topics else 2, organisation.name)

    matching = [o for o in organisations if category.slug in (o.topics or []) or group.slug in (o.topics or [])]
    return sorted(matching, key=key)


def evaluate():
    district, users, _created = demo_load()
    past = list(
        Referral.objects.filter(concern__district=district, status__in=ANSWERED_REFERRAL_STATUSES)
        .select_related("concern__category__parent", "organisation")
        .order_by("created_at", "pk")
    )
    split = len(past) - round(len(past) * TEST_SHARE)
    test = [r for r in past[split:] if r.outcome in SOLVED_OUTCOMES]
    organisations = list(candidates(district))
    categories = {c.pk: c for c in Category.objects.filter(district=district).select_related("parent")}
    by_name = {o.name: o for o in organisations}
    spec = json.loads(NETWORK_DATA.read_text(encoding="utf-8"))
    history = History(district, {}, users, by_name, spec, random.Random(0))
    hits = {"ranking": [0, 0], "baseline": [0, 0], "oracle": [0, 0]}
    samples, queries = [], 0
    for referral in test:
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            ranked = [s.organisation.pk for s in partner_suggestions(concern=referral.concern, at=referral.created_at)]
        samples.append((time.perf_counter() - start) * 1000)
        queries = max(queries, len(captured))
        # Like the ranking, the others leave out the partners already asked about this concern.
        asked = set(
            Referral.objects.filter(concern=referral.concern, created_at__lt=referral.created_at)
            .exclude(status=ReferralStatus.WITHDRAWN)
            .values_list("organisation_id", flat=True)
        )
        base = [o.pk for o in baseline(referral.concern, organisations, categories) if o.pk not in asked]
        best = [pk for pk in oracle(referral.concern, history) if pk not in asked]
        for name, order in (("ranking", ranked), ("baseline", base), ("oracle", best)):
            hits[name][0] += order[:1] == [referral.organisation_id]
            hits[name][1] += referral.organisation_id in order[:3]
    n = len(test) or 1
    return {
        "past_referrals": len(past),
        "train": split,
        "test": len(past) - split,
        "test_solved": len(test),
        "test_from": past[split].created_at.date().isoformat() if test else None,
        "organisations": len(organisations),
        "ranking": {"top1": hits["ranking"][0] / n, "top3": hits["ranking"][1] / n},
        "baseline": {"top1": hits["baseline"][0] / n, "top3": hits["baseline"][1] / n},
        "oracle": {"top1": hits["oracle"][0] / n, "top3": hits["oracle"][1] / n},
        "ms_p50": round(statistics.median(samples), 2) if samples else None,
        "max_queries": queries,
        "pass": hits["ranking"][1] / n >= TARGET_TOP3,
    }


def report(result):
    print()
    print(
        f"who can help? — demo network, {result['organisations']} organisations, {result['past_referrals']} past "
        f"referrals: the older {result['train']} are history, tested on the newest {result['test']} "
        f"(from {result['test_from']}), the {result['test_solved']} solved or partly solved, each ranked with "
        f"what was known when it was sent"
    )
    print(f"{'':<28}{'top-1':>8}{'top-3':>8}")
    rows = (
        ("ranking", "ranking (history)"),
        ("baseline", "baseline (topic, by name)"),
        ("oracle", "generator's odds (ceiling)"),
    )
    for name, label in rows:
        print(f"{label:<28}{result[name]['top1']:>8.0%}{result[name]['top3']:>8.0%}")
    print(f"one ranking: p50 {result['ms_p50']} ms, at most {result['max_queries']} queries")
    print(f"top-3 ≥ {TARGET_TOP3:.0%}: {'PASS' if result['pass'] else 'FAIL'} ({result['ranking']['top3']:.1%})")


def oracle(concern, history):
    """What the demo generator knows: the organisations by how likely the manager picks them and they solve it."""
    ranked = []
    for organisation, character, fit in history._candidates(concern.category):
        odds = history.characters[character]
        ranked.append(
            (-PREFERENCE[character] * fit * fit * (odds["solved"] + odds["partly"]), organisation.name, organisation.pk)
        )
    return [pk for *_key, pk in sorted(ranked)]
