"""Membership: belonging to one object. A partner is a member of an organisation, and nothing else makes one."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kiezwerk.accounts import access
from kiezwerk.accounts.models import Membership, RoleKind, User
from kiezwerk.accounts.services import membership_add
from kiezwerk.concerns import rules as concern_rules
from kiezwerk.network import rules as network_rules
from kiezwerk.network.models import Organisation

from ..factories import ConcernFactory, RoleFactory, UserFactory, referral_answered


@pytest.fixture
def organisation(district):
    organisation = Organisation.objects.create(name="Stadtteilmütter", kind="association")
    organisation.districts.add(district)
    return organisation


def test_one_membership_per_user_and_object(db, organisation):
    user = UserFactory()
    first = membership_add(user=user, target=organisation)
    again = membership_add(user=user, target=organisation, role="Koordination")
    assert again.pk == first.pk and Membership.objects.get().role == "Koordination"
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=user, content_type=ContentType.objects.get_for_model(Organisation), object_id=organisation.pk
        )
    assert Membership.objects.count() == 1


def test_memberships_go_with_their_organisation_and_their_user(db, organisation):
    kept = Organisation.objects.create(name="Tafel", kind="association")
    leaving, staying = UserFactory(), UserFactory()
    membership_add(user=leaving, target=organisation)
    membership_add(user=staying, target=organisation)
    membership_add(user=staying, target=kept)
    leaving.delete()
    assert list(Membership.objects.values_list("user", flat=True).order_by("pk")) == [staying.pk, staying.pk]
    organisation.delete()
    assert [m.target for m in Membership.objects.all()] == [kept]


def test_membership_of_one_object_is_not_of_another(db, district, organisation):
    other = Organisation.objects.create(name="Tafel", kind="association")
    member, stranger = UserFactory(), UserFactory()
    membership_add(user=member, target=organisation)
    # A membership of another kind of object with the same id is not a membership of the organisation.
    Membership.objects.create(
        user=stranger, content_type=ContentType.objects.get_for_model(type(district)), object_id=organisation.pk
    )
    member, stranger = User.objects.get(pk=member.pk), User.objects.get(pk=stranger.pk)
    assert access.is_member_of(member, organisation) and not access.is_member_of(member, other)
    assert access.memberships(member, Organisation) == {organisation.pk}
    assert not access.is_member_of(stranger, organisation) and access.memberships(stranger, Organisation) == set()
    assert network_rules.is_partner(member) and not network_rules.is_partner(stranger)
    assert not network_rules.is_partner(AnonymousUser()) and access.memberships(AnonymousUser(), Organisation) == set()


def test_a_partner_has_no_role_and_sees_nothing_internal(partner, district, sensitive_category):
    internal = ConcernFactory(district=district, category=sensitive_category, moderation="pending")
    assert access.roles(partner, district) == frozenset()
    assert not access.is_staff_of(partner, district) and not access.is_team_of(partner, district)
    assert not access.is_desk_user(partner) and network_rules.is_partner(partner)
    for rule in (concern_rules.can_view_concern, concern_rules.can_see_reporter, concern_rules.can_work_concern):
        assert not rule(partner, internal)


def test_roles_and_memberships_cost_one_query_per_request_user(db, district, organisation, django_assert_num_queries):
    user = UserFactory()
    RoleFactory(user=user, district=district, kind=RoleKind.VOLUNTEER)
    RoleFactory(user=user, district=None, kind=RoleKind.CITY_ADMIN)
    membership_add(user=user, target=organisation)
    membership_add(user=user, target=Organisation.objects.create(name="Tafel", kind="association"))
    user = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert access.roles(user, district) == {RoleKind.VOLUNTEER, RoleKind.CITY_ADMIN}
        assert access.is_staff_of(user, district) and access.is_desk_user(user)
        assert network_rules.is_partner(user) and len(access.memberships(user, Organisation)) == 2


def test_partners_answer_only_their_organisations_referrals(db, district, organisation, partner):
    other = Organisation.objects.create(name="Tafel", kind="association")
    concern = ConcernFactory(district=district)
    theirs = referral_answered(other, concern, sent=timezone.now())
    mine = referral_answered(organisation, concern, sent=timezone.now())
    member = UserFactory()
    membership_add(user=member, target=organisation)
    assert network_rules.can_answer_referral(member, mine) and not network_rules.can_answer_referral(member, theirs)
    # The partner fixture belongs to its own organisation, not this one.
    assert not network_rules.can_answer_referral(partner, mine)


@pytest.mark.parametrize(("who", "shows_partner_link"), [("partner", True), ("resident", False), ("manager", False)])
def test_the_navigation_shows_the_partner_link_to_members_only(request, client, who, shows_partner_link):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("core:home")).content.decode()
    assert (f'href="{reverse("network:partner-home")}"' in page) is shows_partner_link
    assert (f'href="{reverse("desk:home")}"' in page) is (who == "manager")


def test_an_organisations_partner_logins_are_edited_in_the_admin(admin_client, organisation):
    person = UserFactory(email="sachbearbeitung@example.org")
    url = reverse("admin:network_organisation_change", args=[organisation.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and "Partner-Zugänge" in page.content.decode()
    prefix = "accounts-membership-content_type-object_id"
    form = page.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None and key != "districts"}
    data |= {"districts": [d.pk for d in organisation.districts.all()], "topics": "[]", "languages": "[]"}
    data |= {f"{prefix}-TOTAL_FORMS": 1, f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-0-user": person.pk}
    data |= {f"{prefix}-0-role": "Sachbearbeitung"}
    assert admin_client.post(url, data).status_code == 302
    assert network_rules.is_partner(User.objects.get(pk=person.pk))
    assert Membership.objects.get(user=person).target == organisation
    assert admin_client.get(reverse("admin:accounts_membership_changelist")).status_code == 200
