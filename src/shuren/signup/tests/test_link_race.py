"""Two links racing for one person: PostgreSQL, real threads, each with its own connection."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from shuren.accounts.models import User
from shuren.core.testing import run_at_once
from shuren.people.models import Person
from shuren.signup.models import LinkRequest, LinkStatus
from shuren.signup.services import approve_link, request_link

pytestmark = [pytest.mark.postgres_only, pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def _approver(staff: User, request: LinkRequest, person: Person) -> Any:
    def job(start: Any) -> str:
        try:
            start()
            approve_link(actor=staff, request=request, person=person)
            return "linked"
        except ValidationError:
            return "refused"
        finally:
            connection.close()

    return job


def test_two_approvals_for_the_same_person_at_once_link_one_account(
    make_user: Any, grid_worker: User, homes: dict[str, Any], tree: dict[str, Any]
) -> None:
    owner = homes["owner"]
    staff_a = grid_worker
    staff_b = make_user("community_staff", tree["com_a"], username="staff_a")
    first = request_link(
        actor=make_user(username="claimant1", phone="+8613700000001"),
        community=tree["com_a"],
        dwelling=homes["a1"],
        name="王芳",
    )
    second = request_link(
        actor=make_user(username="claimant2", phone="+8613700000002"),
        community=tree["com_a"],
        dwelling=homes["a1"],
        name="王芳",
    )
    outcomes = run_at_once([_approver(staff_a, first, owner), _approver(staff_b, second, owner)])
    assert sorted(outcomes) == ["linked", "refused"]
    owner.refresh_from_db()
    winner = first if outcomes[0] == "linked" else second
    loser = second if winner is first else first
    assert owner.user_id == winner.user_id
    assert LinkRequest.objects.get(pk=winner.pk).status == LinkStatus.LINKED
    assert LinkRequest.objects.get(pk=loser.pk).status == LinkStatus.PENDING  # still waiting for another choice


def test_two_requests_of_one_account_racing_for_two_people_link_one(
    make_user: Any, grid_worker: User, homes: dict[str, Any], tree: dict[str, Any]
) -> None:
    """The same account cannot end up as two people: the one-to-one column holds under the race."""
    from shuren.people.models import Residence

    twin = Person.objects.create(community=tree["com_a"], name="王芳", phone="+8613912345000")
    Residence.objects.create(person=twin, dwelling=homes["a1"], relation="family", status="permanent")
    Person.objects.filter(pk=twin.pk).update(scope=homes["a1"].scope)
    claimant = make_user(username="claimant", phone="+8613700000003")
    request = request_link(actor=claimant, community=tree["com_a"], dwelling=homes["a1"], name="王芳")
    # A second, already decided request of the same account cannot be approved; race the same one twice.
    staff_b = make_user("community_staff", tree["com_a"], username="staff_b")

    def approver(staff: User, person: Person) -> Any:
        def job(start: Any) -> str:
            try:
                start()
                approve_link(actor=staff, request=request, person=person)
                return "linked"
            except Exception:  # refused or already decided
                return "refused"
            finally:
                connection.close()

        return job

    outcomes = run_at_once([approver(grid_worker, homes["owner"]), approver(staff_b, twin)])
    assert sorted(outcomes) == ["linked", "refused"]
    assert Person.objects.filter(user=claimant).count() == 1
