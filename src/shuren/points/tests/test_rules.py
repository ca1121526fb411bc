"""Which rule applies: the community's own beats the global one, party-members-only beats general
for party members, inactive and out-of-date rules never apply."""

from __future__ import annotations

import datetime as dt

import pytest

from shuren.core.errors import NotPermitted, StaleVersion
from shuren.points import services
from shuren.points.models import EventKind, Rule

pytestmark = pytest.mark.django_db

ON = dt.date(2025, 6, 1)


def rule(**kwargs):
    kwargs.setdefault("name", "规则")
    kwargs.setdefault("event", EventKind.SERVICE_HOUR)
    kwargs.setdefault("valid_from", dt.date(2025, 1, 1))
    return Rule.objects.create(**kwargs)


def test_the_seeded_global_rule_applies_everywhere(tree):
    found = services.rule_in_force(EventKind.SERVICE_HOUR, tree["com_a"], ON)
    assert found is not None and found.community is None and found.points == 10


def test_the_communitys_own_rule_beats_the_global_one(tree):
    own = rule(community=tree["com_a"], points=15)
    assert services.rule_in_force(EventKind.SERVICE_HOUR, tree["com_a"], ON) == own
    assert services.rule_in_force(EventKind.SERVICE_HOUR, tree["com_b"], ON).points == 10


def test_a_party_members_rule_applies_to_party_members_only(tree):
    party = rule(points=20, party_members_only=True, scheme="party_member")
    assert services.rule_in_force(EventKind.SERVICE_HOUR, tree["com_a"], ON, party_member=True) == party
    assert services.rule_in_force(EventKind.SERVICE_HOUR, tree["com_a"], ON, party_member=False).points == 10


def test_the_communitys_general_rule_beats_a_global_party_rule(tree):
    rule(points=20, party_members_only=True)
    own = rule(community=tree["com_a"], points=12)
    assert services.rule_in_force(EventKind.SERVICE_HOUR, tree["com_a"], ON, party_member=True) == own


def test_inactive_and_out_of_date_rules_never_apply(tree):
    rule(community=tree["com_a"], points=30, is_active=False)
    rule(community=tree["com_a"], points=40, valid_from=dt.date(2025, 7, 1))
    rule(community=tree["com_a"], points=50, valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2025, 5, 31))
    assert services.rule_in_force(EventKind.SERVICE_HOUR, tree["com_a"], ON).points == 10
    assert services.rule_in_force(EventKind.SERVICE_HOUR, tree["com_a"], dt.date(2025, 7, 2)).points == 40
    assert services.rule_in_force(EventKind.SERVICE_HOUR, tree["com_a"], dt.date(2023, 1, 1)) is None


def test_only_the_system_administrator_edits_rules(points_world):
    admin = points_world.users["sysadmin"]
    created = services.create_rule(
        actor=admin,
        name="大新社区志愿服务",
        event=EventKind.SERVICE_HOUR,
        scheme="resident",
        community=points_world.tree["com_a"],
        points=12,
        party_members_only=False,
        valid_from=dt.date(2025, 1, 1),
        valid_to=None,
    )
    edited = services.edit_rule(
        actor=admin,
        rule=created,
        version=created.version,
        **{
            "name": "大新社区志愿服务",
            "event": EventKind.SERVICE_HOUR,
            "scheme": "resident",
            "community": points_world.tree["com_a"],
            "points": 14,
            "party_members_only": False,
            "valid_from": dt.date(2025, 1, 1),
            "valid_to": None,
        },
    )
    assert Rule.objects.get(pk=edited.pk).points == 14
    with pytest.raises(StaleVersion):
        services.set_rule_active(actor=admin, rule=created, version=1, active=False)
    services.set_rule_active(actor=admin, rule=created, version=edited.version, active=False)
    assert not Rule.objects.get(pk=created.pk).is_active
    with pytest.raises(NotPermitted):
        services.create_rule(actor=points_world.users["staff"], name="x", event="service_hour", points=1, valid_from=ON)


def test_the_administrator_sets_a_communitys_expiry(points_world):
    community = points_world.tree["com_a"]
    assert services.policy_for(community).expiry_months == 0
    services.set_policy(actor=points_world.users["sysadmin"], community=community, expiry_months=12)
    assert services.policy_for(community).expiry_months == 12
