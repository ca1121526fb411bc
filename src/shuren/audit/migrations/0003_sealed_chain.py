"""The audit chain becomes keyed and sealed after the fact.

Events are now written unsealed and chained later by `shuren audit seal` with HMAC under
SHUREN_AUDIT_KEY. Existing events, chained with plain SHA-256 under a lock, are not re-hashed here:
this migration checks their old chain one last time, records the outcome as an `audit.chain_rekeyed`
event (whose own sealing then keeps it), clears their seal columns and resets the head to the
start of a new chain at their first sequence number. The first seal chains them again, in id order
(the order the old chain had), under the key, keeping their numbers.
"""

import hashlib
import json

from django.db import migrations, models
from django.utils import timezone

from shuren.audit import triggers

GENESIS_HASH = "0" * 64


def _legacy_hash(event):
    body = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "actor_role": event.actor_role,
        "ip": event.ip,
        "request_id": event.request_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "scope": event.scope,
        "outcome": event.outcome,
        "reason": event.reason,
        "detail": event.detail,
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(event.prev_hash.encode() + canonical).hexdigest()


def _check_legacy_chain(AuditEvent, ChainHead):
    """The old verification: contiguous, linked, each SHA-256 matching, the head at the end."""
    outcome = {"events": 0, "first_seq": None, "last_seq": None, "last_hash": None, "intact": True}
    previous = None
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if previous is None:
            outcome["first_seq"] = event.seq
        elif outcome["intact"]:
            if event.seq != previous.seq + 1:
                outcome.update(intact=False, bad_seq=previous.seq + 1, reason="missing event")
            elif event.prev_hash != previous.hash:
                outcome.update(intact=False, bad_seq=event.seq, reason="broken link")
        if outcome["intact"] and _legacy_hash(event) != event.hash:
            outcome.update(intact=False, bad_seq=event.seq, reason="content does not match its hash")
        previous = event
        outcome["events"] += 1
    if previous is not None:
        outcome.update(last_seq=previous.seq, last_hash=previous.hash)
        head = ChainHead.objects.filter(pk=1).first()
        if outcome["intact"] and head is not None and (head.last_seq, head.last_hash) != (previous.seq, previous.hash):
            outcome.update(intact=False, bad_seq=head.last_seq, reason="newest events missing")
    return outcome


def restart_chain_under_key(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    legacy = _check_legacy_chain(AuditEvent, ChainHead)
    AuditEvent.objects.update(seq=None, prev_hash=None, hash=None)
    if legacy["events"]:
        AuditEvent.objects.create(
            occurred_at=timezone.now(),
            action="audit.chain_rekeyed",
            outcome="success" if legacy["intact"] else "failure",
            reason="" if legacy["intact"] else "the SHA-256 chain was broken before it was sealed under the key",
            detail={"legacy_chain": legacy},
        )
    first_seq = legacy["first_seq"] or 1
    ChainHead.objects.update_or_create(
        pk=1,
        defaults={
            "first_seq": first_seq,
            "anchor_hash": GENESIS_HASH,
            "last_seq": first_seq - 1,
            "last_hash": GENESIS_HASH,
            "last_id": 0,
            "sealed_at": None,
            "signature": "",
        },
    )


def install_triggers(apps, schema_editor):
    triggers.install(schema_editor.connection)


def remove_triggers(apps, schema_editor):
    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_chain_head_and_append_only_triggers'),
    ]

    operations = [
        migrations.RunPython(remove_triggers, install_triggers),
        migrations.AlterModelOptions(
            name='auditevent',
            options={'ordering': ['-id'], 'verbose_name': 'audit event', 'verbose_name_plural': 'audit events'},
        ),
        migrations.AddField(
            model_name='chainhead',
            name='anchor_hash',
            field=models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='first_seq',
            field=models.BigIntegerField(default=1),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='last_id',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='sealed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='signature',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='seq',
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True, verbose_name='sequence'),
        ),
        migrations.RunPython(restart_chain_under_key, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
