"""The workflow's steps in the governance API: one view per action, each looked up, checked and
performed in the same order (404, 400, 428/412/409, then the service's 409/403)."""

from __future__ import annotations

from typing import Any

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.accounts.models import User
from shuren.api.openapi import IDEMPOTENCY_KEY, IF_MATCH, problems
from shuren.api.parsers import JSONParser, MultiPartParser
from shuren.api.permissions import AnyActionByMethod
from shuren.core.concurrency import expected_version

from .. import selectors, services
from ..models import GovernanceItem
from .base import GovernanceAPIView, item_response
from .serializers import (
    ActionSerializer,
    ClaimSerializer,
    ItemDetailSerializer,
    ItemNoteSerializer,
    ItemOptionalReasonSerializer,
    ItemProgressSerializer,
    ItemReasonSerializer,
)

# --- the workflow ---------------------------------------------------------------------------------


class ItemActionView(GovernanceAPIView):
    """One step of the workflow. The item is looked up first (404 outside the caller's reach), then
    the body is checked (400), then the version the caller read (428/412/409), then the service
    decides whether the state and the caller's part allow the step (409/403)."""

    permission_classes = [AnyActionByMethod({"POST": ("governance.claim", "governance.manage", "governance.verify")})]
    parser_classes = [JSONParser, MultiPartParser]
    body_serializer: type[ActionSerializer] = ActionSerializer
    slug = ""

    def perform(self, actor: User, item: GovernanceItem, version: int, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        item = selectors.openable_item(user, pk)
        raw = request.data
        if isinstance(raw, MultiValueDict):  # multipart: several photos under one name
            raw = {key: (raw.getlist(key) if key == "photos" else raw.get(key)) for key in raw}
        body = self.body_serializer(data=raw)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if self.slug == "claim":
            services.check_claimable(actor=user, item=item)
        version = expected_version(
            item, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        self.perform(user, item, version, data)
        return item_response(user, item)


def _action(
    slug: str, serializer: type[ActionSerializer], summary: str, perform: Any, doc: str
) -> type[ItemActionView]:
    @extend_schema(
        operation_id=f"governance_items_{slug}",
        summary=summary,
        description=doc,
        request={"application/json": serializer, "multipart/form-data": serializer},
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        responses={200: ItemDetailSerializer, **problems(400, 401, 403, 404, 409, 412, 428)},
    )
    def post(self: ItemActionView, request: Request, pk: int) -> Response:
        return ItemActionView.post(self, request, pk)

    return type(
        f"Item{slug.title()}View",
        (ItemActionView,),
        {
            "slug": slug,
            "body_serializer": serializer,
            "perform": lambda self, u, i, v, d: perform(u, i, v, d),
            "post": post,
            "__doc__": doc,
        },
    )


def _claim(user: User, item: GovernanceItem, version: int, data: dict[str, Any]) -> Any:
    organization = person = None
    if data.get("organization"):
        organization = selectors.organization_by_id(data["organization"])
        if organization is None:
            raise serializers.ValidationError({"organization": [_("No such organisation.")]})
    if data.get("person"):
        person = selectors.person_by_id(data["person"])
        if person is None:
            raise serializers.ValidationError({"person": [_("Choose a resident of this community.")]})
    return services.claim_item(
        actor=user, item=item, version=version, person=person, organization=organization, note=data["note"]
    )


ACTION_VIEWS: dict[str, type[ItemActionView]] = {
    "claim": _action(
        "claim",
        ClaimSerializer,
        "Claim",
        _claim,
        "认领: for oneself (party member, volunteer, building leader), for an organisation one belongs to, or "
        "(staff) for a resident or organisation. 409 `already-claimed` names the holder.",
    ),
    "release": _action(
        "release",
        ItemOptionalReasonSerializer,
        "Release",
        lambda u, i, v, d: services.release_claim(actor=u, item=i, version=v, reason=d["reason"]),
        "The holder gives the item back; it is open for claiming again.",
    ),
    "progress": _action(
        "progress",
        ItemProgressSerializer,
        "Record progress",
        lambda u, i, v, d: services.record_progress(actor=u, item=i, version=v, text=d["text"], photos=d["photos"]),
        "A progress note with photos (multipart); the claim's lapse time starts again.",
    ),
    "submit": _action(
        "submit",
        ItemProgressSerializer,
        "Report done",
        lambda u, i, v, d: services.submit_item(actor=u, item=i, version=v, text=d["text"], photos=d["photos"]),
        "The holder reports the item done; staff verify it next.",
    ),
    "verify": _action(
        "verify",
        ItemNoteSerializer,
        "Verify",
        lambda u, i, v, d: services.verify_item(actor=u, item=i, version=v, note=d["note"]),
        "Staff (governance.verify) confirm the item done; the points are credited to the holder.",
    ),
    "return": _action(
        "return",
        ItemReasonSerializer,
        "Return for more work",
        lambda u, i, v, d: services.return_item(actor=u, item=i, version=v, reason=d["reason"]),
        "Staff send the item back to its holder.",
    ),
    "cancel": _action(
        "cancel",
        ItemReasonSerializer,
        "Cancel",
        lambda u, i, v, d: services.cancel_item(actor=u, item=i, version=v, reason=d["reason"]),
        "Staff take the item off the list; an active claim is withdrawn.",
    ),
}
