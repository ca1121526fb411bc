"""The public board (件件有回音): resolved appeals without personal data.

An appeal appears only once the desk confirmed its redacted summary and reply (publication
PUBLISHED), or without any text where its community publishes only category, place and dates
(MINIMAL). What is shown is the confirmed text, redacted once more by ``core.redaction``."""

from __future__ import annotations

from shuren.core.redaction import redact_text

from .models import Appeal, Publication

ON_THE_BOARD = (Publication.PUBLISHED, Publication.MINIMAL)  # what ``selectors.published_appeals`` lists


def public_texts(appeal: Appeal) -> tuple[str, str]:
    """The summary and the reply the public may read: the text the desk confirmed, redacted again
    (a second guard), and nothing at all unless the desk confirmed it."""
    if not (appeal.is_published and appeal.publication == Publication.PUBLISHED):
        return "", ""
    return redact_text(appeal.public_summary).strip(), redact_text(appeal.public_reply).strip()
