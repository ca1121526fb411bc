"""Every write to an appeal. Each action is one transaction: check the transition and the actor,
change the row only from the version the actor read (two dispatchers cannot both dispatch), write
the timeline event and the audit record, and queue the notifications.

The package is split by who acts: ``intake`` (recording), ``desk`` (the dispatching desk),
``handling`` (the handling organisation), ``reporter`` (feedback), ``deadlines`` (reminders),
``publication`` (the review before anything is published), ``config`` (categories, rules,
handler accounts, intake policies, working days), ``photos`` (storing checked photos).
"""

from .base import STAFF_CHANNELS, AppealLocation, mark_notifications_read, notify
from .config import (
    delete_workday_override,
    link_handler,
    save_category,
    save_intake_policy,
    save_rule,
    save_workday_override,
    toggle_handler,
    toggle_rule,
)
from .deadlines import ask_unrated, close_unrated, remind_deadline
from .desk import (
    accept_appeal,
    add_note,
    close_appeal,
    dispatch_appeal,
    escalate_appeal,
    merge_appeal,
    organization_may_handle,
    reject_appeal,
    supervise_appeal,
)
from .handling import record_progress, resolve_appeal, return_appeal, take_up_appeal
from .intake import add_photos, reference_for, submit_appeal
from .publication import (
    names_to_hide,
    public_summary_of,
    publish_as_proposed,
    publishes_text,
    reporter_names,
    review_of,
    set_publication,
)
from .reporter import give_feedback, reopen_appeal

__all__ = [
    "ask_unrated",
    "toggle_rule",
    "toggle_handler",
    "save_workday_override",
    "save_rule",
    "save_intake_policy",
    "save_category",
    "link_handler",
    "delete_workday_override",
    "STAFF_CHANNELS",
    "AppealLocation",
    "accept_appeal",
    "add_note",
    "add_photos",
    "close_appeal",
    "close_unrated",
    "dispatch_appeal",
    "escalate_appeal",
    "give_feedback",
    "mark_notifications_read",
    "merge_appeal",
    "notify",
    "organization_may_handle",
    "names_to_hide",
    "public_summary_of",
    "publishes_text",
    "record_progress",
    "reference_for",
    "reject_appeal",
    "remind_deadline",
    "reopen_appeal",
    "reporter_names",
    "resolve_appeal",
    "return_appeal",
    "review_of",
    "publish_as_proposed",
    "set_publication",
    "submit_appeal",
    "supervise_appeal",
    "take_up_appeal",
]
