"""The README states what `make run` loads (`manage.py demo`), so the two cannot drift apart."""

import re

from django.conf import settings

from kiezwerk.concerns.models import Concern
from kiezwerk.demo.services import demo_load
from kiezwerk.events.models import Event
from kiezwerk.network.models import Contact, Organisation, Referral
from kiezwerk.projects.models import Project

README = settings.BASE_DIR / "README.md"


def test_readme_states_what_the_demo_loads(db):
    district, _users, _created = demo_load()
    concerns = Concern.objects.filter(district=district)
    loaded = {
        "concerns": concerns.count(),
        "of them open": concerns.open().count(),
        "streets": district.streets.count(),
        "reply templates": district.reply_templates.count(),
        "street contacts": district.street_contacts.count(),
        "conversation notes": district.field_notes.count(),
        "organisations": Organisation.objects.filter(city=district.city).count(),
        "contact persons": Contact.objects.filter(districts=district).count(),
        "referrals": Referral.objects.filter(concern__district=district).count(),
        "projects": Project.objects.filter(district=district).count(),
        "events": Event.objects.filter(district=district).count(),
    }
    found = re.search(r"The demo district \*Oberhausen\* has (.*?)\n\n", README.read_text(encoding="utf-8"), re.S)
    assert found, "README.md no longer describes the demo district"
    text = " ".join(found.group(1).split())
    for what, count in loaded.items():
        assert f"{count} {what}" in text, f"README says otherwise about {what}: {text}"
    # No other figure in the sentence: each one it states is checked above.
    assert sorted(int(number) for number in re.findall(r"\d+", text)) == sorted(loaded.values())
