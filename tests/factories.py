import hashlib
import itertools
from datetime import timedelta

import factory
from django.utils.text import slugify

from kiezwerk.accounts.models import Role, User
from kiezwerk.accounts.services import membership_add
from kiezwerk.concerns.models import Category, Concern
from kiezwerk.core.services import district_load, street_save
from kiezwerk.network.models import ANSWERED_REFERRAL_STATUSES, Organisation, Referral, ReferralStatus


def square(lat, lon, size=0.01):
    """A square GeoJSON polygon with its south-west corner at (lat, lon)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def district_create(name="Testviertel", lat=48.38, lon=10.87, size=0.02, **kwargs):
    return district_load(name=name, slug=slugify(name), boundary=square(lat, lon, size), **kwargs)


def concern_reported(district, category, **kwargs):
    """(concern, tracking token) reported through the real service at the district's centre, unless told otherwise."""
    from kiezwerk.concerns.services import concern_report

    lat, lon = district.centre
    fields = {"title": "Sperrmüll an der Ecke", "description": "Zwei Sofas seit Montag.", "lat": lat, "lon": lon}
    return concern_report(district=district, category=category, **(fields | kwargs))


def street_create(district, name="Teststraße", first_number=1, last_number=99):
    lat, lon = district.min_lat, district.min_lon
    height = district.max_lat - district.min_lat
    line = [[lon + 0.002, lat + height / 2], [district.max_lon - 0.002, lat + height / 2]]
    return street_save(district=district, name=name, line=line, first_number=first_number, last_number=last_number)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name", locale="de_DE")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = "resident"


def partner_create(district, organisation_name="Grünamt"):
    """A partner login: a member of an organisation serving `district` (a partner has no role)."""
    user = UserFactory()
    organisation = Organisation.objects.create(name=organisation_name, kind="city_office")
    organisation.districts.add(district)
    membership_add(user=user, target=organisation)
    return user


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"category-{n}")
    name_de = factory.Sequence(lambda n: f"Kategorie {n}")
    name_en = factory.LazyAttribute(lambda o: f"Category {o.slug}")


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    category = factory.SubFactory(CategoryFactory, district=factory.SelfAttribute("..district"))
    title = factory.Sequence(lambda n: f"Anliegen {n}")
    description = "Am Gehweg liegt seit Tagen Sperrmüll."
    lat = factory.LazyAttribute(lambda o: (o.district.min_lat + o.district.max_lat) / 2)
    lon = factory.LazyAttribute(lambda o: (o.district.min_lon + o.district.max_lon) / 2)
    tracking_token_hash = factory.Sequence(lambda n: hashlib.sha256(f"token-{n}".encode()).hexdigest())


_referral_tokens = itertools.count()


def referral_answered(organisation, concern, *, sent, took_days=5, outcome="solved", status=ReferralStatus.CLOSED):
    """A past referral of `concern`, sent at `sent` and answered `took_days` later (history, as the demo has it)."""
    made = Referral.objects.create(
        concern=concern,
        district=concern.district,
        organisation=organisation,
        message="Bitte kümmern.",
        due_on=sent.date(),
        remind_on=sent.date(),
        escalate_on=sent.date(),
        status=status,
        outcome=outcome if status == ReferralStatus.CLOSED else "",
        token_hash=hashlib.sha256(f"referral-{next(_referral_tokens)}".encode()).hexdigest(),
        link_expires_at=sent + timedelta(days=30),
    )
    closed_at = sent + timedelta(days=took_days) if status in ANSWERED_REFERRAL_STATUSES else None
    Referral.objects.filter(pk=made.pk).update(created_at=sent, closed_at=closed_at)
    made.created_at, made.closed_at = sent, closed_at
    return made
