"""Append-only tables: database triggers that refuse UPDATE and DELETE of any row (and TRUNCATE on
PostgreSQL), for records that are corrected by new rows and never edited — volunteer service
records, ledger transactions and entries. Used from migrations::

    migrations.RunPython(*append_only.operations("points_ledgerentry"))

Like the audit table's triggers, they guard against the application's own mistakes; in production the
database role should also be granted INSERT and SELECT only on these tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _statements(table: str, vendor: str) -> tuple[list[str], list[str]]:
    function = f"{table}_append_only"
    if vendor == "postgresql":
        forward = [
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{table} is append-only (% refused)', TG_OP;
            END;
            $$ LANGUAGE plpgsql;""",
            f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {function}();""",
            f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION {function}();""",
        ]
        backward = [
            f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
            f"DROP FUNCTION IF EXISTS {function}();",
        ]
        return forward, backward
    if vendor == "sqlite":
        forward = [
            f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
               BEGIN SELECT RAISE(ABORT, '{table} is append-only (UPDATE refused)'); END;""",
            f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
               BEGIN SELECT RAISE(ABORT, '{table} is append-only (DELETE refused)'); END;""",
        ]
        backward = [f"DROP TRIGGER IF EXISTS {table}_no_update;", f"DROP TRIGGER IF EXISTS {table}_no_delete;"]
        return forward, backward
    return [], []


def install(connection: Any, table: str) -> None:
    """Make ``table`` append-only on this connection's database (idempotent)."""
    remove(connection, table)
    forward, _backward = _statements(table, connection.vendor)
    with connection.cursor() as cursor:
        for statement in forward:
            cursor.execute(statement)


def remove(connection: Any, table: str) -> None:
    _forward, backward = _statements(table, connection.vendor)
    with connection.cursor() as cursor:
        for statement in backward:
            cursor.execute(statement)


def operations(*tables: str) -> tuple[Callable[..., None], Callable[..., None]]:
    """The (forward, backward) pair for ``migrations.RunPython`` installing the triggers on ``tables``."""

    def forward(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            install(schema_editor.connection, table)

    def backward(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            remove(schema_editor.connection, table)

    return forward, backward
