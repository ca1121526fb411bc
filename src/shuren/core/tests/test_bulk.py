"""Bulk loading (COPY on PostgreSQL): rows come back as the ORM would have written them."""

from __future__ import annotations

import pytest
from django.db import connection

from shuren.core.bulk import analyze, bulk_load
from shuren.people.models import Person, Residence
from shuren.places.models import Area, AreaKind, Building, Dwelling, Estate, Unit

pytestmark = pytest.mark.django_db


def test_bulk_load_sets_keys_encrypts_and_timestamps(tree):
    community = tree["com_a"]
    estate = Estate.objects.create(community=community, name="富丰新城")
    building = Building.objects.create(estate=estate, grid=tree["grid_a1"], number="1座")
    unit = Unit.objects.create(building=building, number="1单元")
    dwellings = [Dwelling(unit=unit, room=f"{n}01", floor=n, scope=unit.scope) for n in range(1, 4)]
    bulk_load(Dwelling, dwellings)
    assert all(d.pk for d in dwellings) and Dwelling.objects.count() == 3
    people = [Person(community=community, name=f"居民{n}", phone=f"+861380013800{n}") for n in range(3)]
    for person in people:
        person.derive_fields()
    bulk_load(Person, people)
    bulk_load(
        Residence,
        [
            Residence(person=p, dwelling=d, relation="owner", status="permanent", scope=d.scope)
            for p, d in zip(people, dwellings, strict=True)
        ],
    )
    stored = Person.objects.get(pk=people[1].pk)
    assert stored.phone == "+8613800138001" and stored.created_at is not None and stored.name_pinyin == "jumin1"
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM people_person WHERE id = %s", [people[1].pk])
        assert "13800138001" not in cursor.fetchone()[0]  # encrypted at rest, COPY or not
    assert Residence.objects.filter(person__in=people).count() == 3
    # The sequence moved on: an ordinary insert afterwards does not collide.
    Person.objects.create(community=community, name="后来者")
    assert Area.objects.filter(kind=AreaKind.COMMUNITY).exists()


@pytest.mark.postgres_only
def test_analyze_lets_the_planner_count_the_rows_its_own_transaction_wrote(tree):
    """Inside the loading transaction (uncommitted, so autovacuum cannot see them) the planner learns
    of the new rows only from ANALYZE in that transaction."""
    bulk_load(Person, [Person(community=tree["com_a"], name=f"居民{n}") for n in range(3_000)])

    def estimated() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Person._meta.db_table])
            return cursor.fetchone()[0]

    assert estimated() < 1_000  # never analyzed (-1) or analyzed while empty
    analyze(Person, Person)  # a model named twice is analyzed once
    assert estimated() >= 3_000
