"""What the governance API's views share: who reads, the item as the caller may see it, the base view."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.response import Response

from shuren.accounts.models import User
from shuren.api.base import ServiceAPIView
from shuren.core.concurrency import etag_for
from shuren.core.scoping import can

from .. import selectors
from ..models import GovernanceItem
from .serializers import ItemDetailSerializer

# Staff read with governance.view; residents, volunteers and building leaders with governance.claim.
READERS = ("governance.view", "governance.claim")


def is_staff_view(user: Any, item: GovernanceItem) -> bool:
    return can(user, "governance.view", item) or can(user, "governance.manage", item)


def item_response(user: User, item: GovernanceItem, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The item as ``user`` may see it, with its ETag."""
    item = selectors.openable_item(user, item.pk)
    data = ItemDetailSerializer(item, context={"user": user, "staff": is_staff_view(user, item)}).data
    response = Response(data, status=status_code)
    response["ETag"] = etag_for(item)
    return response


class GovernanceAPIView(ServiceAPIView):
    """Service ValidationErrors become 400 problems naming the request's fields."""
