"""Every write of the notices: drafts, publication and its messages, receipts, the groups' robots."""

from .groups import delete_webhook, save_webhook
from .publishing import (
    PUBLISHED_KIND,
    URGENT_KIND,
    end_due,
    end_notice,
    event_key,
    publish_notice,
    release_due,
    unschedule_notice,
    withdraw_notice,
)
from .receipts import mark_read, mark_told
from .writing import create_notice, delete_draft, remove_photo, update_notice

__all__ = [
    "PUBLISHED_KIND",
    "URGENT_KIND",
    "create_notice",
    "delete_draft",
    "delete_webhook",
    "end_due",
    "end_notice",
    "event_key",
    "mark_read",
    "mark_told",
    "publish_notice",
    "release_due",
    "remove_photo",
    "save_webhook",
    "unschedule_notice",
    "update_notice",
    "withdraw_notice",
]
