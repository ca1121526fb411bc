"""The electorate frozen when voting opens (SPC interpretation on building co-ownership, art. 9)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from shuren.ballots import services
from shuren.ballots.electorate import plan_electorate, preview_electorate
from shuren.ballots.models import Voter
from shuren.people.models import Person, Residence
from shuren.places.models import Dwelling

from .conftest import draft_lift_ballot, open_lift_ballot


def dwelling(pk, area="80.00", developer=False):
    return SimpleNamespace(pk=pk, exclusive_area=Decimal(area), held_by_developer=developer)


def test_a_chain_of_shared_owners_is_one_voter():
    # A and B co-own 101; B also owns 102; C owns 103 alone.
    dwellings = [dwelling(101), dwelling(102), dwelling(103)]
    voters = plan_electorate(dwellings, [(101, 1, "甲"), (101, 2, "乙"), (102, 2, "乙"), (103, 3, "丙")])
    assert [sorted(d.pk for d in v.dwellings) for v in voters] == [[101, 102], [103]]
    assert voters[0].person_ids == {1, 2} and voters[0].area == Decimal("160.00")


def test_a_longer_chain_through_several_owners_joins_everything():
    # 101 (A, B) – 102 (B, C) – 103 (C): one voter; the link is found whatever the order of rows.
    dwellings = [dwelling(101), dwelling(102), dwelling(103)]
    voters = plan_electorate(
        dwellings, [(103, 3, "丙"), (102, 3, "丙"), (101, 1, "甲"), (102, 2, "乙"), (101, 2, "乙")]
    )
    assert len(voters) == 1 and voters[0].person_ids == {1, 2, 3}


def test_developer_dwellings_are_one_voter_whatever_the_registry_lists():
    dwellings = [dwelling(1), dwelling(2, developer=True), dwelling(3, developer=True)]
    # Someone listed as owner of 2 also owns 1: the developer's dwelling must not join them.
    voters = plan_electorate(dwellings, [(1, 7, "甲"), (2, 7, "甲")])
    developer = [v for v in voters if v.is_developer]
    assert len(voters) == 2 and len(developer) == 1
    assert [d.pk for d in developer[0].dwellings] == [2, 3] and developer[0].person_ids == set()


def test_freezing_the_registry_applies_every_rule(ballot_world):
    world = ballot_world
    ballot = open_lift_ballot(world)
    voters = {
        frozenset(d.dwelling.room for d in v.dwellings.select_related("dwelling")): v for v in ballot.voters.all()
    }
    assert set(voters) == {frozenset({"101", "102"}), frozenset({"201"}), frozenset({"202"}), frozenset({"301", "302"})}
    shared = voters[frozenset({"101", "102"})]
    assert shared.area == Decimal("170.00")
    assert set(shared.owners.values_list("person__name", flat=True)) == {"王芳", "李强"}
    assert shared.label == "李*、王*"  # masked, never the full names
    assert voters[frozenset({"201"})].owners.get().person.name == "张伟"  # the former owner is gone
    unknown = voters[frozenset({"202"})]
    assert unknown.owner_unknown and not unknown.owners.exists()  # the tenant is not an owner
    developer = voters[frozenset({"301", "302"})]
    assert developer.is_developer and developer.area == Decimal("110.00") and not developer.owners.exists()
    ballot.refresh_from_db()
    assert (ballot.total_area, ballot.total_owners) == (Decimal("450.00"), 4)
    assert ballot.electorate_frozen_at is not None
    # The other stairwell unit's dwelling is not in a unit ballot.
    assert not ballot.voters.filter(dwellings__dwelling=world.rooms["2-101"]).exists()


def test_a_building_ballot_covers_all_its_units(ballot_world):
    world = ballot_world
    ballot = draft_lift_ballot(world)
    ballot = services.update_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version, unit=None)
    ballot = services.open_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version)
    assert ballot.total_owners == 5 and ballot.total_area == Decimal("538.00")


def test_opening_is_refused_while_a_dwelling_has_no_area(ballot_world):
    world = ballot_world
    Dwelling.objects.create(unit=world.unit, room="401", floor=4)
    ballot = draft_lift_ballot(world)
    with pytest.raises(ValidationError) as caught:
        services.open_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version)
    assert "富丰新城3座1单元401" in str(caught.value)
    ballot.refresh_from_db()
    assert ballot.status == "draft" and not Voter.objects.filter(ballot=ballot).exists()
    preview = preview_electorate(ballot)
    assert [d.room for d in preview.missing_area] == ["401"]


def test_the_preview_warns_of_unknown_owners_and_the_developer(ballot_world):
    preview = preview_electorate(draft_lift_ballot(ballot_world))
    assert (preview.dwellings, preview.voters, preview.area) == (6, 4, Decimal("450.00"))
    assert [[d.room for d in v.dwellings] for v in preview.owner_unknown] == [["202"]]
    assert preview.developer is not None and preview.developer.area == Decimal("110.00")


def test_registry_changes_after_opening_do_not_move_the_electorate(ballot_world):
    world = ballot_world
    ballot = open_lift_ballot(world)
    newcomer = Person.objects.create(community=world.tree["com_a"], name="吴刚")
    Residence.objects.create(person=newcomer, dwelling=world.rooms["202"], relation="owner", status="permanent")
    assert ballot.voters.get(dwellings__dwelling=world.rooms["202"]).owner_unknown
    assert ballot.voters.count() == 4
