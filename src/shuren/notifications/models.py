"""The outbox (``Message``: one row per recipient and channel of an event), each user's choices
(``Preference`` per kind and channel, ``DeliverySchedule`` for quiet hours and the digest), a
resident's linked WeChat (``WeChatLink``) and each community's monthly SMS budget (``SmsBudget``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.core.fields import EncryptedTextField


class Channel(models.TextChoices):
    INAPP = "inapp", _("In the app")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom group")
    WECHAT = "wechat", _("WeChat")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# The worker claims rows in these states whose next_attempt_at has come: "sending" ones are leased
# to a worker until next_attempt_at, after which a crashed worker's message is claimed again.
DUE_STATUSES = (Status.PENDING, Status.SENDING)


class Message(models.Model):
    """One message to one recipient (a user, or a group address such as a building's WeCom group)
    through one channel, created in the transaction of the event that caused it."""

    kind = models.CharField(_("kind"), max_length=60)
    event_key = models.CharField(pgettext_lazy("notification", "event"), max_length=120)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("recipient"),
    )
    # A group channel's address (an opaque key the channel resolves, never a secret URL); "" for a user.
    address = models.CharField(_("group address"), max_length=120, blank=True, default="")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=300, blank=True, default="")
    params = models.JSONField(default=dict, blank=True)  # a provider template's parameters (SMS)
    urgent = models.BooleanField(_("urgent"), default=False)
    digest = models.BooleanField(default=False)  # waits for the recipient's daily e-mail digest
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True, default="")
    provider_id = models.CharField(_("provider's message id"), max_length=100, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # When an administrator sent a failed message again: its maximum age counts from then.
    retried_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # The community the recipient lives or works in (its SMS budget pays for the message); set by
    # notify from an explicit ``community=`` or the recipient's role grant.
    community = models.ForeignKey(
        "places.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message")
        constraints = [
            # At most once per (event, recipient, channel), held by the database.
            models.UniqueConstraint(
                fields=["event_key", "recipient", "channel"],
                condition=Q(recipient__isnull=False),
                name="notifications_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["event_key", "address", "channel"],
                condition=Q(recipient__isnull=True),
                name="notifications_once_per_group",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(address=""), name="notifications_has_recipient"
            ),
        ]
        indexes = [
            # The worker's "due" query: pending or leased rows whose time has come.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="notifications_due",
            ),
            # A user's unread in-app count and inbox.
            models.Index(
                fields=["recipient", "channel", "read_at"],
                name="notifications_inbox",
            ),
            # Rate limits and the SMS budget count what was sent lately per recipient or community.
            models.Index(
                fields=["channel", "recipient", "sent_at"],
                condition=Q(status="sent"),
                name="notifications_sent_to",
            ),
            models.Index(
                fields=["channel", "community", "sent_at"],
                condition=Q(status="sent"),
                name="notifications_sent_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id or self.address} ({self.channel})"


class Preference(models.Model):
    """A user's choice for one kind of message on one channel; no row means the kind's default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="notifications_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.channel}: {'on' if self.enabled else 'off'}"


DEFAULT_QUIET_START = dt.time(21, 0)
DEFAULT_QUIET_END = dt.time(8, 0)


class DeliverySchedule(models.Model):
    """A user's quiet hours (no SMS then unless urgent) and daily e-mail digest; defaults when absent."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quiet_start = models.TimeField(_("quiet hours start"), default=DEFAULT_QUIET_START)
    quiet_end = models.TimeField(_("quiet hours end"), default=DEFAULT_QUIET_END)
    email_digest = models.BooleanField(_("one e-mail a day"), default=False)

    def __str__(self) -> str:
        return f"{self.user_id}: quiet {self.quiet_start}–{self.quiet_end}"


WECHAT_OPENID_PURPOSE = "notifications.wechat_openid"


class WeChatLink(models.Model):
    """A user's WeChat, linked from the mini program (its login gives the openid): subscribe messages
    reach them there. The openid is personal data: stored encrypted, found by its blind index."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wechat_link", verbose_name=_("user")
    )
    openid = EncryptedTextField(_("openid"))
    openid_index = models.CharField(max_length=64, unique=True, editable=False)
    linked_at = models.DateTimeField(pgettext_lazy("time", "linked"), default=timezone.now)

    class Meta:
        verbose_name = _("linked WeChat")

    def __str__(self) -> str:
        return f"{self.user_id}: WeChat since {self.linked_at:%Y-%m-%d}"

    def save(self, *args: object, **kwargs: object) -> None:
        from shuren.core import crypto

        self.openid_index = crypto.blind_index(self.openid, purpose=WECHAT_OPENID_PURPOSE)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class SmsBudget(models.Model):
    """How many SMS a community may send in a month; its spend is the SMS sent that month to
    recipients in the community. No row: SHUREN_SMS_MONTHLY_BUDGET (None: no limit)."""

    community = models.ForeignKey(
        "places.Area",
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "community"},
        verbose_name=_("community"),
    )
    month = models.DateField(_("month"))  # its first day
    messages = models.PositiveIntegerField(_("budget (messages)"))

    class Meta:
        verbose_name = _("SMS budget")
        constraints = [
            models.UniqueConstraint(fields=["community", "month"], name="notifications_budget_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="notifications_budget_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.month:%Y-%m}: {self.messages}"
