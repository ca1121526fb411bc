"""Publication of resolved appeals (the public board, Open311): nothing is published without a
person at the desk having compared the redacted text with the original and confirmed it, unless
the community publishes only category, place and dates (IntakePolicy.publish_text off).

Resolving puts an appeal into the desk's publication review (待公开审核); the desk confirms
(the summary and the reply it confirmed are redacted once more and stored) or declines. The
public pages show only the stored, confirmed text, redacted again when rendered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.concurrency import update_versioned
from shuren.core.errors import NotPermitted
from shuren.core.redaction import LABELS, Redaction, redact

from .. import workflow
from ..models import FINISHED_STATUSES, Appeal, EventKind, IntakePolicy, Publication
from .base import _event, _now

MAX_SUMMARY = 1000
MAX_REPLY = 4000


def reporter_names(appeal: Appeal) -> list[str]:
    """The names the reporter may have written into the appeal: the contact given, their resident
    record's and their account's."""
    names = [appeal.reporter_name]
    if appeal.reporter_person is not None:
        names.append(appeal.reporter_person.name)
    if appeal.reporter is not None:
        names.append(appeal.reporter.full_name)
    return [name for name in names if name]


def names_to_hide(appeal: Appeal) -> list[str]:
    """Every name public text about ``appeal`` must not carry: the reporter's, and those of the
    people registered in the appeal's community."""
    from shuren.people.selectors import names_in_community

    return reporter_names(appeal) + names_in_community(workflow.community_of(appeal))


def public_summary_of(text: str, *, names: Iterable[str] = ()) -> str:
    """The description without personal data, as first suggested for the public summary."""
    return redact(text, names=names).text[:MAX_SUMMARY]


def publishes_text(appeal: Appeal) -> bool:
    """Whether the appeal's community publishes reviewed text (the default) rather than only
    category, place and dates."""
    policy = IntakePolicy.objects.filter(community=workflow.community_of(appeal)).only("publish_text").first()
    return policy is None or policy.publish_text


def on_resolution(appeal: Appeal) -> dict[str, Any]:
    """The publication fields when ``appeal`` is resolved: never published text at once; awaiting
    review, or published without text where the community chose so."""
    if not appeal.category.is_published:
        return {"is_published": False, "publication": Publication.NONE, "published_at": None, "published_by": None}
    if not publishes_text(appeal):
        return {"is_published": True, "publication": Publication.MINIMAL, "published_at": None, "published_by": None}
    return {"is_published": False, "publication": Publication.PENDING, "published_at": None, "published_by": None}


WITHDRAWN = {"is_published": False, "publication": Publication.NONE, "published_at": None, "published_by": None}


@dataclass(frozen=True)
class Review:
    """What the desk compares: each original with the redacted text proposed for the public."""

    summary: Redaction  # the description, redacted
    reply: Redaction  # the handler's reply, redacted
    proposed_summary: str  # the summary stored, or the redacted description
    proposed_reply: str  # the reply stored, or the redacted reply

    @property
    def parts(self) -> list[dict[str, Any]]:
        """The two comparisons as the review page shows them: the original in pieces (each hidden
        piece with the name of its kind) beside the redacted text."""
        return [
            {
                "key": key,
                "title": title,
                "segments": [(text, str(LABELS[kind]) if kind else "") for text, kind in redaction.segments()],
                "redacted": redaction.text,
            }
            for key, title, redaction in (
                ("summary", _("Description"), self.summary),
                ("reply", _("Reply to the reporter"), self.reply),
            )
        ]


def review_of(appeal: Appeal) -> Review:
    names = names_to_hide(appeal)
    summary = redact(appeal.description, names=names)
    reply = redact(appeal.resolution, names=names)
    return Review(
        summary=summary,
        reply=reply,
        proposed_summary=redact(appeal.public_summary, names=names).text if appeal.public_summary else summary.text,
        proposed_reply=redact(appeal.public_reply, names=names).text if appeal.public_reply else reply.text,
    )


def _check(actor: User, appeal: Appeal) -> None:
    if not workflow.is_dispatcher(actor, appeal):
        raise NotPermitted()


def set_publication(
    *, actor: User, appeal: Appeal, version: int, published: bool, summary: str, reply: str | None = None
) -> Appeal:
    """The desk's decision at the publication review: ``published`` confirms ``summary`` and
    ``reply`` (the reply proposed by ``review_of`` when None) for the public, after redacting them
    once more; otherwise the appeal is declined and leaves the public board."""
    _check(actor, appeal)
    if published and appeal.status not in FINISHED_STATUSES:
        raise ValidationError({"is_published": [_("Only resolved appeals can be published.")]})
    if published and not appeal.category.is_published:
        raise ValidationError({"is_published": [_("Appeals of this category are never published.")]})
    names = names_to_hide(appeal)
    summary_text = redact((summary or "").strip(), names=names)
    if reply is None:
        reply = review_of(appeal).proposed_reply
    reply_text = redact(reply.strip(), names=names)
    if published and not summary_text.text:
        raise ValidationError({"public_summary": [_("Write the summary the public will read.")]})
    if published and not reply_text.text and appeal.resolution.strip():
        raise ValidationError({"public_reply": [_("Write the reply the public will read.")]})
    fields: dict[str, Any] = {
        "is_published": published,
        "publication": Publication.PUBLISHED if published else Publication.DECLINED,
        # Kept redacted even when declined: the desk may publish later without starting again.
        "public_summary": summary_text.text[:MAX_SUMMARY],
        "public_reply": reply_text.text[:MAX_REPLY],
    }
    # The kinds hidden in what was confirmed now, never the values.
    detail: dict[str, Any] = {"published": published, "hidden_now": summary_text.kinds() | reply_text.kinds()}
    with transaction.atomic():
        update_versioned(Appeal, pk=appeal.pk, version=version, published_at=_now(), published_by=actor, **fields)
        _event(appeal, EventKind.PUBLISH, actor=actor, is_public=False, published=published)
        record_event("appeals.publish", actor=actor, obj=appeal, detail=detail)
    appeal.refresh_from_db()
    return appeal


def publish_as_proposed(*, actor: User, appeal: Appeal) -> Appeal:
    """Publish the summary and reply the review proposes, as they stand: what the desk does after
    comparing them with the originals and finding nothing to change."""
    appeal.refresh_from_db()
    review = review_of(appeal)
    return set_publication(
        actor=actor,
        appeal=appeal,
        version=appeal.version,
        published=True,
        summary=review.proposed_summary,
        reply=review.proposed_reply,
    )
