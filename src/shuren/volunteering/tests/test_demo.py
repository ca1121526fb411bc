"""The demo loads volunteering data through the services and is safe to run twice."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_shows_volunteering_and_loads_twice_without_change():
    from shuren.synthetic.demo import load_demo
    from shuren.volunteering.models import Activity, ServiceRecord, SignUp, VolunteerProfile

    load_demo()
    counts = (Activity.objects.count(), ServiceRecord.objects.count(), SignUp.objects.count())
    assert counts[0] >= 8 and counts[1] >= 15
    volunteer = VolunteerProfile.objects.get(person__user__username="volunteer")
    assert volunteer.status == "approved"
    assert SignUp.objects.filter(person=volunteer.person, status="confirmed", activity__status="published").exists()
    assert ServiceRecord.objects.filter(corrects__isnull=False).count() == 1
    assert VolunteerProfile.objects.filter(status="applied").count() == 2
    load_demo()
    assert (Activity.objects.count(), ServiceRecord.objects.count(), SignUp.objects.count()) == counts
