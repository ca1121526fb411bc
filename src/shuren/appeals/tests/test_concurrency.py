"""Two people acting on the same appeal at the same moment, in real threads on PostgreSQL: the
conditional UPDATE (``WHERE version = n``) lets exactly one through; the other gets StaleVersion and
leaves no trace (no event, no notification, no audit record, no reminder task)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from shuren.accounts.models import User
from shuren.appeals import services
from shuren.appeals.models import Appeal, AppealEvent, EventKind, Status
from shuren.appeals.testing import appeal_notices
from shuren.audit.models import AuditEvent
from shuren.core.errors import StaleVersion
from shuren.core.testing import run_at_once

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 8


def race(appeal_pk: int, attempts: list[tuple[str, Callable[[Any, Appeal, int], Any]]]) -> dict[str, str]:
    """Run each (username, action) in its own thread with its own connection. Every thread reads the
    appeal first, as each person's page did; then all act at once. Returns username -> outcome."""

    def job(username: str, action: Callable[[Any, Appeal, int], Any]) -> Callable[[Callable[[], Any]], str]:
        def attempt(start: Callable[[], Any]) -> str:
            user = User.objects.get(username=username)
            appeal = Appeal.objects.select_related("organization", "category").get(pk=appeal_pk)
            version = appeal.version
            start()
            try:
                action(user, appeal, version)
            except StaleVersion:
                return "stale"
            return "done"

        return attempt

    outcomes = run_at_once([job(username, action) for username, action in attempts])
    return dict(zip([username for username, _action in attempts], outcomes, strict=True))


def test_two_dispatchers_cannot_both_dispatch_the_same_appeal(appeal_world):
    world = appeal_world

    def to_property_manager(user, appeal, version):
        services.dispatch_appeal(actor=user, appeal=appeal, version=version, organization=world.property_manager)

    def to_department(user, appeal, version):
        services.dispatch_appeal(
            actor=user, appeal=appeal, version=version, organization=world.department, reason="涉及消防执法"
        )

    winners = set()
    for _round in range(ROUNDS):
        appeal = world.submit()
        outcomes = race(appeal.pk, [("desk", to_property_manager), ("gridworker", to_department)])
        assert sorted(outcomes.values()) == ["done", "stale"], outcomes
        winner = next(name for name, outcome in outcomes.items() if outcome == "done")
        winners.add(winner)
        appeal.refresh_from_db()
        expected = world.property_manager if winner == "desk" else world.department
        assert (appeal.status, appeal.organization, appeal.version) == (Status.DISPATCHED, expected, 2)
        [event] = AppealEvent.objects.filter(appeal=appeal, kind=EventKind.DISPATCH)
        assert event.actor.username == winner and event.organization == expected
        # One set of notifications: the winning organisation's handler, once.
        told = list(appeal_notices(appeal=appeal, kind="assigned").values_list("recipient__username"))
        assert told == [("pm_clerk",)] if winner == "desk" else [("cg_officer",)]
        assert AuditEvent.objects.filter(action="appeals.dispatch", object_id=str(appeal.pk)).count() == 1
        response_reminders = DBTaskResult.objects.filter(args_kwargs__args=[appeal.pk, "response_overdue"])
        assert response_reminders.count() == 1
    assert winners <= {"desk", "gridworker"}


def test_a_handlers_return_and_a_dispatchers_note_at_the_same_moment(appeal_world):
    world = appeal_world

    def give_back(user, appeal, version):
        services.return_appeal(actor=user, appeal=appeal, version=version, reason="不属于物业管理范围")

    def write_note(user, appeal, version):
        services.add_note(actor=user, appeal=appeal, version=version, note="已电话联系反映人")

    for _round in range(ROUNDS):
        appeal = world.submit()
        appeal = services.dispatch_appeal(
            actor=world.users["staff"], appeal=appeal, version=appeal.version, organization=world.property_manager
        )
        outcomes = race(appeal.pk, [("pm_clerk", give_back), ("desk", write_note)])
        assert sorted(outcomes.values()) == ["done", "stale"], outcomes
        appeal.refresh_from_db()
        kinds = list(AppealEvent.objects.filter(appeal=appeal).values_list("kind", flat=True))
        returned = appeal_notices(appeal=appeal, kind="returned")
        if outcomes["pm_clerk"] == "done":
            assert (appeal.status, appeal.organization) == (Status.ACCEPTED, None)
            assert kinds == ["submit", "dispatch", "return"]
            assert list(returned.values_list("recipient__username", flat=True)) == ["gridworker"]
        else:
            assert (appeal.status, appeal.organization) == (Status.DISPATCHED, world.property_manager)
            assert kinds == ["submit", "dispatch", "note"]
            assert not returned.exists()
        assert appeal.version == 3


def test_many_desks_racing_leave_exactly_one_dispatch(appeal_world, make_user):
    from shuren.accounts.roles import Role

    world = appeal_world
    desks = [make_user(Role.COMMUNITY_STAFF, world.tree["com_a"], username=f"desk{n}") for n in range(6)]
    appeal = world.submit()

    def dispatch(user, appeal, version):
        services.dispatch_appeal(actor=user, appeal=appeal, version=version, organization=world.property_manager)

    outcomes = race(appeal.pk, [(desk.username, dispatch) for desk in desks])
    assert sorted(outcomes.values()) == ["done"] + ["stale"] * 5
    assert AppealEvent.objects.filter(appeal=appeal, kind=EventKind.DISPATCH).count() == 1
    assert appeal_notices(appeal=appeal, kind="assigned").count() == 1


def test_two_workers_sending_the_same_reminder_at_once_send_it_once(appeal_world):
    """The resolution reminders are queued twice (at submission and at dispatch), and two workers may
    run both copies at the same moment: the unique dedupe key lets one through, and the other worker
    finishes without error and without a second timeline entry."""
    world = appeal_world
    for _round in range(ROUNDS):
        appeal = world.submit()
        due = appeal.resolution_due_at

        def worker(start: Callable[[], Any], pk: int = appeal.pk, due=due) -> int:
            copy = Appeal.objects.select_related("organization").get(pk=pk)
            start()
            return services.remind_deadline(appeal=copy, which="resolution_overdue", now=due)

        results = run_at_once([worker, worker])
        sent = appeal_notices(appeal=appeal, kind="overdue", event_key__contains=":resolution_overdue:")
        assert list(sent.values_list("recipient__username", flat=True)) == ["gridworker"]  # the grid's desk
        assert sorted(results) == [0, 1]
        assert AppealEvent.objects.filter(appeal=appeal, kind=EventKind.REMIND).count() == 1
