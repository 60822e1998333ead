"""The data migrations of issue D: Organisation.members become Membership rows, partner roles go (and back)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0003_membership"), ("network", "0001_initial")]
AFTER = [("accounts", "0005_role_kind_without_partner"), ("network", "0003_remove_organisation_members")]


def _migrate(targets=None):
    """Migrate to `targets` (default: the latest migrations) and return the models as they were there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_members_become_memberships_and_partner_roles_go():
    apps = _migrate(BEFORE)
    User = apps.get_model("accounts", "User")
    Role = apps.get_model("accounts", "Role")
    District = apps.get_model("core", "District")
    Organisation = apps.get_model("network", "Organisation")
    district = District.objects.create(
        name="Altviertel", slug="altviertel", boundary={}, min_lat=0, max_lat=1, min_lon=0, max_lon=1
    )
    partner, both, manager = (User.objects.create(email=f"{n}@example.org") for n in ("p", "b", "m"))
    Role.objects.create(user=partner, district=district, kind="partner")
    Role.objects.create(user=manager, district=district, kind="manager")
    office = Organisation.objects.create(name="Grünamt", kind="city_office")
    club = Organisation.objects.create(name="Verein", kind="association")
    Organisation.objects.create(name="Ohne Zugang", kind="association")
    office.members.add(partner, both)
    club.members.add(both)

    apps = _migrate(AFTER)
    Membership = apps.get_model("accounts", "Membership")
    rows = set(Membership.objects.values_list("content_type__model", "object_id", "user_id"))
    assert rows == {
        ("organisation", office.pk, partner.pk),
        ("organisation", office.pk, both.pk),
        ("organisation", club.pk, both.pk),
    }
    assert list(apps.get_model("accounts", "Role").objects.values_list("user_id", "kind")) == [(manager.pk, "manager")]

    # Back: the memberships become members again (the partner roles stay gone).
    apps = _migrate(BEFORE)
    Organisation = apps.get_model("network", "Organisation")
    members = set(Organisation.members.through.objects.values_list("organisation_id", "user_id"))
    assert members == {(office.pk, partner.pk), (office.pk, both.pk), (club.pk, both.pk)}
    assert not apps.get_model("accounts", "Membership").objects.exists()
    _migrate()
