"""Issue D's data migrations on the demo: the activity layer's rows go back into the old tables and come out the same.

The demo is loaded on today's schema, the database migrated back to before the activity layer
(`concerns.Update`, `Subscription`, `Redaction`, `network.ReferralEvent`, `Interaction`) and forward
again; every row of the timeline, the followers and the redactions must be as it was.
"""

from io import StringIO

import pytest
from django.apps import apps as current_apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("concerns", "0005_update_kind_referral"),
    ("network", "0003_remove_organisation_members"),
    ("core", "0003_activity"),
]


def _migrate(targets=None):
    """Migrate to `targets` (default: the latest migrations) and return the models as they were there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _rows(apps):
    """Every entry, follower and redaction as plain values (no primary keys), sorted."""
    entries = apps.get_model("core", "Entry").objects.values_list(
        "target_type__model", "target_id", "context_type__model", "context_id", "district_id", "kind", "step",
        "is_public", "author_id", "via_link", "language", "text", "old_status", "new_status", "created_at",
    )  # fmt: skip
    followers = apps.get_model("core", "Follower").objects.values_list(
        "target_type__model", "target_id", "email", "language", "token", "confirmed_at", "created_at"
    )
    redactions = apps.get_model("core", "Redaction").objects.values_list(
        "target_type__model", "target_id", "field", "item_id", "original", "reason", "actor_id", "created_at"
    )
    return {
        name: sorted(rows, key=repr)
        for name, rows in [("entries", entries), ("followers", followers), ("redactions", redactions)]
    }


@pytest.mark.django_db(transaction=True)
def test_the_demo_goes_back_to_the_old_tables_and_comes_out_the_same():
    from kiezwerk.concerns import services
    from kiezwerk.concerns.models import Concern
    from kiezwerk.core import activity
    from kiezwerk.core.models import Entry
    from kiezwerk.projects.models import Project

    call_command("demo", stdout=StringIO())
    # The projects app came after the activity layer: going back before it drops its tables, and its timeline
    # rows would be left behind without their projects. The round trip is of what these migrations move.
    Project.objects.all().delete()
    # The old tables knew a text's language only for the report itself (a reply's, such as the reason a project
    # resolved its concerns with, came with the activity layer): going back cannot keep it.
    Entry.objects.filter(target_type__model="concern").exclude(kind="created").update(language="")
    concern = Concern.objects.public().filter(photos__isnull=False).first() or Concern.objects.public().first()
    activity.follow_confirm(token=activity.follow(target=concern, email="nachbarin@example.org").token)
    activity.follow(target=concern, email="unbestaetigt@example.org")
    services.concern_redact(concern=concern, actor=None, field="title", text="Geschwärzter Titel", reason="Name")
    before = _rows(current_apps)
    counts = {
        "concern entries": sum(1 for row in before["entries"] if row[0] == "concern"),
        "referral steps": sum(1 for row in before["entries"] if row[2] == "referral"),
        "interactions": sum(1 for row in before["entries"] if row[0] in ("organisation", "contact")),
    }
    assert counts["referral steps"] > 500 and counts["interactions"] >= 20 and len(before["followers"]) == 2
    assert counts["concern entries"] + counts["interactions"] == len(before["entries"])

    old = _migrate(BEFORE)
    assert old.get_model("concerns", "Update").objects.count() == counts["concern entries"]
    events = old.get_model("network", "ReferralEvent").objects
    assert events.count() == counts["referral steps"] and not events.filter(update=None).exists()  # no copies
    assert old.get_model("network", "Interaction").objects.count() == counts["interactions"]
    assert old.get_model("concerns", "Subscription").objects.count() == 2
    assert old.get_model("concerns", "Redaction").objects.get().original == concern.title
    assert not old.get_model("core", "Entry").objects.exists()

    new = _migrate()
    assert _rows(new) == before
