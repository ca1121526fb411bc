"""Credits from other modules' events (see the signals they document).

Both signals are sent after the sending transaction commits. A failure here must not undo or
fail what the volunteer or the verifier did: it is logged, and ``shuren points sweep`` credits the
event later (the source key makes the replay harmless).
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from shuren.governance.signals import item_verified
from shuren.volunteering.signals import service_confirmed

logger = logging.getLogger(__name__)


@receiver(service_confirmed, dispatch_uid="points.service_confirmed")
def on_service_confirmed(sender: Any, record: Any, **kwargs: Any) -> None:
    from .services import credit_service_record

    try:
        credit_service_record(record)
    except Exception:  # replayed by the sweep
        logger.exception("points: crediting service record %s failed; the sweep will retry", record.pk)


@receiver(item_verified, dispatch_uid="points.item_verified")
def on_item_verified(sender: Any, item: Any, claim: Any, points: int | None = None, **kwargs: Any) -> None:
    from .services import credit_verified_item

    try:
        credit_verified_item(item, claim, points)
    except Exception:  # replayed by the sweep
        logger.exception("points: crediting verified item %s failed; the sweep will retry", item.pk)
