from kiezwerk.accounts.models import Role
from kiezwerk.concerns.models import Concern, Moderation
from kiezwerk.demo.data import check_demo_data
from kiezwerk.demo.services import DATA, DEMO_USERS, demo_load


def test_demo_data_passes_its_checks(capsys):
    assert check_demo_data.main(["check", str(DATA)]) == 0


def test_demo_is_complete_and_idempotent(db, client):
    district, users, created = demo_load()
    assert created >= 150
    assert len(users) == len(DEMO_USERS) == Role.objects.count()
    concerns = Concern.objects.filter(district=district)
    assert set(concerns.values_list("language", flat=True)) == {"de", "tr", "ar", "ru", "en"}
    assert concerns.filter(status="resolved").exists() and concerns.filter(status="new").exists()
    assert concerns.filter(moderation=Moderation.APPROVED).exists()
    assert concerns.filter(updates__kind="status").exists()
    assert district.streets.count() >= 28
    _district, _users, again = demo_load()
    assert again == 0 and Concern.objects.count() == created and Role.objects.count() == len(DEMO_USERS)
    # A demo user can log in with the printed password.
    assert client.login(email="quartiersmanager@example.org", password="kiezwerk-demo")
