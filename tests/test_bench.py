"""The benchmark's own logic: which cases run, which data it reuses, how it reads wrk."""

import pytest
from django.db.models import Count, Q

from bench import data, events, load, projects
from bench.run import selected
from kiezwerk.concerns.models import Concern
from kiezwerk.events import series
from kiezwerk.events.models import Event, Occurrence, Registration, RegistrationStatus
from kiezwerk.projects.models import Shift, SignUpStatus

from .factories import CategoryFactory, ConcernFactory, district_create


def test_bench_only_runs_what_it_names_in_order():
    assert selected("") == ["pages", "inbox", "projects", "events", "ranking"]
    assert selected("inbox") == ["inbox"]
    assert selected(" load , pages,") == ["pages", "load"]
    known = "pages, inbox, projects, events, ranking, signup, load, lighthouse"
    with pytest.raises(SystemExit, match=f"unknown inbx, rank; name some of {known}"):
        selected("inbx,pages,rank")


@pytest.mark.django_db
def test_a_filled_database_is_reused_beside_the_demo_and_refused_for_another_size(monkeypatch):
    monkeypatch.setattr(data, "OTHER_CONCERNS", 5)
    assert data.is_filled(20) is False
    data.fill(concerns=20)
    assert Concern.objects.filter(district__slug="bench-01").count() == 20
    assert data.is_filled(20) is True
    # The ranking loads the demo district into the bench database: its concerns do not count.
    demo = district_create(name="Oberhausen")
    ConcernFactory.create_batch(3, district=demo, category=CategoryFactory(district=demo))
    assert data.is_filled(20) is True
    with pytest.raises(SystemExit, match=r"filled for 20 concerns in bench-01, not for BENCH_CONCERNS=1,000\."):
        data.is_filled(1000)
    # Another layout (an older benchmark's) is named as such.
    Concern.objects.filter(district__slug="bench-02").first().delete()
    with pytest.raises(SystemExit, match="in an older layout"):
        data.is_filled(20)


@pytest.mark.django_db
def test_projects_are_filled_once_with_exactly_their_sign_ups_and_refused_for_other_sizes(monkeypatch):
    monkeypatch.setattr(data, "OTHER_CONCERNS", 5)
    for name, value in {"OTHER_PROJECTS": 10, "OTHER_SIGNUPS": 40, "ACCOUNTS": 20}.items():
        monkeypatch.setattr(projects, name, value)
    data.fill(concerns=20)
    assert projects.is_filled(200, 1500) is False
    projects.fill(projects=200, signups=1500)
    assert projects.counts() == {"bench-01": (200, 1500), "bench-02": (10, 40), "bench-03": (10, 40)}
    assert projects.is_filled(200, 1500) is True
    # The places are counted as the services count them: taken = registered; a waiting list only on a full shift.
    shifts = Shift.objects.annotate(
        registered=Count("signups", filter=Q(signups__status=SignUpStatus.REGISTERED)),
        waiting=Count("signups", filter=Q(signups__status=SignUpStatus.WAITING)),
    )
    assert all(s.taken == s.registered <= s.capacity for s in shifts)
    assert all(s.taken == s.capacity for s in shifts if s.waiting)
    assert any(s.waiting for s in shifts) and any(s.taken < s.capacity for s in shifts)
    with pytest.raises(SystemExit, match=r"holds 200 projects with 1,500 sign-ups in bench-01.*not 10,000 with 100,"):
        projects.is_filled()


@pytest.mark.django_db
def test_events_are_filled_once_with_their_series_dates_and_registrations_and_refused_for_other_sizes(monkeypatch):
    monkeypatch.setattr(data, "OTHER_CONCERNS", 5)
    for name, value in {"OTHER_EVENTS": 10, "OTHER_SERIES": 2, "OTHER_REGISTRATIONS": 30, "ACCOUNTS": 20}.items():
        monkeypatch.setattr(events, name, value)
    data.fill(concerns=20)
    assert events.is_filled(200, 40, 1500) is False
    events.fill(events=200, repeating=40, registrations=1500)
    assert events.counts() == {"bench-01": (200, 40, 1500), "bench-02": (10, 2, 30), "bench-03": (10, 2, 30)}
    assert events.is_filled(200, 40, 1500) is True
    # A series' dates are those its rule gives (moved ones keep the rule's start as original_start).
    for event in Event.objects.exclude(rrule="").prefetch_related("occurrences")[:10]:
        expected = [start for start, _end in series.dates(event.starts_at, event.ends_at, event.rrule)]
        assert sorted(o.original_start for o in event.occurrences.all()) == expected
    # Places are counted as the services count them: taken = registered + offered; a waiting list only when full.
    dates = Occurrence.objects.filter(event__capacity__isnull=False).annotate(
        holding=Count("registrations", filter=Q(registrations__status__in=["registered", "offered"])),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
    )
    assert all(o.taken == o.holding <= o.event.capacity for o in dates.select_related("event"))
    assert all(o.taken == o.event.capacity for o in dates.select_related("event") if o.waiting)
    assert not Registration.objects.filter(occurrence__event__capacity=None).exists()
    assert not Registration.objects.filter(occurrence__cancelled=True).exclude(status="cancelled").exists()
    offered = Registration.objects.filter(status=RegistrationStatus.OFFERED)
    assert all(r.offer_expires_at is not None for r in offered)
    with pytest.raises(SystemExit, match=r"holds 200 events \(40 series\) with 1,500 registrations in bench-01"):
        events.is_filled()


WRK = """Running 5s test @ http://127.0.0.1:8110/
  2 threads and 20 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   120.50ms   40.10ms   1.02s    80.00%
    Req/Sec    80.12     20.00   120.00     70.00%
  Latency Distribution
     50%  116.67ms
     75%  150.00ms
     90%  200.00ms
     99%    1.35s
  746 requests in 5.01s, 3.21MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    148.43
Transfer/sec:    656.12KB
"""


def test_wrk_output_is_read_in_milliseconds():
    assert load.parse(WRK) == {
        "rps": 148.43,
        "p50_ms": 116.67,
        "p99_ms": 1350.0,
        "requests": 746,
        "non_2xx": 4,
        "socket_errors": 3,
    }


def test_the_load_profile_empties_only_a_redis_database_of_its_own():
    for url in ("redis://127.0.0.1:6379", "redis://127.0.0.1:6379/0"):
        with pytest.raises(SystemExit, match="must name a Redis database of the benchmark's own"):
            load.redis_emptied(url)
