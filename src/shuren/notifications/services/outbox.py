"""Creating messages: ``notify``, called inside the transaction of the event that causes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from .. import kinds as kind_registry
from ..channels import get_channel
from ..models import DEFAULT_QUIET_END, DEFAULT_QUIET_START, Channel, DeliverySchedule, Message, Preference, Status
from ..timing import next_digest, quiet_hours_end

if TYPE_CHECKING:
    from shuren.accounts.models import User


@dataclass(frozen=True)
class GroupAddress:
    """A group reached on a group channel (a building's WeCom group): ``address`` is an opaque key the
    channel resolves ("building:12"), never the webhook itself."""

    channel: str
    address: str


# A text: a string, a lazy translation (rendered in the recipient's language), or a function of the
# recipient (None for a group) returning the text.
Text = str | Promise | Callable[[Any], str]

CHUNK = 2000  # users per lookup of their choices, schedules and communities


def _personal(value: Text) -> bool:
    return callable(value) and not isinstance(value, Promise)


def _render(value: Text, recipient: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        if _personal(value):
            return str(value(recipient))  # type: ignore[operator]
        return str(value)


def _enqueue(when: dt.datetime) -> None:
    from ..tasks import schedule_delivery

    schedule_delivery(when)


_COLUMNS = (
    "kind",
    "event_key",
    "recipient",
    "address",
    "channel",
    "subject",
    "text",
    "link",
    "params",
    "urgent",
    "digest",
    "status",
    "attempts",
    "next_attempt_at",
    "last_error",
    "provider_id",
    "created_at",
    "sent_at",
    "read_at",
    "retried_at",
    "community",
)


def _insert(common: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """Insert the rows (each ``common`` with its own values over it), skipping those the unique
    constraints refuse (duplicates of an event).

    ``INSERT … ON CONFLICT DO NOTHING`` (PostgreSQL and SQLite alike), each distinct value prepared
    once by its field, as the ORM would: a notice to ten thousand households repeats the same few
    values, so the common values are prepared once and each row prepares only its own (a recipient's
    id is taken as it is). No model instance is built: constructing twenty thousand of them was most
    of the time of a fan-out. PostgreSQL takes the rows as one array per column (``unnest``), SQLite
    as an ``executemany``."""
    if not rows:
        return
    by_name = {field.name: field for field in Message._meta.concrete_fields}
    fields = [by_name[name] for name in _COLUMNS]
    index_of = {name: index for index, name in enumerate(_COLUMNS)}
    table = connection.ops.quote_name(Message._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column or f.name) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    prepared: dict[tuple[int, Any], Any] = {}
    raw = {index_of["recipient"], index_of["community"]}  # integer ids, or None

    def prep(index: int, value: Any) -> Any:
        if index in raw:
            return value
        key = (index, value if not isinstance(value, dict) else repr(sorted(value.items())))
        if key not in prepared:
            prepared[key] = fields[index].get_db_prep_save(value, connection)
        return prepared[key]

    base = [prep(index, common.get(name)) for index, name in enumerate(_COLUMNS)]
    if connection.vendor == "postgresql":
        _insert_postgresql(fields, base, rows, prep)
        return
    params = []
    for row in rows:
        values = base.copy()
        for name, value in row.items():
            index = index_of[name]
            values[index] = prep(index, value)
        params.append(values)
    with connection.cursor() as cursor:  # SQLite: executemany runs in-process, without round trips
        head = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 - names from the model
        cursor.executemany(f"{head}({marks}) ON CONFLICT DO NOTHING", params)


def _insert_postgresql(fields: list[Any], base: list[Any], rows: list[dict[str, Any]], prep: Any) -> None:
    """PostgreSQL: the values common to every row go once, as parameters of the SELECT; only the
    columns that vary (the recipient, the channel, the status…) go as one array each (``unnest``),
    5,000 rows a statement. Quoting the same long text twenty thousand times over was most of it."""
    quote = connection.ops.quote_name
    table = quote(Message._meta.db_table)
    varying = [index for index, name in enumerate(_COLUMNS) if any(name in row for row in rows)]
    names = {index: f"c{index}" for index in varying}
    select, scalars = [], []
    for index, field in enumerate(fields):
        if index in names:
            select.append(f"u.{names[index]}")
        else:
            select.append(f"%s::{field.db_type(connection)}")
            scalars.append(base[index])
    arrays = ", ".join(f"%s::{fields[index].db_type(connection)}[]" for index in varying)
    columns = ", ".join(quote(f.column or f.name) for f in fields)
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT {', '.join(select)} "  # noqa: S608 - names from the model
        f"FROM unnest({arrays}) AS u({', '.join(names.values())}) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            columns_values = []
            for index in varying:
                name = _COLUMNS[index]
                columns_values.append([prep(index, row[name]) if name in row else base[index] for row in chunk])
            cursor.execute(sql, [*scalars, *columns_values])


def _per_user(sql: str, ids: list[int], *extra: Any) -> list[tuple[Any, ...]]:
    """``sql`` (``… IN ({ids}) …``) run with ``ids`` as plain parameters: the ORM prepared each of ten
    thousand ids of a fan-out once per lookup."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids=", ".join(["%s"] * len(ids))), [*ids, *extra])
        return list(cursor.fetchall())


def communities_of(user_ids: list[int]) -> dict[int, int]:
    """Each user's community (its Area id), from their active role grants on an area in or below a
    community (the deepest grant first); users granted nothing there are left out."""
    from shuren.accounts.models import RoleGrant
    from shuren.places.models import Area, AreaKind

    depth = 2  # district.subdistrict.community
    grants, areas = RoleGrant._meta.db_table, Area._meta.db_table
    found = _per_user(
        f"SELECT g.user_id, a.path FROM {grants} g JOIN {areas} a ON a.id = g.area_id "  # noqa: S608 - table names
        "WHERE g.user_id IN ({ids}) AND g.revoked_at IS NULL AND (g.expires_on IS NULL OR g.expires_on >= %s) "
        "ORDER BY a.depth DESC, g.id",
        user_ids,
        timezone.localdate(),
    )
    paths: dict[int, str] = {}
    for user_id, path in found:
        parts = path.split(".")
        if len(parts) > depth:
            paths.setdefault(user_id, ".".join(parts[: depth + 1]))
    if not paths:
        return {}
    ids = dict(Area.objects.filter(path__in=set(paths.values()), kind=AreaKind.COMMUNITY).values_list("path", "pk"))
    return {user_id: ids[path] for user_id, path in paths.items() if path in ids}


def notify(
    *,
    kind: str,
    event_key: str,
    recipients: Iterable[User | GroupAddress | None],
    subject: Text,
    text: Text,
    link: str = "",
    urgent: bool = False,
    channels: Iterable[str] | None = None,
    params: Mapping[str, str] | None = None,
    community: Any = None,
) -> int:
    """Queue ``kind`` messages about the event ``event_key`` ("appeal:42:resolved") for each of
    ``recipients`` (users, and ``GroupAddress`` for group channels).

    Call it inside the transaction of the event: a rolled-back event leaves no message. Each user
    gets the kind's channels (or ``channels``) that they have not switched off and on which they can
    be reached; in-app is always on. A message already queued for the same (event, recipient,
    channel) is skipped, so calling twice for one event sends once. In-app messages are delivered at
    once; the others are handed to the worker when the transaction commits. ``link`` is a path on the
    site; ``params`` the SMS template's parameters. ``community`` (an Area or its id) is the community
    whose SMS budget pays for the messages; by default each recipient's, from their role grant.
    Returns how many rows were attempted (duplicates included)."""
    kind_def = kind_registry.get(kind)
    wanted = tuple(channels) if channels is not None else kind_def.channels
    unknown = set(wanted) - set(Channel.values)
    if unknown:
        raise ValueError(f"unknown channels {sorted(unknown)}")
    now = timezone.now()
    people: list[User] = []
    groups: list[GroupAddress] = []
    for recipient in recipients:
        if isinstance(recipient, GroupAddress):
            groups.append(recipient)
        elif recipient is not None and getattr(recipient, "is_active", False):
            people.append(recipient)
    backends = {name: get_channel(name) for name in set(wanted) | {g.channel for g in groups}}
    # A channel that cannot carry this kind (WeChat without a template for it) is not considered.
    wanted = tuple(name for name in wanted if backends[name].offers(kind))
    community_id = getattr(community, "pk", community)
    # A text that does not depend on the recipient is rendered once (a notice to a whole community).
    fixed_subject = None if _personal(subject) else _render(subject, None)[:200]
    fixed_text = None if _personal(text) else _render(text, None)
    common: dict[str, Any] = {
        "kind": kind,
        "event_key": event_key,
        "link": link,
        "urgent": urgent,
        "params": dict(params or {}),
        "address": "",
        "subject": fixed_subject or "",
        "text": fixed_text or "",
        "digest": False,
        "status": Status.PENDING,
        "attempts": 0,
        "last_error": "",
        "provider_id": "",
        "created_at": now,
    }
    rows: list[dict[str, Any]] = []
    outside = [name for name in wanted if name != Channel.INAPP and not backends[name].for_groups]
    # Quiet hours (SMS) and the digest (e-mail) hold only what is not urgent.
    timed = not urgent and bool({Channel.SMS, Channel.EMAIL} & set(outside))
    user_table = connection.ops.quote_name
    for start in range(0, len(people), CHUNK):
        chunk = people[start : start + CHUNK]
        ids = [user.pk for user in chunk]
        choices: dict[tuple[int, str], bool] = {}
        if not kind_def.mandatory and outside:
            choices = {
                (user_id, channel): bool(enabled)
                for user_id, channel, enabled in _per_user(
                    f"SELECT user_id, channel, enabled FROM {user_table(Preference._meta.db_table)} "  # noqa: S608
                    "WHERE user_id IN ({ids}) AND kind = %s",
                    ids,
                    kind,
                )
            }
        schedules: dict[int, tuple[dt.time, dt.time, bool]] = {}
        if timed:
            for user_id, quiet_start, quiet_end, email_digest in DeliverySchedule.objects.filter(
                user_id__in=ids
            ).values_list("user_id", "quiet_start", "quiet_end", "email_digest"):
                schedules[user_id] = (quiet_start, quiet_end, email_digest)
        communities = (
            dict.fromkeys(ids, community_id) if community_id is not None or not outside else communities_of(ids)
        )
        for user in chunk:
            personal: dict[str, Any] = {}
            if fixed_subject is None:
                personal["subject"] = _render(subject, user)[:200]
            if fixed_text is None:
                personal["text"] = _render(text, user)
            for name in wanted:
                backend = backends[name]
                if backend.for_groups:
                    continue
                if name != Channel.INAPP:
                    chosen = choices.get((user.pk, name), name in kind_def.channels)
                    if not kind_def.mandatory and not chosen:
                        continue
                    if not backend.address_of(user):
                        continue
                row: dict[str, Any] = {"recipient": user.pk, "channel": name, **personal}
                if name == Channel.INAPP:
                    row["status"], row["sent_at"] = Status.SENT, now
                else:
                    row["community"] = communities.get(user.pk)
                    row["next_attempt_at"] = now
                    if timed:
                        quiet_start, quiet_end, email_digest = schedules.get(
                            user.pk, (DEFAULT_QUIET_START, DEFAULT_QUIET_END, False)
                        )
                        if name == Channel.EMAIL and email_digest:
                            row["digest"], row["next_attempt_at"] = True, next_digest(now)
                        elif name == Channel.SMS:
                            row["next_attempt_at"] = quiet_hours_end(now, quiet_start, quiet_end)
                rows.append(row)
    for group in groups:
        if not backends[group.channel].for_groups:
            raise ValueError(f"{group.channel} does not reach groups")
        rows.append(
            {
                "address": group.address,
                "channel": group.channel,
                "subject": _render(subject, None)[:200],
                "text": _render(text, None),
                "next_attempt_at": now,
                "community": community_id,
            }
        )
    _insert(common, rows)
    later = [row["next_attempt_at"] for row in rows if row.get("next_attempt_at") is not None]
    if later:
        soonest = min(later)
        transaction.on_commit(lambda: _enqueue(soonest))
    return len(rows)
