"""Id blocks for bulk generators: forked workers draw them from a table's sequence at the same
time, so two blocks must never share an id."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from shuren.people.models import PartyMembership
from shuren.synthetic.bulk_rows import IdAllocator


@pytest.mark.postgres_only  # sequences shared between sessions
@pytest.mark.django_db(transaction=True)
def test_blocks_drawn_at_the_same_time_on_separate_connections_never_overlap():
    sessions, blocks_each, block = 8, 400, 3
    barrier = threading.Barrier(sessions)
    drawn: list[list[int]] = []
    failures: list[BaseException] = []

    def draw() -> None:
        from django.db import connections

        try:
            allocate = IdAllocator(PartyMembership, block=block)  # this thread's own connection
            barrier.wait()
            ids = [allocate() for _ in range(blocks_each * block)]
            drawn.append(ids)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=draw) for _ in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures
    everything = [pk for ids in drawn for pk in ids]
    assert len(everything) == sessions * blocks_each * block
    assert len(set(everything)) == len(everything)
    # and the sequence has moved past every id handed out: the ORM's next row does not collide
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [PartyMembership._meta.db_table])
        assert cursor.fetchone()[0] > max(everything)


@pytest.mark.django_db
def test_ids_elsewhere_count_on_from_the_largest_in_the_table():
    allocate = IdAllocator(PartyMembership, block=3)
    first = [allocate() for _ in range(4)]
    assert first == list(range(first[0], first[0] + 4))
