"""Fast bulk loading for generators and benchmarks: COPY on PostgreSQL, bulk_create elsewhere.

Values go through each field's ``pre_save`` and ``get_db_prep_save`` exactly as in an ORM insert,
so encrypted fields are encrypted and timestamps are set; primary keys are drawn from the table's
sequence first and set on the objects, so related rows can refer to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model


def bulk_load(model: type[Model], objs: Sequence[Model], *, batch_size: int = 5000) -> None:
    """Insert ``objs`` (unsaved instances of ``model``) and set their primary keys."""
    if not objs:
        return
    connection = connections[DEFAULT_DB_ALIAS]  # the object itself, not the thread-local proxy (hot loop)
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    meta = model._meta
    table = meta.db_table
    fields = [f for f in meta.concrete_fields]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        rows: list[list[Any]] = [
            [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs
        ]
        for obj in objs:
            obj._state.adding = False
            obj._state.db = connection.alias
        # The raw psycopg cursor: its errors are turned into Django's (IntegrityError ...) here.
        with connection.wrap_database_errors:
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


def analyze(*models: type[Model]) -> None:
    """Refresh PostgreSQL's planner statistics of the tables of ``models`` after a bulk load.

    Autovacuum analyzes a table only after its rows are committed, and cannot see rows a transaction
    is still writing: inside the loading transaction the planner would take thousands of new rows for
    an empty table and join them by nested loops, seconds per query. ANALYZE in that transaction
    counts its own rows. Elsewhere (SQLite) this does nothing."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql" or not models:
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in dict.fromkeys(models))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
