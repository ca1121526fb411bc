"""The public board (件件有回音): resolved appeals without personal data.

An appeal appears only once the desk confirmed its redacted summary and reply (publication
PUBLISHED), or without any text where its community publishes only category, place and dates
(MINIMAL). What is shown is the confirmed text, redacted once more by ``core.redaction``."""

from __future__ import annotations

from django.db.models import QuerySet

from shuren.core.redaction import redact_text

from .models import Appeal, Publication, Status

ON_THE_BOARD = (Publication.PUBLISHED, Publication.MINIMAL)


def published_appeals() -> QuerySet[Appeal]:
    """What the public board shows: published, resolved or closed appeals, newest first."""
    return (
        Appeal.objects.filter(
            is_published=True,
            publication__in=ON_THE_BOARD,
            status__in=(Status.RESOLVED, Status.CLOSED),
            category__is_published=True,
        )
        .select_related("category", "estate", "area")
        .only(
            "pk",
            "reference",
            "public_summary",
            "public_reply",
            "publication",
            "is_published",
            "submitted_at",
            "resolved_at",
            "status",
            "satisfaction",
            "category__name",
            "category__name_en",
            "category__code",
            "estate__name",
            "area__name",
        )
        .order_by("-resolved_at", "-pk")
    )


def public_texts(appeal: Appeal) -> tuple[str, str]:
    """The summary and the reply the public may read: the text the desk confirmed, redacted again
    (a second guard), and nothing at all unless the desk confirmed it."""
    if not (appeal.is_published and appeal.publication == Publication.PUBLISHED):
        return "", ""
    return redact_text(appeal.public_summary).strip(), redact_text(appeal.public_reply).strip()
