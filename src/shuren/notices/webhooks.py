"""The WeCom channel's resolver (SHUREN_WECOM_WEBHOOK_RESOLVER): a group message's opaque address
("building:12", "grid:5") to the robot's webhook stored for that place, or "" when there is none
(the channel then fails the message for good, naming the address, never the webhook)."""

from __future__ import annotations

from .models import GroupWebhook


def resolve(address: str) -> str:
    kind, _sep, pk = (address or "").partition(":")
    if not pk.isdigit() or kind not in ("building", "grid"):
        return ""
    hook = GroupWebhook.objects.filter(active=True, **{f"{kind}_id": int(pk)}).first()
    return hook.url if hook is not None else ""
