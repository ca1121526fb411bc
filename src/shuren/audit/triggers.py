"""Database triggers that make the audit table append-only.

- INSERT: an event arrives unsealed (``seq``, ``prev_hash`` and ``hash`` empty); only the sealer
  numbers and chains it. On PostgreSQL the trigger also takes the row's id from the sequence only
  after the transaction has its transaction id, so the sealer can tell from the open transactions
  which ids may still appear (see ``services._final_id_postgresql``).
- UPDATE: refused, except the sealer's one change of an unsealed row: the three seal columns from
  empty to filled, every other column unchanged.
- DELETE: only rows older than 184 days (the legal floor; the purge command applies the configured,
  longer retention). TRUNCATE is refused on PostgreSQL.

Installed by the migrations; grant the application's database role INSERT, SELECT and UPDATE
(seq, prev_hash, hash) only in production.
"""

from __future__ import annotations

from typing import Any

# Every column of an event but the seal columns: none may change, ever.
CONTENT_COLUMNS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_username",
    "actor_role",
    "ip",
    "request_id",
    "action",
    "object_type",
    "object_id",
    "scope",
    "outcome",
    "reason",
    "detail",
)
SEAL_COLUMNS = ("seq", "prev_hash", "hash")


def _pg_forward(sequence: str) -> str:
    same_content = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in CONTENT_COLUMNS)
    was_unsealed = " AND ".join(f"OLD.{c} IS NULL" for c in SEAL_COLUMNS)
    now_sealed = " AND ".join(f"NEW.{c} IS NOT NULL" for c in SEAL_COLUMNS)
    arrives_unsealed = " AND ".join(f"NEW.{c} IS NULL" for c in SEAL_COLUMNS)
    return f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT ({arrives_unsealed}) THEN
            RAISE EXCEPTION 'audit events are sealed by the sealer only (INSERT refused)';
        END IF;
        -- The transaction id first, then the row id: every id handed out belongs to a transaction
        -- that has ended or that shows its transaction id in pg_stat_activity.
        PERFORM pg_current_xact_id();
        NEW.id := nextval('{sequence}');
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        IF ({was_unsealed}) AND ({now_sealed}) AND ({same_content}) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit events are append-only (UPDATE refused)';
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.occurred_at >= now() - interval '184 days' THEN
            RAISE EXCEPTION 'audit events younger than 184 days cannot be deleted';
        END IF;
        RETURN OLD;
    ELSIF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'audit events cannot be truncated';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_insert BEFORE INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""


PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_insert ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_no_delete ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def _sqlite_forward() -> list[str]:
    same_content = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in CONTENT_COLUMNS)
    was_unsealed = " AND ".join(f"OLD.{c} IS NULL" for c in SEAL_COLUMNS)
    now_sealed = " AND ".join(f"NEW.{c} IS NOT NULL" for c in SEAL_COLUMNS)
    arrives_unsealed = " AND ".join(f"NEW.{c} IS NULL" for c in SEAL_COLUMNS)
    return [
        f"""CREATE TRIGGER audit_event_insert BEFORE INSERT ON audit_auditevent
           WHEN NOT ({arrives_unsealed})
           BEGIN SELECT RAISE(ABORT, 'audit events are sealed by the sealer only (INSERT refused)'); END;""",
        f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
           WHEN NOT (({was_unsealed}) AND ({now_sealed}) AND ({same_content}))
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END;""",
        """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
           WHEN julianday(OLD.occurred_at) >= julianday('now', '-184 days')
           BEGIN SELECT RAISE(ABORT, 'audit events younger than 184 days cannot be deleted'); END;""",
    ]


SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_insert;",
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
]


def _pg_sequence(cursor: Any) -> str:
    cursor.execute("SELECT pg_get_serial_sequence('audit_auditevent', 'id')")
    return cursor.fetchone()[0]


def install(connection: Any) -> None:
    """Make the audit table append-only on this connection's database (idempotent)."""
    remove(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_pg_forward(_pg_sequence(cursor)))
        elif connection.vendor == "sqlite":
            for statement in _sqlite_forward():
                cursor.execute(statement)


def remove(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_BACKWARD)
        elif connection.vendor == "sqlite":
            for statement in SQLITE_BACKWARD:
                cursor.execute(statement)
