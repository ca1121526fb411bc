"""The appeals' own in-app notices move to the outbox's inbox (``notifications.Message``): each
becomes an in-app message, already sent, with its time and read mark kept."""

from django.db import migrations

# The old notice kinds and the outbox kinds that replace them.
KINDS = {
    "rejected": "appeals.rejected",
    "dispatched": "appeals.assigned",
    "supervised": "appeals.supervised",
    "merged": "appeals.merged",
    "returned": "appeals.returned",
    "resolved": "appeals.resolved",
    "reopened": "appeals.reopened",
    "response_due_soon": "appeals.due_soon",
    "resolution_due_soon": "appeals.due_soon",
    "response_overdue": "appeals.overdue",
    "resolution_overdue": "appeals.overdue",
}
BATCH = 2000


def forwards(apps, schema_editor):
    Notification = apps.get_model("appeals", "Notification")
    Message = apps.get_model("notifications", "Message")
    created = Message._meta.get_field("created_at")
    created.auto_now_add = False  # keep each notice's own time (this historical model only)
    try:
        notes = Notification.objects.select_related("appeal").order_by("pk")
        batch = []
        for note in notes.iterator(chunk_size=BATCH):
            appeal = note.appeal
            mine = appeal.reporter_id == note.recipient_id
            batch.append(
                Message(
                    kind=KINDS.get(note.kind, f"appeals.{note.kind}")[:60],
                    # The notice's own key: never the key of a new event, so nothing is skipped.
                    event_key=f"appeal:{appeal.pk}:notice:{note.pk}",
                    recipient_id=note.recipient_id,
                    channel="inapp",
                    subject=note.message[:200],
                    text=note.message,
                    link=f"/my/appeals/{appeal.pk}/" if mine else f"/appeals/{appeal.pk}/",
                    status="sent",
                    created_at=note.created_at,
                    sent_at=note.created_at,
                    read_at=note.read_at,
                )
            )
            if len(batch) >= BATCH:
                Message.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        Message.objects.bulk_create(batch, ignore_conflicts=True)
    finally:
        created.auto_now_add = True


def backwards(apps, schema_editor):
    Notification = apps.get_model("appeals", "Notification")
    Message = apps.get_model("notifications", "Message")
    moved = Message.objects.filter(channel="inapp", kind__startswith="appeals.", event_key__startswith="appeal:")
    old_kinds = {new: old for old, new in KINDS.items()}
    for message in moved.iterator(chunk_size=BATCH):
        appeal_id = int(message.event_key.split(":")[1])
        Notification.objects.create(
            recipient_id=message.recipient_id,
            appeal_id=appeal_id,
            kind=old_kinds.get(message.kind, message.kind.removeprefix("appeals."))[:20],
            message=message.text[:300],
            read_at=message.read_at,
        )
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0004_publication_review"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
