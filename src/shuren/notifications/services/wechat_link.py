"""Linking a user's WeChat from the mini program's login, and unlinking it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from shuren.core import crypto

from .. import wechat
from ..models import WECHAT_OPENID_PURPOSE, WeChatLink

if TYPE_CHECKING:
    from shuren.accounts.models import User


def link_wechat(*, actor: User, js_code: str) -> WeChatLink:
    """Link the actor's account to the WeChat whose mini program obtained ``js_code`` (``wx.login``):
    WeChat's ``code2session`` gives its openid. A WeChat linked to another account moves to this one
    (only its owner can obtain a code for it). Raises ``wechat.WechatError`` when WeChat refuses the
    code or cannot be reached. Audited, with the openid masked."""
    from shuren.core.auditing import record_event

    openid = wechat.code_to_openid(js_code)
    index = crypto.blind_index(openid, purpose=WECHAT_OPENID_PURPOSE)
    with transaction.atomic():
        moved = WeChatLink.objects.filter(openid_index=index).exclude(user=actor).delete()[0] > 0
        link = WeChatLink.objects.select_for_update().filter(user=actor).first() or WeChatLink(user=actor)
        link.openid, link.linked_at = openid, timezone.now()
        link.save()
        record_event(
            "notifications.wechat_linked",
            actor=actor,
            obj=link,
            detail={"openid": wechat.mask_openid(openid), "moved_from_another_account": moved},
        )
    return link


def unlink_wechat(*, actor: User) -> bool:
    """Unlink the actor's WeChat: no subscribe message reaches them any more. Audited."""
    from shuren.core.auditing import record_event

    with transaction.atomic():
        link = WeChatLink.objects.select_for_update().filter(user=actor).first()
        if link is None:
            return False
        record_event("notifications.wechat_unlinked", actor=actor, obj=link, detail={})
        link.delete()
    return True
