"""`shuren seed-scale`: a synthetic district for benchmarks, kept apart from real districts."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from shuren.core.validators import parse_id_number
from shuren.people.models import Person, Residence
from shuren.places.models import Area, AreaKind, Dwelling
from shuren.synthetic.district import RESIDENTS_PER_COMMUNITY, SCALE_CODE, id_number, is_male

pytestmark = pytest.mark.django_db


def test_generated_id_numbers_are_valid_and_distinct():
    numbers = [id_number(serial) for serial in range(0, 200_000, 7)]
    assert len(set(numbers)) == len(numbers)
    for number in numbers[:: len(numbers) // 50]:
        assert parse_id_number(number).number == number


def test_a_small_district_has_residents_of_every_age_and_both_sexes():
    """The first few hundred serials (a demo district) already spread over eight decades of birth
    dates and both sexes, as the ID numbers encode them; distinct far beyond a million residents."""
    parsed = [parse_id_number(id_number(serial)) for serial in range(500)]
    assert len({p.birth_date.year for p in parsed}) > 60
    assert {p.sex for p in parsed} == {"M", "F"}
    assert all((p.sex == "M") == is_male(serial) for serial, p in enumerate(parsed))
    far = [id_number(serial) for serial in range(0, 3_000_000, 997)]
    assert len(set(far)) == len(far)


@pytest.mark.slow
def test_seed_scale_builds_residents_in_homes_of_their_own_district(capsys):
    n = RESIDENTS_PER_COMMUNITY + 500  # two communities
    call_command("seed-scale", "--residents", str(n))
    district = Area.objects.get(parent=None, code=SCALE_CODE)
    people = Person.objects.filter(scope__startswith=district.path + ".")
    assert people.count() == n
    assert Area.objects.filter(kind=AreaKind.COMMUNITY, path__startswith=district.path).count() == 2
    # Every resident lives in a dwelling of a grid of their community, and is findable like any other.
    assert Residence.objects.filter(person__in=people).count() == n
    sample = people.filter(id_index__isnull=False).first()
    assert sample.id_index and sample.name_pinyin and sample.birth_date
    home = sample.residences.get().dwelling
    assert sample.scope == home.scope and home.scope.startswith(sample.community.path + ".")
    assert Person.objects.filter(id_index=sample.id_index).count() == 1
    assert Dwelling.objects.filter(scope__startswith=district.path).count() * 2.8 >= n
    assert "8500" in capsys.readouterr().out
    call_command("seed-scale", "--residents", "10")  # running again adds, in a new community
    assert Person.objects.filter(scope__startswith=district.path + ".").count() == n + 10
