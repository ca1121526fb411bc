"""What the API views of points share: the permission tuples, the base view, the caller's own
account, and the look-ups that answer 400 or 404 the same way in reads and actions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers

from shuren.api.base import ServiceAPIView
from shuren.api.pagination import PageNumberPagination
from shuren.core.errors import OutOfScope
from shuren.core.scoping import has_action
from shuren.orgs.models import Organization

from .. import selectors, services
from ..models import Account, Redemption, Reward

STAFF = ("points.view",)
# POST-only routes name the same action for GET so that a GET is answered 405, not 403.
POST_ONLY_MANAGE: dict[str, tuple[str, ...]] = {"GET": ("points.manage",), "POST": ("points.manage",)}
# Rules in force are read by everyone who earns or pays points, for the communities they work or
# live in; the administrator reads and writes every rule through /rules/.
READERS = ("points.view", "points.redeem")
ADMIN = ("points.configure",)


class PointsPagination(PageNumberPagination):
    page_size = 50


class PointsAPIView(ServiceAPIView):
    """Service ValidationErrors become 400 problems naming the request's fields."""


def my_account(user: Any) -> Account | None:
    return services.own_account(user)


def own_account(user: Any) -> Account:
    account = my_account(user)
    if account is None:
        raise OutOfScope(_("Your account is not linked to a resident record."))
    return account


def rule_data(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    community = data.pop("community", None)
    if community is not None:
        community = selectors.configurable_community(user, community)
        if community is None:
            raise serializers.ValidationError({"community": [_("No such community.")]})
    data["community"] = community
    return data


def supplier_of(user: Any, pk: int | None) -> Organization | None:
    if pk is None:
        return None
    # Held to the caller's scope like every id in a body: one answer for "none" and "elsewhere".
    supplier = selectors.supplier(user, pk)
    if supplier is None:
        raise serializers.ValidationError({"supplier": [_("No such organisation.")]})
    return supplier


def reward_for(user: Any, pk: int) -> Reward:
    """Staff: a reward of their areas; residents: one of their community's catalogue."""
    reward = selectors.visible_reward(user, pk)
    if reward is None:
        reward = selectors.community_reward(my_account(user), pk)
    if reward is None:
        raise OutOfScope()
    return reward


def redemptions_for(user: Any) -> QuerySet[Redemption]:
    """Staff: the redemptions of their areas; residents: their own."""
    if has_action(user, "points.view"):
        return selectors.visible_redemptions(user)
    return selectors.my_redemptions(my_account(user)).select_related("account__person")
