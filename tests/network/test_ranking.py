"""“Who can help?”: partner_suggestions ranks organisations for a concern and explains each in one line."""

from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone
from django.utils.translation import override

from kiezwerk.concerns.models import Concern
from kiezwerk.network.models import Organisation, Referral, ReferralStatus
from kiezwerk.network.selectors.ranking import partner_suggestions
from tests.factories import CategoryFactory, ConcernFactory, district_create, referral_answered

_tokens = count()


@pytest.fixture
def city_district(db):
    return district_create("Oberviertel", city="Augsburg")


@pytest.fixture
def waste(city_district):
    return CategoryFactory(district=city_district, slug="waste", name_de="Müll")


@pytest.fixture
def dumping(city_district, waste):
    return CategoryFactory(district=city_district, slug="illegal-dumping", name_de="Wilder Müll", parent=waste)


@pytest.fixture
def bins(city_district, waste):
    return CategoryFactory(district=city_district, slug="overflowing-bins", name_de="Mülleimer", parent=waste)


def organisation(name, district=None, topics=("illegal-dumping",), **fields):
    fields.setdefault("city", "Augsburg")
    org = Organisation.objects.create(name=name, kind="city_office", topics=list(topics), **fields)
    if district:
        org.districts.add(district)
    return org


def concern(district, category, *, days_ago=0, language="de"):
    made = ConcernFactory(district=district, category=category, language=language)
    at = timezone.now() - timedelta(days=days_ago)
    Concern.objects.filter(pk=made.pk).update(created_at=at)
    made.created_at = at
    return made


def referral(org, category, *, days_ago, took_days=5, outcome="solved", status=ReferralStatus.CLOSED):
    """A past referral of a concern of this category, sent days_ago and answered took_days later."""
    district = org.districts.first() or category.district
    sent = timezone.now() - timedelta(days=days_ago)
    subject = concern(district, category, days_ago=days_ago + 1)
    return referral_answered(org, subject, sent=sent, took_days=took_days, outcome=outcome, status=status)


def names(suggestions):
    return [s.organisation.name for s in suggestions]


def test_topic_match_ranks_the_category_before_its_group_and_leaves_out_the_rest(city_district, dumping, bins):
    organisation("Gruppe", city_district, topics=["waste"])
    organisation("Genau", city_district, topics=["illegal-dumping"])
    organisation("Anderes", city_district, topics=["parks"])
    result = partner_suggestions(concern=concern(city_district, dumping))
    assert names(result) == ["Genau", "Gruppe"]
    assert [s.topic for s in result] == ["category", "group"]


def test_history_beats_no_history(city_district, dumping):
    proven = organisation("Zuverlässig", city_district)
    organisation("Unbekannt", city_district)
    for days in (60, 50, 40, 30):
        referral(proven, dumping, days_ago=days)
    assert names(partner_suggestions(concern=concern(city_district, dumping))) == ["Zuverlässig", "Unbekannt"]


def test_failures_count_against_and_similar_concerns_of_the_group_count(city_district, dumping, bins):
    failing = organisation("Nicht zuständig", city_district)
    sibling = organisation("Leert Mülleimer", city_district, topics=["waste"])
    organisation("Neu", city_district)
    for days in (60, 50, 40):
        referral(failing, dumping, days_ago=days, outcome="not_responsible")
        referral(sibling, bins, days_ago=days)
    referral(failing, dumping, days_ago=20, status=ReferralStatus.REJECTED)
    result = partner_suggestions(concern=concern(city_district, dumping))
    assert names(result) == ["Leert Mülleimer", "Neu", "Nicht zuständig"]
    assert result[2].cases == 4 and result[2].solved == 0


def test_partners_already_asked_about_this_concern_are_left_out_unless_withdrawn(city_district, dumping):
    proven = organisation("A Bewährt", city_district)
    organisation("B Anderer", city_district)
    withdrawn = organisation("C Zurückgezogen", city_district)
    for days in (60, 50, 40):
        referral(proven, dumping, days_ago=days)
    subject = concern(city_district, dumping, days_ago=5)
    assert names(partner_suggestions(concern=subject)) == ["A Bewährt", "B Anderer", "C Zurückgezogen"]
    asked = referral(proven, dumping, days_ago=3, outcome="not_responsible")
    took_back = referral(withdrawn, dumping, days_ago=3, status=ReferralStatus.WITHDRAWN)
    Referral.objects.filter(pk__in=[asked.pk, took_back.pk]).update(concern=subject)
    assert names(partner_suggestions(concern=subject)) == ["B Anderer", "C Zurückgezogen"]
    # Before it was asked, it was still a suggestion (the bench ranks each referral as of its sending).
    before = timezone.now() - timedelta(days=4)
    assert names(partner_suggestions(concern=subject, at=before))[0] == "A Bewährt"


def test_smoothing_one_lucky_case_does_not_beat_a_reliable_partner(city_district, dumping):
    lucky = organisation("A Glückstreffer", city_district)
    reliable = organisation("B Verlässlich", city_district)
    referral(lucky, dumping, days_ago=30, took_days=1)
    for days in range(100, 20, -5):  # 16 referrals, 14 solved
        referral(reliable, dumping, days_ago=days, took_days=6, outcome="solved" if days % 40 else "not_solved")
    result = partner_suggestions(concern=concern(city_district, dumping))
    assert names(result) == ["B Verlässlich", "A Glückstreffer"]
    assert (result[0].solved, result[0].cases, result[0].median_days) == (14, 16, 6)


def test_no_leakage_from_referrals_after_the_concern_or_answered_later(city_district, dumping):
    early = organisation("A Früher", city_district)
    late = organisation("B Später", city_district)
    now_concern = concern(city_district, dumping, days_ago=10)
    for days in (9, 8, 7, 6):  # created after the concern came in
        referral(late, dumping, days_ago=days, took_days=1)
    referral(early, dumping, days_ago=15, took_days=1)
    result = partner_suggestions(concern=now_concern)
    assert names(result) == ["A Früher", "B Später"]
    assert result[1].cases == 0
    # Half a day after the early referral was sent it was not answered yet: nothing was known then.
    result = partner_suggestions(concern=now_concern, at=timezone.now() - timedelta(days=14, hours=12))
    assert all(s.cases == 0 for s in result)


def test_scope_is_the_district_and_city_wide_organisations_of_its_city(city_district, dumping):
    elsewhere = district_create("Anderswo", lat=48.5, city="Augsburg")
    munich = district_create("Schwabing", lat=48.6, city="München")
    organisation("Hier", city_district)
    organisation("Ganze Stadt", whole_city=True)
    organisation("Nachbarviertel", elsewhere)
    organisation("München stadtweit", whole_city=True, city="München")
    organisation("Inaktiv", city_district, is_active=False)
    organisation("Ohne Gebiet")
    assert munich.city == "München"
    assert sorted(names(partner_suggestions(concern=concern(city_district, dumping)))) == ["Ganze Stadt", "Hier"]


def test_history_comes_only_from_the_concerns_district(city_district, dumping):
    elsewhere = district_create("Anderswo", lat=48.5, city="Augsburg")
    other_dumping = CategoryFactory(district=elsewhere, slug="illegal-dumping")
    citywide = organisation("Stadtweit", whole_city=True)
    for days in (40, 30, 20):
        referral(citywide, other_dumping, days_ago=days)
    assert partner_suggestions(concern=concern(city_district, dumping))[0].cases == 0


def test_explanation_in_one_line_english_msgids_german_interface(city_district, dumping):
    proven = organisation("Amt", whole_city=True, languages=["de", "tr"])
    organisation("Verein", city_district, languages=["de", "tr"])
    for days, took in ((90, 4), (80, 6), (70, 8), (60, 30)):
        referral(proven, dumping, days_ago=days, took_days=took, outcome="solved" if took < 30 else "not_solved")
    turkish = concern(city_district, dumping, language="tr")
    with override("en"):
        first, second = partner_suggestions(concern=turkish)
    assert first.explanation == (
        "solved 3 of 4 similar concerns, median 6 days, topic matches, serves the whole city, speaks Turkish"
    )
    assert second.explanation == "topic matches, no similar referrals yet, serves this district, speaks Turkish"
    with override("de"):
        german = partner_suggestions(concern=turkish)[1].explanation
    assert "Türkisch" in german and "\n" not in german


def test_queries_are_bounded(city_district, dumping, bins, django_assert_max_num_queries):
    orgs = [organisation(f"Partner {i}", city_district, topics=["illegal-dumping", "waste"]) for i in range(12)]
    for i, org in enumerate(orgs):
        for days in (50, 40, 30):
            referral(org, dumping if i % 2 else bins, days_ago=days + i)
    subject = Concern.objects.get(pk=concern(city_district, dumping).pk)
    with django_assert_max_num_queries(5):
        result = partner_suggestions(concern=subject, limit=10)
    assert len(result) == 10 and all(s.explanation for s in result)


def test_what_an_organisation_is_for_weighs_above_a_mere_history_of_referrals(city_district, waste):
    """The waste office, whose topic is bulky waste, comes before an association that was merely sent such cases."""
    bulky = CategoryFactory(district=city_district, slug="bulky-waste", name_de="Sperrmüll", parent=waste)
    organisation("Amt für Abfallwirtschaft", city_district, topics=["bulky-waste"])
    helpers = organisation("Nachbarschaftshilfe e.V.", city_district, topics=["neighbourly-help"])
    for days in (80, 60, 40, 20):
        referral(helpers, bulky, days_ago=days)
    result = partner_suggestions(concern=concern(city_district, bulky))
    assert names(result) == ["Amt für Abfallwirtschaft", "Nachbarschaftshilfe e.V."]
    assert (result[0].topic, result[0].cases) == ("category", 0)
    assert (result[1].topic, result[1].solved) == ("", 4)  # its record is still shown, and explained
    with override("en"):
        assert "not listed for this topic" in partner_suggestions(concern=concern(city_district, bulky))[1].explanation
