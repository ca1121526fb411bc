"""What a user may see of an appeal's reporter — one rule for the console, the phone pages and the API.

- Nobody sees who reported an anonymous appeal.
- The desk (staff who may view the appeal) sees the name and phone masked (王**, 138****8000).
- A handler sees the reporter only when the dispatcher shared the contact, and then in full, so
  they can call; each such view is audited.
- Everyone else sees nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shuren.core.masking import mask_address, mask_name, mask_phone
from shuren.core.scoping import can

from .models import Appeal


@dataclass(frozen=True)
class ReporterView:
    anonymous: bool
    name: str = ""
    phone: str = ""
    phone_in_full: bool = False


def _contact(appeal: Appeal) -> tuple[str, str]:
    name, phone = appeal.reporter_name, appeal.reporter_phone
    if appeal.reporter_person is not None:
        name = name or appeal.reporter_person.name
        phone = phone or appeal.reporter_person.phone
    if appeal.reporter is not None:
        name = name or appeal.reporter.full_name
        phone = phone or appeal.reporter.phone
    return name, phone


def visible_reporter(user: Any, appeal: Appeal, *, as_handler: bool) -> ReporterView | None:
    """The reporter as ``user`` may see them (``as_handler``: the user acts for the handling
    organisation), or None when they may not see the reporter at all."""
    if appeal.is_anonymous:
        return ReporterView(anonymous=True)
    if can(user, "appeals.view", appeal):
        name, phone = _contact(appeal)
        return ReporterView(
            anonymous=False, name=mask_name(name) if name else "", phone=mask_phone(phone) if phone else ""
        )
    if as_handler and appeal.contact_shared:
        from shuren.audit.services import record_event

        name, phone = _contact(appeal)
        record_event("appeals.contact_view", actor=user, obj=appeal)
        return ReporterView(anonymous=False, name=name, phone=phone, phone_in_full=bool(phone))
    return None


def place_label(appeal: Appeal, *, room: bool) -> str:
    """Where the appeal is, in words: with the room and the full address only when ``room`` (the
    reader may see the dwelling); otherwise the door number hidden and the address masked."""
    dwelling = appeal.dwelling if room and appeal.dwelling_id is not None else None
    return place_words(
        estate=appeal.estate.name if appeal.estate is not None else "",
        building=appeal.building.number if appeal.building is not None else "",
        # The room is read only when it is shown: a list of 50 need not load 50 rooms.
        room=f"{dwelling.unit.number} {dwelling.room}" if dwelling is not None else "",
        has_dwelling=appeal.dwelling_id is not None,
        address=appeal.address if room else mask_address(appeal.address),
        area=lambda: appeal.area.name,
    )


def place_words(
    *, estate: str, building: str, room: str, has_dwelling: bool, address: str, area: Callable[[], str]
) -> str:
    """``place_label`` from its parts (a list row read as values gives them): the room, or "****"
    where there is one the reader may not see; the area's name only when nothing else is known."""
    parts = [part for part in (estate, building) if part]
    if has_dwelling:
        parts.append(room or "****")
    if address:
        parts.append(address)
    return " ".join(parts) or area()
