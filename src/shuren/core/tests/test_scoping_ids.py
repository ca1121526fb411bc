"""Ids in a request resolve within the actor's scope: ``resolve`` for placed rows, ``users_within``
for users (who have no place: they are reached through their grants and their person)."""

from __future__ import annotations

import pytest

from shuren.accounts.models import User
from shuren.accounts.roles import Role
from shuren.core.errors import OutOfScope
from shuren.core.scoping import resolve, users_within
from shuren.people.models import Person
from shuren.places.models import Area

pytestmark = pytest.mark.django_db


def test_users_within_are_those_granted_or_living_inside_the_actors_scope(tree, make_user) -> None:
    actor = make_user(Role.COMMUNITY_STAFF, tree["com_a"], username="actor")
    granted_a = make_user(Role.GRID_WORKER, tree["grid_a1"], username="granted_a")
    granted_b = make_user(Role.COMMUNITY_STAFF, tree["com_b"], username="granted_b")
    living_a = User.objects.create(username="living_a")
    Person.objects.create(community=tree["com_a"], name="甲", user=living_a)
    living_b = User.objects.create(username="living_b")
    Person.objects.create(community=tree["com_b"], name="乙", user=living_b)
    User.objects.create(username="nowhere")
    within = set(users_within(actor, "meetings.manage").values_list("username", flat=True))
    assert {"actor", "granted_a", "living_a"} <= within
    assert not within & {"granted_b", "living_b", "nowhere"}
    # Areas added by the caller (a meeting reaches its community and the areas above it).
    above = set(
        users_within(actor, "meetings.manage", also_under=[tree["com_b"].path]).values_list("username", flat=True)
    )
    assert {"granted_b", "living_b"} <= above
    assert not users_within(make_user(Role.RESIDENT, tree["grid_a1"]), "meetings.manage").exists()
    # An inactive user is never named.
    User.objects.filter(pk=granted_a.pk).update(is_active=False)
    assert not users_within(actor, "meetings.manage").filter(pk=granted_a.pk).exists()
    assert granted_b.pk not in set(users_within(actor, "meetings.manage").values_list("pk", flat=True))


def test_resolve_answers_not_found_alike_for_missing_and_foreign_ids(tree, make_user) -> None:
    actor = make_user(Role.COMMUNITY_STAFF, tree["com_a"], username="actor")
    assert resolve(actor, "meetings.manage", Area.objects.all(), tree["grid_a1"].pk) == tree["grid_a1"]
    assert resolve(actor, "meetings.manage", Area.objects.all(), str(tree["grid_a1"].pk)) == tree["grid_a1"]
    for pk in (tree["com_b"].pk, 10**9, None, "x", True):
        with pytest.raises(OutOfScope):
            resolve(actor, "meetings.manage", Area.objects.all(), pk)
    other = make_user(Role.COMMUNITY_STAFF, tree["com_b"], username="other")
    assert resolve(actor, "meetings.manage", User.objects.all(), actor.pk) == actor
    with pytest.raises(OutOfScope):
        resolve(actor, "meetings.manage", User.objects.all(), other.pk)
