"""Residents of the place comment on a version in discussion; staff hide abusive comments."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import NotPermitted, OutOfScope
from shuren.core.scoping import can
from shuren.core.validators import required_text

from .. import workflow
from ..models import ConventionComment, ConventionVersion, VersionStatus
from ..selectors import may_comment
from .base import current_time, require_manage

V = VersionStatus
UNDECIDED = workflow.UNDECIDED


def add_comment(*, actor: User, version: ConventionVersion, text: str) -> ConventionComment:
    convention = version.convention
    workflow.require(version, "comment", actor=actor)
    if not may_comment(actor, version):
        if can(actor, "conventions.view", convention):
            raise NotPermitted(_("Only residents of %(place)s can comment.") % {"place": convention.place_label})
        raise OutOfScope()
    text = required_text(text, "text", _("Write your comment."), limit=2000)
    with transaction.atomic():
        comment = ConventionComment.objects.create(version=version, author=actor, text=text)
        record_event("conventions.comment", actor=actor, obj=convention, detail={"comment": comment.pk})
    return comment


def hide_comment(*, actor: User, comment: ConventionComment, reason: str) -> ConventionComment:
    """Staff hide an abusive or off-topic comment; residents then see that it was hidden and why."""
    require_manage(actor, comment.version.convention)
    reason = required_text(reason, "hidden_reason", _("Say why the comment is hidden."), limit=200)
    with transaction.atomic():
        comment.hidden_reason = reason
        comment.hidden_by = actor
        comment.hidden_at = current_time()
        comment.save(update_fields=["hidden_reason", "hidden_by", "hidden_at"])
        record_event(
            "conventions.hide_comment",
            actor=actor,
            obj=comment.version.convention,
            reason=reason,
            detail={"comment": comment.pk},
        )
    return comment
