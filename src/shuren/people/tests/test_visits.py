"""Household visits and the rules that say who is due ("elderly living alone: at least every 7 days")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.core.errors import OutOfScope
from shuren.people.models import Person, PersonTag, PersonTagging, Visit, VisitRule
from shuren.people.selectors import overdue_visits
from shuren.people.services import record_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def elderly(tree):
    tag = PersonTag.objects.create(code="elderly-alone", name="独居老人", is_sensitive=True)
    VisitRule.objects.create(tag=tag, interval_days=7)
    people = []
    for name, grid in (("黄伯荣", "grid_a1"), ("何婆婆", "grid_a1"), ("金旗峰老人", "grid_b1")):
        person = Person.objects.create(community=tree[grid].parent, name=name, scope=tree[grid].path)
        PersonTagging.objects.create(person=person, tag=tag)
        people.append(person)
    return people


def test_a_visit_is_recorded_in_scope_and_audited(elderly, user_for_role):
    worker = user_for_role(Role.GRID_WORKER)
    visit = record_visit(actor=worker, person=elderly[0], dwelling=None, purpose="care", findings="身体尚好")
    assert visit.scope == elderly[0].scope and visit.visited_on == timezone.localdate()
    assert AuditEvent.objects.filter(action="people.visit", object_id=str(visit.pk)).exists()


def test_visits_outside_the_grid_are_refused(elderly, user_for_role):
    with pytest.raises(OutOfScope):
        record_visit(actor=user_for_role(Role.GRID_WORKER), person=elderly[2], dwelling=None, purpose="care")
    assert not Visit.objects.exists()


def test_a_visit_needs_a_target_and_cannot_be_in_the_future(elderly, user_for_role):
    worker = user_for_role(Role.GRID_WORKER)
    with pytest.raises(ValidationError):
        record_visit(actor=worker, person=None, dwelling=None, purpose="care")
    with pytest.raises(ValidationError):
        record_visit(
            actor=worker,
            person=elderly[0],
            dwelling=None,
            purpose="care",
            visited_on=timezone.localdate() + dt.timedelta(days=1),
        )


def test_the_overdue_list_follows_the_rule_and_the_grid(elderly, user_for_role):
    worker = user_for_role(Role.GRID_WORKER)
    today = timezone.localdate()
    record_visit(
        actor=worker, person=elderly[0], dwelling=None, purpose="care", visited_on=today - dt.timedelta(days=3)
    )
    record_visit(
        actor=worker, person=elderly[1], dwelling=None, purpose="care", visited_on=today - dt.timedelta(days=10)
    )
    due = overdue_visits(worker, today=today)
    assert [d.person.name for d in due] == ["何婆婆"]
    assert due[0].days_overdue == 3 and due[0].interval_days == 7
    assert "金旗峰老人" not in [d.person.name for d in overdue_visits(worker, today=today + dt.timedelta(days=30))]


def test_never_visited_people_come_first(elderly, user_for_role):
    worker = user_for_role(Role.GRID_WORKER)
    record_visit(
        actor=worker,
        person=elderly[0],
        dwelling=None,
        purpose="care",
        visited_on=timezone.localdate() - dt.timedelta(days=20),
    )
    assert [d.person.name for d in overdue_visits(worker)] == ["何婆婆", "黄伯荣"]


def test_building_leaders_record_visits_but_see_masked_names(elderly, user_for_role, verified_client):
    client = verified_client(user_for_role(Role.BUILDING_LEADER))
    form = client.get(f"/people/visits/new/?person={elderly[0].pk}").content.decode()
    assert "黄**" in form and "黄伯荣" not in form
    response = client.post(
        "/people/visits/new/",
        {"person": elderly[0].pk, "purpose": "door_knock", "findings": "家中无人，已留言", "follow_up": ""},
    )
    assert response.status_code == 302
    page = client.get("/people/visits/").content.decode()
    assert "家中无人" in page and "黄伯荣" not in page


def test_the_overdue_list_names_a_sensitive_tag_only_to_those_who_may_see_it(elderly, user_for_role):
    staff_view = overdue_visits(user_for_role(Role.COMMUNITY_STAFF))
    leader_view = overdue_visits(user_for_role(Role.BUILDING_LEADER))
    assert [d.tag for d in staff_view] == ["独居老人", "独居老人"]  # the two elders of grid 1
    assert [d.person for d in leader_view] == [d.person for d in staff_view]
    assert all("独居老人" not in d.tag and "7" in d.tag for d in leader_view)
