"""The same offline capture sent twice at the same moment: one concern, and both answers name it."""

import threading

import pytest
from django.db import connection

from kiezwerk.concerns.models import Channel, Concern

from ..factories import concern_reported


@pytest.mark.django_db(transaction=True)
def test_concurrent_twins_of_a_capture_get_the_stored_concern(district, category, manager):
    start = threading.Barrier(2)
    answers, errors = [], []

    def send():
        try:
            start.wait()
            concern, _token = concern_reported(
                district, category, channel=Channel.STREET, actor=manager, capture_key="phone-7f3a"
            )
            answers.append(concern.pk)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    twins = [threading.Thread(target=send) for _ in range(2)]
    for twin in twins:
        twin.start()
    for twin in twins:
        twin.join()
    assert errors == []
    assert Concern.objects.filter(capture_key="phone-7f3a").count() == 1
    assert answers == [Concern.objects.get(capture_key="phone-7f3a").pk] * 2
