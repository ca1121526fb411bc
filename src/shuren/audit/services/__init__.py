"""Writing to the audit log, sealing it into the keyed chain, verifying and purging it.

Callers record inside their own transaction: if the audit write fails, the audited operation fails
with it (fail closed). Recording takes no lock and computes no hash. ``seal_events`` (cron every
minute, ``shuren audit seal``, or the ``seal_task`` task) later numbers the committed events in id
order and chains them with HMAC under the key kept outside the database, as a Certificate
Transparency log merges its queued entries.
"""

from __future__ import annotations

import datetime as dt
import hmac
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import DatabaseError, IntegrityError, connections, models, router, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from shuren.core.middleware import current_request

from ..chain import (
    Checkpoint,
    CheckpointFileError,
    append_checkpoint,
    audit_key,
    checkpoint_path,
    newest_checkpoint,
    read_checkpoints,
)
from ..models import AuditEvent, ChainHead

MIN_RETENTION_DAYS = 184  # Cybersecurity Law: network logs are kept at least six months
POLL_SECONDS = 0.01  # how often the sealer looks whether open transactions have ended


def _actor_role(user: AbstractBaseUser | AnonymousUser) -> str:
    from shuren.core.scoping import roles_of

    return ",".join(sorted(roles_of(user)))[:64]


def record_event(
    action: str,
    *,
    request: HttpRequest | None = None,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    scope: str = "",
    outcome: str = "success",
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log, in the caller's transaction, and return it (unsealed:
    ``seq`` and ``hash`` are set by ``seal_events`` once the transaction has committed).

    ``request`` (or the request being served) supplies actor, IP and request id when not given.
    """
    request = request or current_request.get()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    context = getattr(request, "shuren", None) if request is not None else None
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        scope_field = getattr(type(obj), "scope_field", None)
        if not scope and scope_field:
            scope = getattr(obj, scope_field, "") or ""
    # No lock, no hash: the row is numbered and chained later by the sealer, so concurrent writers
    # never wait for each other. It is written in the caller's transaction (fail closed).
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor_id=actor.pk if actor is not None and actor.pk else None,
        actor_username=getattr(actor, "username", "") or "",
        actor_role=_actor_role(actor) if actor is not None else "",
        ip=getattr(context, "ip", "") or "",
        request_id=getattr(context, "request_id", "") or "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        scope=scope,
        outcome=outcome,
        reason=reason[:500],
        detail=detail or {},
    )
    event.save(force_insert=True)
    return event


class ChainBroken(Exception):
    """The chain in the database no longer matches its signed head or its external checkpoints:
    the sealer refuses to extend it until an auditor has looked (``shuren audit verify``)."""


# --- sealing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SealReport:
    sealed: int  # events sealed by this call
    last_seq: int  # the chain's newest sequence number afterwards
    pending: int  # events recorded but not sealed yet (their transactions may still be open)
    settled: bool  # False when transactions still open kept the sealer from advancing


def _final_id_postgresql(connection: Any, settle_seconds: float) -> int | None:
    """The highest event id such that every id up to it is final (committed or rolled back), or
    None if open transactions did not finish within ``settle_seconds``.

    Ids are handed out in order, but transactions commit in any order: id 7 can become visible after
    id 8. The insert trigger gives a transaction its transaction id before the row its id, so: read
    the last id handed out (L), then the transaction ids of the transactions open on this database;
    every transaction that may hold an id <= L has either ended or is among them. Once those have
    ended, ids <= L can no longer appear. (A snapshot's list of running transactions would not do: it
    leaves out those whose transaction id is newer than that of every transaction that has ended.)
    Nothing is locked; the sealer only waits for transactions already open (and not for its own,
    whose rows it sees).
    """
    # The transaction ids of the other backends on this database: set when a transaction takes one,
    # cleared when it ends. pg_stat_activity is read once per transaction unless cleared.
    open_transactions = """SELECT backend_xid::text FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('audit_auditevent', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608 (a catalog name)
        last_value, is_called = cursor.fetchone()
        handed_out = last_value if is_called else last_value - 1
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(open_transactions)
        running = [xid for (xid,) in cursor.fetchall()]
        polls = max(1, round(settle_seconds / POLL_SECONDS) + 1)
        for poll in range(polls):
            if poll:
                time.sleep(POLL_SECONDS)
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(f"{open_transactions} AND backend_xid::text = ANY(%s)", [running])
                running = [xid for (xid,) in cursor.fetchall()]
            if not running:
                return handed_out
    return None


def _final_id(settle_seconds: float) -> int | None:
    connection = connections[router.db_for_write(AuditEvent)]
    if connection.vendor == "postgresql":
        return _final_id_postgresql(connection, settle_seconds)
    # SQLite has one writer at a time (transactions begin IMMEDIATE): every committed id is final.
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _locked_head() -> ChainHead:
    """The chain head, locked for this transaction (only sealers and the purge take this lock)."""
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        try:
            with transaction.atomic():
                ChainHead.objects.create(pk=1)
        except IntegrityError:
            pass  # another sealer created it first
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def _head_problem(head: ChainHead | None) -> str:
    """Why the head cannot be trusted, or "" when it can."""
    if head is None or not head.signature:
        if AuditEvent.objects.filter(hash__isnull=False).exists():
            return "the chain head is missing or unsigned although events are sealed"
        if head is not None and not (head.last_id == 0 and head.count == 0 and head.last_hash == head.anchor_hash):
            return "the chain head is unsigned but not at the chain's start"
        return ""
    if not hmac.compare_digest(head.signature, head.checkpoint().mac()):
        return "the chain head is not signed with the audit key (edited or forged)"
    return ""


def _behind_checkpoint(head: ChainHead, checkpoint: Checkpoint | None) -> str:
    """Why the database is behind the newest external checkpoint, or ""."""
    if checkpoint is None:
        return ""
    if checkpoint.last_seq > head.last_seq:
        return (
            f"newest events are missing: the checkpoint file records the chain up to seq {checkpoint.last_seq}, "
            f"the database only up to {head.last_seq}"
        )
    if checkpoint.first_seq > head.first_seq or (
        checkpoint.first_seq == head.first_seq and checkpoint.anchor != head.anchor_hash
    ):
        return "the chain's start does not match the checkpoint file"
    if checkpoint.last_seq == head.last_seq and checkpoint.last_hash != head.last_hash:
        return "the chain's newest hash does not match the checkpoint file"
    return ""


def _check_head(head: ChainHead) -> None:
    problem = _head_problem(head)
    if not problem:
        try:
            problem = _behind_checkpoint(head, newest_checkpoint())
        except CheckpointFileError as exc:
            problem = f"checkpoint file: {exc}"
    if problem:
        raise ChainBroken(problem)


def _sign(head: ChainHead) -> None:
    head.sealed_at = timezone.now()
    head.signature = head.checkpoint().mac()


def publish_checkpoint() -> None:
    """Bring the external checkpoint file up to the chain head. Done under the head's lock, so that
    lines are written in the order the heads were committed; a line is written only for a committed
    head, so the file is never ahead of the database unless the database was rolled back."""
    if checkpoint_path() is None:
        return
    with transaction.atomic():
        head = _locked_head()
        if not head.signature:
            return
        try:
            newest = newest_checkpoint()
        except CheckpointFileError as exc:
            raise ChainBroken(f"checkpoint file: {exc}") from exc
        if newest is None or head.last_seq > newest.last_seq or head.first_seq > newest.first_seq:
            append_checkpoint(head.checkpoint())


def seal_events(*, settle_seconds: float = 2.0, batch_size: int = 1000) -> SealReport:
    """Seal every event whose id is final: number it (``seq``), link it to its predecessor
    (``prev_hash``) and sign it (``hash = HMAC(key, prev_hash || canonical row)``), in id order;
    then sign the head with the new mark and append a checkpoint to the external file.

    Safe to run often and from several places at once (the head's lock serialises sealers, and no
    writer ever takes it). Raises ``ChainBroken`` instead of extending a chain that was tampered
    with."""
    final_id = _final_id(settle_seconds)
    sealed = 0
    while final_id is not None:
        with transaction.atomic():
            head = _locked_head()
            _check_head(head)
            rows = list(
                AuditEvent.objects.filter(
                    id__gt=head.last_id, id__lte=final_id, seq__isnull=True, prev_hash__isnull=True, hash__isnull=True
                ).order_by("id")[:batch_size]
            )
            if not rows:
                break
            key = audit_key()
            for event in rows:
                event.seq = head.last_seq + 1
                event.prev_hash = head.last_hash
                event.hash = event.compute_hash(key=key)
                head.last_seq, head.last_hash = event.seq, event.hash
            with connections[router.db_for_write(AuditEvent)].cursor() as cursor:  # bulk_update is 20x slower
                cursor.executemany(
                    f"UPDATE {AuditEvent._meta.db_table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
                    [(e.seq, e.prev_hash, e.hash, e.pk) for e in rows],
                )
            # Below the mark every id is final: an unsealed row there later was inserted behind the
            # sealer's back, and verification reports it.
            head.last_id = final_id if len(rows) < batch_size else rows[-1].id
            _sign(head)
            head.save()
            sealed += len(rows)
    publish_checkpoint()
    final = ChainHead.objects.filter(pk=1).first()
    return SealReport(
        sealed=sealed,
        last_seq=final.last_seq if final else 0,
        pending=AuditEvent.objects.filter(hash__isnull=True).count(),
        settled=final_id is not None,
    )


# --- verification ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_seq: int | None
    last_seq: int | None
    bad_seq: int | None = None
    reason: str = ""
    bad_id: int | None = None  # the row id, for a row that has no sequence number
    pending: int = 0  # events not sealed yet
    external: bool = False  # whether the chain was checked against the checkpoint file


def verify_chain(*, seal: bool = True, batch_size: int = 2000) -> ChainReport:
    """Seal what is final (unless ``seal=False``), then check the whole chain:

    - the head is signed with the audit key (a head rewritten without the key is caught);
    - the sealed events run without a gap from the head's start (``first_seq``, linked to the
      ``anchor``: the genesis hash, or the last purged event's hash; deleting the oldest events
      without the purge is caught) to its end (deleting the newest is caught);
    - every event links to its predecessor and its HMAC matches its content (an edit, or a chain
      recomputed without the key, is caught);
    - no unsealed event lies below the sealer's mark (a row inserted there later is caught);
    - the newest checkpoint in the external file is contained in the chain (rolling the database
      back to an older, validly signed state is caught), and every line of the file is signed.
    """
    seal_problem = ""
    if seal:
        try:
            seal_events()
        except (ChainBroken, CheckpointFileError, DatabaseError) as exc:
            seal_problem = f"sealing failed: {exc}"
    head = ChainHead.objects.filter(pk=1).first()
    pending = AuditEvent.objects.filter(hash__isnull=True).count()

    def broken(reason: str, checked: int, first: int | None, last: int | None, **extra: Any) -> ChainReport:
        return ChainReport(False, checked, first, last, reason=reason, pending=pending, **extra)

    problem = _head_problem(head)
    if problem:
        return broken(problem, 0, None, None)
    if head is None:
        head = ChainHead()
    external = checkpoint_path() is not None
    try:
        checkpoints = read_checkpoints()
    except CheckpointFileError as exc:
        return broken(f"checkpoint file: {exc}", 0, None, None)
    newest = checkpoints[-1] if checkpoints else None
    problem = _behind_checkpoint(head, newest)
    if problem:
        return broken(problem, 0, None, None, bad_seq=newest.last_seq if newest else None)

    key = audit_key()
    checked = 0
    expected_seq, expected_prev = head.first_seq, head.anchor_hash
    first_seq: int | None = None
    queryset = AuditEvent.objects.filter(hash__isnull=False).order_by("seq")
    after = None
    while True:
        rows = list((queryset if after is None else queryset.filter(seq__gt=after))[:batch_size])
        if not rows:
            break
        for event in rows:
            seq, digest = event.seq, event.hash
            assert seq is not None and digest is not None  # only sealed events are read here
            last = expected_seq - 1 if checked else None
            if seq != expected_seq:
                if checked == 0 and seq > expected_seq:
                    reason = "oldest events are missing (deleted without the purge)"
                elif seq < expected_seq:
                    reason = "an event before the chain's start (inserted)"
                else:
                    reason = "missing event (gap in the sequence)"
                return broken(reason, checked, first_seq, last, bad_seq=expected_seq)
            if event.prev_hash != expected_prev:
                return broken("link to the previous event is broken", checked, first_seq, last, bad_seq=seq)
            if event.id > head.last_id or not hmac.compare_digest(event.compute_hash(key=key), digest):
                return broken(
                    "content does not match its hash (edited, or sealed without the audit key)",
                    checked,
                    first_seq,
                    last,
                    bad_seq=seq,
                )
            if newest is not None and seq == newest.last_seq and digest != newest.last_hash:
                reason = "the event does not match the checkpoint file"
                return broken(reason, checked, first_seq, last, bad_seq=seq)
            if first_seq is None:
                first_seq = seq
            expected_seq, expected_prev = seq + 1, digest
            checked += 1
        after = rows[-1].seq
    last_seq = expected_seq - 1 if checked else None
    if (expected_seq - 1, expected_prev) != (head.last_seq, head.last_hash):
        return broken(
            "newest events are missing (the chain head points past the last event)",
            checked,
            first_seq,
            last_seq,
            bad_seq=expected_seq,
        )
    intruder = (
        AuditEvent.objects.filter(hash__isnull=True)
        .filter(Q(id__lte=head.last_id) | Q(seq__isnull=False) | Q(prev_hash__isnull=False))
        .order_by("id")
        .first()
    )
    if intruder is not None:
        return broken(
            "an unsealed event below the sealed mark (inserted after sealing, or its seal removed)",
            checked,
            first_seq,
            last_seq,
            bad_id=intruder.id,
        )
    if seal_problem:
        return broken(seal_problem, checked, first_seq, last_seq)
    return ChainReport(True, checked, first_seq, last_seq, pending=pending, external=external)


# --- retention ---------------------------------------------------------------------------------


def purge_expired_events(*, retention_days: int) -> int:
    """Delete sealed events older than ``retention_days`` (at least 184), oldest first, and move the
    chain's start past them: the signed head and the checkpoint file record where the kept chain
    starts (its first sequence number and the last purged hash), so that deleting old events any
    other way is detected. The purge itself is audited."""
    if retention_days < MIN_RETENTION_DAYS:
        raise ValueError(f"audit retention must be at least {MIN_RETENTION_DAYS} days")
    seal_events()
    cutoff = timezone.now() - dt.timedelta(days=retention_days)
    with transaction.atomic():
        head = _locked_head()
        _check_head(head)
        sealed = AuditEvent.objects.filter(hash__isnull=False)
        # Keep the survivors contiguous: delete only the run of events before the first young one.
        first_young = sealed.filter(occurred_at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
        doomed = sealed if first_young is None else sealed.filter(seq__lt=first_young)
        last = doomed.order_by("-seq").first()
        if last is None:
            return 0
        assert last.seq is not None and last.hash is not None  # sealed
        count = doomed.count()
        anchor = {
            "purged": count,
            "last_purged_seq": last.seq,
            "last_purged_hash": last.hash,
            "retention_days": retention_days,
        }
        doomed.delete()
        head.first_seq, head.anchor_hash = last.seq + 1, last.hash
        _sign(head)
        head.save()
        record_event("audit.purge", actor=None, detail=anchor)
    publish_checkpoint()
    return count
