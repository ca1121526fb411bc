"""Writes of the Open311 adapter: registering clients and their keys, and filing a service request
as an appeal through ``appeals.services.submit_appeal``."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.accounts.roles import Role
from shuren.accounts.services import disable_user, grant_role
from shuren.appeals.models import Appeal, Category, Channel
from shuren.appeals.services import AppealLocation, submit_appeal
from shuren.audit.services import record_event
from shuren.core import crypto
from shuren.core.errors import NotPermitted, OutOfScope
from shuren.core.scoping import path_covers
from shuren.places.models import Area, AreaKind, Building

from ..errors import Open311Error
from ..models import Open311Client, Open311Request

# How often a client's use is written back (last_used_at, and the acting account's last_login so
# that `shuren disable-dormant` leaves the account of a client in use alone).
TOUCH_INTERVAL = dt.timedelta(hours=1)
DEVICE_PURPOSE = "open311.device"
# The appeal's field -> the Open311 parameter the client sent, for error descriptions.
PARAMETER_OF = {
    "description": "description",
    "category": "service_code",
    "reporter_phone": "phone",
    "latitude": "lat",
    "longitude": "long",
    "area": "address_id",
    "estate": "address_id",
    "is_anonymous": "first_name/last_name/phone/email",
}
_CJK = re.compile(r"[\u3400-\u9fff]")


def digest_of(api_key: str) -> str:
    """The stored form of a key. The key is 256 random bits, so a plain SHA-256 cannot be reversed
    by guessing, and it lets the key be found by an indexed lookup."""
    return hashlib.sha256(api_key.encode()).hexdigest()


def _new_key() -> str:
    return secrets.token_urlsafe(32)


def create_client(*, name: str, area: Area, actor: User | None = None) -> tuple[Open311Client, str]:
    """Register a client filing into ``area`` and return it with its key (shown once, never stored).

    The acting account has no usable password (nobody signs in as it) and holds only the resident
    role on ``area``, which allows ``appeals.report`` there and nothing else that matters here.
    ``actor=None`` is the installer (the command line); a signed-in actor must manage roles.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the client a name.")]})
    if Open311Client.objects.filter(name=name).exists():
        raise ValidationError({"name": [_("A client with this name exists already.")]})
    key = _new_key()
    with transaction.atomic():
        user = User(username=f"open311-{secrets.token_hex(5)}", full_name=f"Open311 · {name}"[:50])
        user.set_unusable_password()
        user.save()
        grant_role(actor=actor, user=user, role=Role.RESIDENT, area=area)
        client = Open311Client.objects.create(
            name=name, area=area, service_user=user, key_digest=digest_of(key), key_prefix=key[:8], created_by=actor
        )
        record_event("open311.client_create", actor=actor, obj=client, detail={"name": name, "area": area.path})
    return client, key


def rotate_key(*, client: Open311Client, actor: User | None = None) -> str:
    """Replace the client's key; the old one stops working at once. Returns the new key."""
    key = _new_key()
    with transaction.atomic():
        Open311Client.objects.filter(pk=client.pk).update(key_digest=digest_of(key), key_prefix=key[:8])
        record_event("open311.client_rotate", actor=actor, obj=client)
    client.refresh_from_db()
    return key


def revoke_client(*, client: Open311Client, actor: User | None = None) -> None:
    """Stop the client for good: its key is refused and its acting account disabled."""
    with transaction.atomic():
        Open311Client.objects.filter(pk=client.pk).update(is_active=False)
        record_event("open311.client_revoke", actor=actor, obj=client)
        disable_user(actor=None, user=client.service_user, reason=f"Open311 client {client.name} revoked")
    client.refresh_from_db()


def authenticate_client(api_key: str) -> Open311Client | None:
    """The active client holding ``api_key``, or None. Refused keys are audited (never the key)."""
    api_key = (api_key or "").strip()
    client = None
    if api_key and len(api_key) <= 200:
        client = (
            Open311Client.objects.select_related("service_user", "area")
            .filter(key_digest=digest_of(api_key), is_active=True, service_user__is_active=True)
            .first()
        )
    if client is None:
        record_event("open311.denied", outcome="denied", reason="invalid api_key" if api_key else "no api_key")
        return None
    now = timezone.now()
    if client.last_used_at is None or client.last_used_at < now - TOUCH_INTERVAL:
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=now)
        User.objects.filter(pk=client.service_user_id).update(last_login=now)
    return client


@dataclass(frozen=True)
class ServiceRequest:
    """A POST requests.[format] after its parameters were parsed (see ``views``)."""

    category: Category
    description: str
    building: Building | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    address_string: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    account_id: str = ""
    device_id: str = ""
    media_url: str = ""


def full_name(first_name: str, last_name: str) -> str:
    """Chinese names read family name first without a space (林 + 小梅 = 林小梅); others "first last"."""
    first, last = first_name.strip(), last_name.strip()
    if _CJK.search(first + last):
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part)


def location_for(client: Open311Client, building: Building | None) -> AppealLocation:
    """Where the appeal is filed: the building named by ``address_id`` (which must lie in the
    client's area), else the client's own community or grid."""
    if building is not None:
        if not path_covers(client.area.path, building.scope):
            raise Open311Error(400, _("address_id: this building lies outside the area of this api_key."))
        return AppealLocation(building=building)
    if client.area.kind not in (AreaKind.COMMUNITY, AreaKind.GRID):
        raise Open311Error(
            400, _("address_id is required: this api_key covers several communities, so name the building.")
        )
    return AppealLocation(area=client.area)


def file_service_request(*, client: Open311Client, request: ServiceRequest) -> Appeal:
    """File ``request`` as an appeal on the Open311 channel, as the client's acting account.

    The reporter's name and phone become the appeal's (encrypted) contact; the e-mail, the
    client's account id, a keyed hash of the device id and the media URL are kept beside it and
    never published. Without any contact the appeal is anonymous, which only communities that
    allow anonymous appeals accept.
    """
    name = full_name(request.first_name, request.last_name)
    email = request.email.strip()
    anonymous = not (name or request.phone.strip() or email)
    try:
        location = location_for(client, request.building)
        with transaction.atomic():
            appeal = submit_appeal(
                actor=client.service_user,
                category=request.category,
                description=request.description,
                location=location,
                channel=Channel.OPEN311,
                address=request.address_string,
                latitude=request.latitude,
                longitude=request.longitude,
                is_anonymous=anonymous,
                reporter_name=name or email,
                reporter_phone=request.phone.strip(),
            )
            Open311Request.objects.create(
                appeal=appeal,
                client=client,
                email=email,
                account_id=request.account_id.strip()[:100],
                device_digest=crypto.blind_index(request.device_id.strip(), purpose=DEVICE_PURPOSE)
                if request.device_id.strip()
                else "",
                media_url=request.media_url.strip()[:500],
            )
    except ValidationError as exc:
        raise Open311Error(400, *_describe(exc)) from None
    except (OutOfScope, NotPermitted):
        raise Open311Error(403, _("This api_key may not file requests at this place.")) from None
    return appeal


def _describe(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    lines = []
    for field, errors in exc.message_dict.items():
        parameter = PARAMETER_OF.get(field, field)
        for message in errors:
            if field == "is_anonymous":
                message = _("%(message)s Give first_name/last_name, phone or email.") % {"message": message}
            lines.append(f"{parameter}: {message}")
    return lines


def client_summary(client: Open311Client) -> dict[str, Any]:
    """What `shuren open311-client list` shows of a client (never the key)."""
    return {
        "name": client.name,
        "key": f"{client.key_prefix}…",
        "area": client.area.path,
        "account": client.service_user.username,
        "active": client.is_active,
        "last_used_at": timezone.localtime(client.last_used_at).isoformat(timespec="seconds")
        if client.last_used_at
        else "-",
    }
