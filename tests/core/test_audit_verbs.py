"""Audit verbs come from one registry, each with a translated sentence."""

import pytest
from django.utils import translation

from kiezwerk.core import audit
from kiezwerk.core.models import AuditEvent
from kiezwerk.core.services import audit_record


def test_an_unregistered_verb_is_refused_and_nothing_is_written(district):
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match=r"concern\.stauts_changed"):
        audit_record(actor=None, verb="concern.stauts_changed", target=district, district=district)
    assert AuditEvent.objects.count() == before


def test_every_verb_reads_as_a_german_sentence():
    assert len(audit.VERBS) > 40
    with translation.override("de"):
        untranslated = [verb for verb, text in audit.VERBS.items() if str(text) == verb or str(text)[0].islower()]
        assert untranslated == []
        assert audit.sentence("concern.status_changed") == "Status geändert"
        assert audit.sentence("referral.closed") == "Partner hat die Vermittlung abgeschlossen"


def test_a_verb_registered_twice_with_another_sentence_is_a_bug():
    with pytest.raises(ValueError):
        audit.register({"concern.reported": "Something else"})


def test_the_audit_page_shows_sentences_not_codes(client, district, manager):
    audit_record(actor=manager, verb="concern.status_changed", target=district, district=district)
    client.force_login(manager)
    page = client.get(f"/desk/{district.slug}/audit/").content.decode()
    assert "Status geändert" in page and "concern.status_changed" not in page
