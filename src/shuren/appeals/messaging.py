"""The kinds of message the appeals send through the outbox (``shuren.notifications``), registered
when Django starts (``apps.AppealsConfig.ready``).

Residents hear of their own appeals (``progress``, ``rejected``, ``resolved`` with the request to
rate it, ``merged``); staff hear of the appeals they must act on (``assigned`` to the handlers,
``returned``, ``escalated`` and ``reopened`` to the desk, ``supervised`` to the handlers) and of their
deadlines (``due_soon``, ``overdue``). Each kind's SMS goes through one provider template whose
parameters are named in ``SMS_PARAMS`` (docs/notifications.md, "Messages each module sends").
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.notifications.kinds import Kind

KINDS = (
    Kind("appeals.progress", _("An appeal of mine moved on"), channels=("inapp", "email"), optional=("sms",)),
    Kind("appeals.rejected", _("An appeal of mine was not accepted"), channels=("inapp", "email"), optional=("sms",)),
    Kind(
        "appeals.resolved",
        _("An appeal of mine was resolved and awaits my rating"),
        channels=("inapp", "email", "sms"),
    ),
    Kind("appeals.merged", _("An appeal of mine is handled with another"), channels=("inapp", "email")),
    Kind(
        "appeals.assigned",
        _("An appeal was dispatched to my organisation"),
        channels=("inapp", "email"),
        audience=("appeals.handle",),
    ),
    Kind(
        "appeals.returned",
        _("A handler returned an appeal to the desk"),
        channels=("inapp", "email"),
        audience=("appeals.dispatch",),
    ),
    Kind(
        "appeals.escalated",
        _("An appeal was escalated to my level"),
        channels=("inapp", "email"),
        audience=("appeals.dispatch",),
    ),
    Kind(
        "appeals.reopened",
        _("A reporter reopened an appeal"),
        channels=("inapp", "email"),
        audience=("appeals.dispatch",),
    ),
    Kind(
        "appeals.supervised",
        _("An appeal of my organisation is under supervision"),
        channels=("inapp", "email"),
        audience=("appeals.handle",),
    ),
    Kind(
        "appeals.due_soon",
        _("An appeal's deadline is near"),
        channels=("inapp",),
        optional=("email", "sms"),
        audience=("appeals.handle", "appeals.dispatch"),
    ),
    Kind(
        "appeals.overdue",
        _("An appeal is overdue"),
        channels=("inapp", "email"),
        optional=("sms",),
        audience=("appeals.handle", "appeals.dispatch"),
    ),
)

# kind -> the parameters of its SMS template, in the order of a Tencent template's {1}, {2}…
SMS_PARAMS: dict[str, tuple[str, ...]] = {
    "appeals.progress": ("ref", "status"),
    "appeals.rejected": ("ref",),
    "appeals.resolved": ("ref",),
    "appeals.merged": ("ref", "into"),
    "appeals.assigned": ("ref", "due"),
    "appeals.returned": ("ref",),
    "appeals.escalated": ("ref",),
    "appeals.reopened": ("ref",),
    "appeals.supervised": ("ref",),
    "appeals.due_soon": ("ref", "due"),
    "appeals.overdue": ("ref", "due"),
}
