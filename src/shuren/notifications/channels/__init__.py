"""The channels, each chosen by settings like Django's EMAIL_BACKEND:
``SHUREN_NOTIFICATION_CHANNELS = {"sms": "shuren.notifications.channels.sms.SmsChannel", ...}``."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .base import ChannelBackend, DeliveryError

DEFAULT_BACKENDS = {
    "inapp": "shuren.notifications.channels.inapp.InAppChannel",
    "email": "shuren.notifications.channels.email.EmailChannel",
    "sms": "shuren.notifications.channels.sms.SmsChannel",
    "wecom": "shuren.notifications.channels.wecom.WeComChannel",
    "wechat": "shuren.notifications.channels.wechat.WeChatChannel",
}

__all__ = ["ChannelBackend", "DeliveryError", "get_channel"]


def get_channel(name: str) -> ChannelBackend:
    """The configured backend of channel ``name``."""
    configured = {**DEFAULT_BACKENDS, **getattr(settings, "SHUREN_NOTIFICATION_CHANNELS", {})}
    if name not in configured:
        raise DeliveryError(f"no backend for channel {name!r}", retryable=False)
    backend = import_string(configured[name])
    instance = backend()
    if not isinstance(instance, ChannelBackend):
        raise TypeError(f"{configured[name]} is not a ChannelBackend")
    return instance
