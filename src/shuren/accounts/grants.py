"""What core's scoping needs to know of the accounts: who holds which role where.

``shuren.core.scoping`` decides every read and write by area; it sits beneath accounts and does not
import them. The app's ``ready()`` installs the ``Authority`` built here.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from shuren.core.scoping import Authority

from .models import RoleGrant
from .roles import actions_for


def grants_of(user: AbstractBaseUser) -> list[tuple[str, str | None]]:
    """(role, area path) of the user's active grants; ``None`` for a system-wide grant."""
    return list(RoleGrant.objects.active().filter(user_id=user.pk).values_list("role", "area__path"))


def holders(where: Q) -> QuerySet[RoleGrant, int]:
    """Ids of the users holding an active grant on the areas ``where`` selects (``area__path``)."""
    return RoleGrant.objects.active().filter(where).values_list("user", flat=True)


def authority() -> Authority:
    return Authority(grants=grants_of, actions_for=actions_for, holders=holders)
