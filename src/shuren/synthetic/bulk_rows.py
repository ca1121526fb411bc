"""Rows in database form for the synthetic-data generators (``shuren seed-scale``).

``core.bulk.bulk_load`` turns model instances into rows through every field's ``pre_save`` and
``get_db_prep_save``: exact, but about half a millisecond a row. Generators that write millions of
rows build them in database form instead: a ``RowTable`` holds each column's default once (as the
field prepares it), a row is a copy of the defaults with the generator's values set by name, and
rows go to the database with COPY on PostgreSQL (as text, see ``copy_text``) or ``executemany``
elsewhere. Values that need the application's own preparation (encrypted fields) are prepared by
the caller through the field (``RowTable.prep``), so they are stored exactly as an ORM insert would.

Primary keys come from ``IdAllocator``: blocks drawn from the table's sequence on PostgreSQL, and
counted on from the largest id elsewhere (one writer at a time, as on SQLite), so that rows can
refer to each other before any is written.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import DateField, DateTimeField, DecimalField, JSONField, Model


def utc(moment: float) -> dt.datetime:
    """An epoch moment as an aware datetime (generators count time in epoch seconds)."""
    return dt.datetime.fromtimestamp(moment, tz=dt.UTC)


def token(rng: Any, nbytes: int = 24) -> str:
    """A URL-safe secret like ``secrets.token_urlsafe(nbytes)``, drawn from ``rng`` (reproducible)."""
    import base64

    return base64.urlsafe_b64encode(rng.randbytes(nbytes)).rstrip(b"=").decode()


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(rows: Iterable[Sequence[Any]]) -> bytes:
    """Rows in COPY's text format (None is NULL; strings, numbers, booleans, dates and aware
    datetimes as PostgreSQL reads them). psycopg's own row formatter (compiled) does it when it is
    available; ``copy_text_python`` gives the same bytes (the tests compare them)."""
    formatter = _formatter()
    if formatter is None:
        return copy_text_python(rows)
    write = formatter.write_row
    chunks = [write(row) for row in rows]
    chunks.append(formatter.end())
    return b"".join(chunks)


def _formatter() -> Any:
    try:  # psycopg's formatter behind cursor.copy().write_row(): not a documented interface
        from psycopg._copy_base import TextFormatter
        from psycopg.adapt import Transformer
    except ImportError:  # pragma: no cover - another psycopg
        return None
    return TextFormatter(Transformer())


def copy_text_python(rows: Iterable[Sequence[Any]]) -> bytes:
    """``copy_text`` in Python."""
    lines = []
    for row in rows:
        values = []
        for value in row:
            kind = type(value)
            if value is None:
                values.append("\\N")
            elif kind is str:
                values.append(value.translate(_ESCAPES))
            elif kind is bool:
                values.append("t" if value else "f")
            elif kind is int:
                values.append(str(value))
            elif kind is dt.datetime:
                values.append(value.isoformat(" "))
            elif kind is dt.date:
                values.append(value.isoformat())
            elif kind is float or kind is Decimal:
                values.append(str(value))
            elif isinstance(value, str):  # a TextChoices member
                values.append(str.__str__(value).translate(_ESCAPES))
            elif isinstance(value, int):  # psycopg's Int2 ... of Django's prepared defaults
                values.append(str(int(value)))
            else:
                raise TypeError(f"no COPY text for {kind.__name__}")
        lines.append("\t".join(values))
    return ("\n".join(lines) + "\n").encode() if lines else b""


class RowTable:
    """One model's rows in database form: defaults once, then COPY (PostgreSQL) or executemany.

    ``row(**values)`` takes attribute names (``person_id``, not ``person``); columns not given keep
    the field's default. JSON columns take JSON text. Without ``with_pk`` the rows have no id
    column: the database gives each row its id from the table's sequence."""

    def __init__(self, model: type[Model], connection: Any = None, *, with_pk: bool = True) -> None:
        self.model = model
        self.connection = connection or connections[DEFAULT_DB_ALIAS]
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.position = {f.attname: i for i, f in enumerate(self.fields)}
        self.defaults = [self._default(f) for f in self.fields]
        quote = self.connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(cast(str, f.column)) for f in self.fields)  # concrete: each has a column
        self.rows: list[list[Any]] = []
        self.written = 0

    def _default(self, field: Any) -> Any:
        if field.primary_key:
            return None
        if isinstance(field, JSONField):
            return json.dumps(field.get_default(), ensure_ascii=False) if field.has_default() else None
        if field.has_default() and callable(field.default):
            return None  # a per-row default (a token, a code): the generator gives each row its own
        # Without a default Django stores "" in a text column that is not nullable, else NULL.
        return field.get_db_prep_save(field.get_default(), self.connection)

    def prep(self, attname: str, value: Any) -> Any:
        """``value`` prepared by the field as an ORM insert prepares it (e.g. encrypted)."""
        field = self.fields[self.position[attname]]
        return field.get_db_prep_save(value, self.connection)

    def row(self, **values: Any) -> list[Any]:
        """One row: the defaults with ``values`` set."""
        row = self.defaults.copy()
        position = self.position
        for name, value in values.items():
            row[position[name]] = value
        return row

    def add(self, **values: Any) -> None:
        """Queue one row for the next ``flush``."""
        self.rows.append(self.row(**values))

    def flush(self) -> int:
        """Write the queued rows; returns how many."""
        rows, self.rows = self.rows, []
        if not rows:
            return 0
        if self.connection.vendor == "postgresql":
            self.write_copy(copy_text(rows))
        else:
            self.write_many(rows)
        self.written += len(rows)
        return len(rows)

    def write_copy(self, text: bytes) -> None:
        with self.connection.cursor() as cursor, self.connection.wrap_database_errors:
            with cursor.cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                copy.write(text)

    def write_many(self, rows: list[list[Any]]) -> None:
        adapt = self._adapters()
        placeholders = ", ".join(["%s"] * len(self.fields))
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders})",  # noqa: S608
                [[a(v) if a and v is not None else v for a, v in zip(adapt, row, strict=True)] for row in rows],
            )

    def _adapters(self) -> list[Callable[[Any], Any] | None]:
        ops = self.connection.ops
        adapters: list[Callable[[Any], Any] | None] = []
        for f in self.fields:
            if isinstance(f, DateTimeField):
                adapters.append(ops.adapt_datetimefield_value)
            elif isinstance(f, DateField):
                adapters.append(ops.adapt_datefield_value)
            elif isinstance(f, DecimalField):

                def adapt_decimal(value: Any, field: DecimalField = f) -> Any:
                    return ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)

                adapters.append(adapt_decimal)
            else:
                adapters.append(None)
        return adapters


class IdAllocator:
    """Primary keys for rows not yet written: blocks of ``block`` ids from the table's sequence
    (PostgreSQL), or counted on from the largest id in the table (elsewhere: one writer at a time)."""

    def __init__(self, model: type[Model], connection: Any = None, *, block: int = 5000) -> None:
        self.model, self.block = model, block
        self.connection = connection or connections[DEFAULT_DB_ALIAS]
        self._free: Iterator[int] = iter(())
        self._next_local: int | None = None
        self._sequence: str | None = None

    def restart(self) -> None:
        if self.connection.vendor != "postgresql":
            self._free, self._next_local = iter(()), None

    def __call__(self) -> int:
        for pk in self._free:
            return pk
        self._free = iter(self._reserve())
        return next(self._free)

    def _reserve(self) -> list[int]:
        meta = self.model._meta
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # The whole block in one statement (a round trip per id would cost more than
                # writing the row). Each id is its own nextval: forked workers draw blocks at the
                # same time, and "setval(nextval + n)" is not atomic between sessions (two of them
                # could read the same nextval base and hand out overlapping blocks).
                if self._sequence is None:
                    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
                    self._sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [self._sequence, self.block])
                return [pk for (pk,) in cursor.fetchall()]
            if self._next_local is None:
                table = self.connection.ops.quote_name(meta.db_table)
                cursor.execute(f"SELECT COALESCE(MAX({meta.pk.column}), 0) FROM {table}")  # noqa: S608
                self._next_local = cursor.fetchone()[0] + 1
        first = self._next_local
        self._next_local = first + self.block
        return list(range(first, first + self.block))


class BulkWriter:
    """The tables and id allocators of one generator run: rows are queued per table and written
    together by ``flush`` (foreign keys are checked at commit, so the order does not matter)."""

    def __init__(self, *, collect: bool = False) -> None:
        """With ``collect`` (PostgreSQL), ``flush`` keeps each table's rows as COPY text for
        ``collected`` instead of writing them: what a worker process hands to the writing one."""
        self.tables: dict[type[Model], RowTable] = {}
        self.allocators: dict[type[Model], IdAllocator] = {}
        self.collect = collect
        self._collected: list[tuple[str, bytes, int]] = []

    def table(self, model: type[Model]) -> RowTable:
        if model not in self.tables:
            self.tables[model] = RowTable(model)
        return self.tables[model]

    def ids(self, model: type[Model], *, block: int = 2000) -> IdAllocator:
        if model not in self.allocators:
            self.allocators[model] = IdAllocator(model, block=block)
        return self.allocators[model]

    def flush(self) -> int:
        """Write every queued row. Elsewhere than on PostgreSQL the allocators count on from the
        table's largest id again afterwards, so that rows the ORM adds in between keep theirs."""
        if self.collect:
            written = 0
            for model, table in self.tables.items():
                rows, table.rows = table.rows, []
                if rows:
                    self._collected.append((model._meta.label, copy_text(rows), len(rows)))
                    written += len(rows)
            return written
        written = sum(table.flush() for table in self.tables.values())
        for allocator in self.allocators.values():
            allocator.restart()
        return written

    def collected(self) -> list[tuple[str, bytes, int]]:
        """The COPY text of each table flushed since the last call, by model label (picklable, for
        auto-created many-to-many tables too), with its number of rows."""
        texts, self._collected = self._collected, []
        return texts

    def write_collected(self, texts: list[tuple[str, bytes, int]]) -> int:
        """Write texts a collecting writer made (in another process); returns the rows written."""
        from django.apps import apps

        for label, text, count in texts:
            table = self.table(apps.get_model(label))
            table.write_copy(text)
            table.written += count
        return sum(count for _model, _text, count in texts)

    def written(self) -> dict[str, int]:
        """Rows written so far, by table."""
        return {model._meta.db_table: table.written for model, table in self.tables.items() if table.written}


def generated_in_order(
    function: Callable[..., Any],
    arguments: Iterable[tuple[Any, ...]],
    workers: int,
    *,
    initializer: Callable[[], None] | None = None,
) -> Iterator[Any]:
    """``function(*args)`` for each of ``arguments`` in ``workers`` forked processes, yielded in
    order while the caller writes. ``arguments`` is consumed as work is handed out, at most two
    tasks a worker ahead of the caller: results wait in memory until it takes them."""
    pending: deque[Any] = deque()
    with multiprocessing.get_context("fork").Pool(workers, initializer=initializer) as pool:
        for args in arguments:
            pending.append(pool.apply_async(function, args))
            if len(pending) > 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def estimated_rows(model: type[Model]) -> int:
    """The planner's estimate of a table's rows (PostgreSQL; 0 elsewhere)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
        )
        return int(cursor.fetchone()[0])


@contextmanager
def indexes_deferred(
    models: Sequence[type[Model]],
    enabled: bool,
    progress: Callable[[str], None] = print,
    *,
    written: Callable[[], Iterable[type[Model]]] = lambda: (),
) -> Iterator[None]:
    """Load without keeping indexes and foreign keys current, as ``pg_restore`` does (PostgreSQL;
    inside the caller's transaction, so a failure leaves everything as it was):

    * the secondary indexes and unique constraints of ``models`` are dropped and recreated at the
      end (primary keys, check constraints and partial indexes stay: partial indexes are small,
      and their predicates do not come back word for word from pg_get_indexdef; partial unique
      indexes therefore keep guarding the rows as they are written);
    * foreign keys are not checked row by row: as a superuser the session skips the checks
      (``session_replication_role = replica``, what ``pg_restore --disable-triggers`` sets) and
      every foreign key of the tables ``written()`` returns is checked at the end, one scan a
      table; otherwise the foreign keys of ``models`` to ``models`` are dropped and recreated
      (dropping a foreign key locks the table it refers to against every reader, so those to other
      tables stay, checked at the commit)."""
    if not enabled:
        yield
        return
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    tables = {model._meta.db_table for model in models}
    saved: list[tuple[str, str, str, str]] = []  # (table, kind, name, definition)
    with connection.cursor() as cursor:
        replica = _skip_foreign_key_checks(cursor)
        for table in sorted(tables):
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid), contype, confrelid::regclass::text FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname",
                [table],
            )
            saved += [
                (table, "constraint", name, definition)
                for name, definition, kind, target in cursor.fetchall()
                if kind == "u" or (not replica and target.strip('"') in tables)
            ]
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND x.indpred IS NULL AND NOT x.indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname",
                [table],
            )
            saved += [(table, "index", name, definition) for name, definition in cursor.fetchall()]
        for table, kind, name, _definition in saved:
            if kind == "constraint":
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            else:
                cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if replica:
            cursor.execute("SET LOCAL session_replication_role = origin")
            checked = check_foreign_keys(sorted({m._meta.db_table for m in written()}))
            progress(f"checked {checked} foreign keys in {time.perf_counter() - started:.1f} s")
        else:
            # The deferred checks of the foreign keys that stayed, now: an index cannot be built on a
            # table with checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        progress(f"recreating {len(saved)} indexes and constraints")
        started = time.perf_counter()
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        # Indexes first (the unique ones back the foreign keys that refer to them), foreign keys last.
        for table, kind, name, definition in sorted(saved, key=lambda s: (s[1] != "index", s[3].startswith("F"))):
            if kind == "constraint":
                cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
            else:
                cursor.execute(definition)
    progress(f"recreated {len(saved)} indexes and constraints in {time.perf_counter() - started:.1f} s")


def _skip_foreign_key_checks(cursor: Any) -> bool:
    """Whether this session may skip foreign-key checks for the transaction (superusers only)."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    row = cursor.fetchone()
    if not row or not row[0]:
        return False
    cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def check_foreign_keys(tables: Sequence[str]) -> int:
    """Check every single-column foreign key of ``tables`` (PostgreSQL), one scan a table: raise
    IntegrityError naming the first one some row breaks. Returns how many were checked."""
    from django.db import IntegrityError

    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    checked = 0
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '512MB'")  # room to hash the referenced keys
        for table in tables:
            cursor.execute(
                "SELECT a.attname, c.confrelid::regclass::text, af.attname FROM pg_constraint c "
                "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
                "JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1] "
                "WHERE c.conrelid = %s::regclass AND c.contype = 'f' AND cardinality(c.conkey) = 1 "
                "ORDER BY c.conname",
                [table],
            )
            keys = cursor.fetchall()
            if not keys:
                continue
            counts = ", ".join(
                f"count(*) FILTER (WHERE {c} IS NOT NULL AND {c} NOT IN (SELECT {quote(target)} FROM {parent}))"  # noqa: S608
                for c, parent, target in ((quote(column), parent, target) for column, parent, target in keys)
            )
            cursor.execute(f"SELECT {counts} FROM {quote(table)}")  # noqa: S608 - names from the catalogue
            for (column, parent, _target), broken in zip(keys, cursor.fetchone(), strict=True):
                if broken:
                    raise IntegrityError(f"{broken} rows of {table}.{column} refer to no row of {parent}")
            checked += len(keys)
    return checked
