"""The life of a convention's version: (status, action) -> status.

draft --open_discussion--> in_discussion --adopt--> adopted --supersede--> superseded
draft / in_discussion --reject--> rejected; draft / in_discussion --adopt--> adopted

Adoption comes from a meeting's resolution or an owners' ballot (their apps call
``services.adopt_version``); superseding follows from adopting the next version. Services call
``require`` on the locked row; pages show ``allowed_actions``.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition
from shuren.core.scoping import can
from shuren.core.workflow import StateMachine

from .models import ConventionVersion, VersionStatus
from .selectors import may_comment

V = VersionStatus

TRANSITIONS: dict[tuple[str, str], str] = {
    (V.DRAFT, "edit"): V.DRAFT,
    (V.DRAFT, "open_discussion"): V.IN_DISCUSSION,
    (V.IN_DISCUSSION, "comment"): V.IN_DISCUSSION,
    (V.DRAFT, "reject"): V.REJECTED,
    (V.IN_DISCUSSION, "reject"): V.REJECTED,
    (V.DRAFT, "adopt"): V.ADOPTED,
    (V.IN_DISCUSSION, "adopt"): V.ADOPTED,
    (V.ADOPTED, "supersede"): V.SUPERSEDED,
}

# A version not yet decided: only one per convention at a time.
UNDECIDED = frozenset({V.DRAFT, V.IN_DISCUSSION})

ACTION_LABELS = {
    "edit": gettext_lazy("Edit"),
    "open_discussion": gettext_lazy("Open for discussion"),
    "comment": gettext_lazy("Comment"),
    "reject": gettext_lazy("Not adopted"),
    "adopt": gettext_lazy("Adopted"),
    "supersede": gettext_lazy("Superseded"),
}

MACHINE = StateMachine(
    TRANSITIONS,
    labels=ACTION_LABELS,
    refusals={
        "edit": lambda: _("Only a draft can be edited; start a new version instead."),
        "open_discussion": lambda: _("Only a draft can be opened for discussion."),
        "comment": lambda: _("Comments are taken while a version is in discussion."),
        "reject": lambda: _("This version has been decided already."),
    },
)

# Steps another app or the adoption itself takes: never offered on the convention's pages.
SYSTEM_ACTIONS = frozenset({"adopt", "supersede"})


def allowed_actions(version: ConventionVersion, *, actor: User, now: dt.datetime | None = None) -> list[str]:
    """What ``actor`` may do with ``version`` now: staff managing the convention draft, open and
    reject; residents of its place (and those staff) comment while it is in discussion."""
    allowed = []
    for action in MACHINE.actions_from(version.status):
        if action in SYSTEM_ACTIONS:
            continue
        if action == "comment":
            if may_comment(actor, version):
                allowed.append(action)
        elif can(actor, "conventions.manage", version.convention):
            allowed.append(action)
    return allowed


def require(version: ConventionVersion, action: str, *, actor: User, now: dt.datetime | None = None) -> str:
    """The version's status after ``action``; InvalidTransition (409) otherwise. Who may act is the
    service's check (403 or 404 by scope, before the state)."""
    if action == "adopt" and not MACHINE.allows(version.status, action):
        raise InvalidTransition(
            _("Version %(number)d has been decided already (%(status)s).")
            % {"number": version.number, "status": version.get_status_display()}
        )
    return MACHINE.require(version, action)
