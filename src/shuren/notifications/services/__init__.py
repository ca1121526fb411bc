"""Every write of the outbox: creating messages (``notify``), delivering them (``deliver_due``), the
inbox (read marks) and the users' choices."""

from .delivery import cancel, deliver_due, purge, retry_failed
from .inbox import mark_all_read, mark_read
from .outbox import GroupAddress, notify
from .preferences import save_preferences, set_sms_budget
from .wechat_link import link_wechat, unlink_wechat

__all__ = [
    "GroupAddress",
    "cancel",
    "deliver_due",
    "mark_all_read",
    "mark_read",
    "notify",
    "purge",
    "retry_failed",
    "save_preferences",
    "set_sms_budget",
    "unlink_wechat",
    "link_wechat",
]
