"""The console and portal pages of ballots, through the test client."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shuren.accounts.roles import Role
from shuren.ballots import services
from shuren.ballots.models import Ballot, BallotRule, BallotVote

from .conftest import draft_lift_ballot, open_lift_ballot


def test_staff_draft_a_ballot_add_a_matter_and_open_it(ballot_world, verified_client):
    world = ballot_world
    client = verified_client(world.users["staff"])
    closes = (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("ballots:ballot_new"),
        {
            "title": "3座1单元加装电梯",
            "area": world.tree["grid_a1"].pk,
            "estate": world.estate.pk,
            "building": world.building.pk,
            "unit": world.unit.pk,
            "closes_at": closes,
        },
    )
    ballot = Ballot.objects.get()
    assert response.status_code == 302 and ballot.unit == world.unit
    page = client.get(reverse("ballots:ballot_detail", args=[ballot.pk])).content.decode()
    assert 'data-testid="owner-unknown"' in page and "富丰新城3座1单元202" in page
    assert 'data-testid="developer"' in page
    client.post(reverse("ballots:matter_new", args=[ballot.pk]), {"title": "是否同意加装电梯", "civil_code_item": 7})
    assert ballot.matters.get().rule.code == "civil-code-278-major"
    client.post(reverse("ballots:ballot_open", args=[ballot.pk]), {"version": ballot.version})
    ballot.refresh_from_db()
    assert ballot.status == "open" and ballot.total_owners == 4
    page = client.get(reverse("ballots:ballot_detail", args=[ballot.pk])).content.decode()
    assert 'data-testid="turnout"' in page


def test_a_stale_open_is_refused_with_a_message(ballot_world, verified_client):
    world = ballot_world
    ballot = draft_lift_ballot(world)
    client = verified_client(world.users["staff"])
    response = client.post(
        reverse("ballots:ballot_open", args=[ballot.pk]), {"version": ballot.version + 5}, follow=True
    )
    assert "changed by someone else" in response.content.decode() or "已被他人修改" in response.content.decode()
    ballot.refresh_from_db()
    assert ballot.status == "draft"


def test_paper_entry_finds_the_voter_by_room_and_records_the_marks(ballot_world, verified_client):
    world = ballot_world
    ballot = open_lift_ballot(world)
    client = verified_client(world.users["staff"])
    found = client.get(reverse("ballots:paper_entry", args=[ballot.pk]), {"building": "3座", "room": "302"})
    developer = ballot.voters.get(is_developer=True)
    assert f"?voter={developer.pk}" in found.content.decode()
    matter = ballot.matters.get()
    client.post(
        reverse("ballots:paper_entry", args=[ballot.pk]),
        {"voter": developer.pk, "paper_number": "0007", f"matter_{matter.pk}": "oppose"},
    )
    vote = BallotVote.objects.get(voter=developer)
    assert (vote.channel, vote.paper_number, vote.recorded_by) == ("paper", "0007", world.users["staff"])
    page = client.get(reverse("ballots:paper_entry", args=[ballot.pk]), {"voter": developer.pk}).content.decode()
    assert 'data-testid="already-voted"' in page


def test_the_tally_sheet_and_export_show_the_arithmetic_and_the_masked_roll(ballot_world, verified_client):
    world = ballot_world
    ballot = open_lift_ballot(world)
    matter = ballot.matters.get()
    for voter in ballot.voters.all():
        services.record_paper_vote(
            actor=world.users["staff"], matter=matter, voter=voter, choice="agree", paper_number=str(voter.pk)
        )
    services.close_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version)
    client = verified_client(world.users["staff"])
    sheet = client.get(reverse("ballots:tally_sheet", args=[ballot.pk])).content.decode()
    assert "450.00 m² = 100.00% ≥ 2/3 ✓" in sheet
    assert "李*、王*" in sheet and "王芳" not in sheet
    export = client.get(reverse("ballots:tally_export", args=[ballot.pk]))
    book = load_workbook(io.BytesIO(export.content), read_only=True)
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "李*、王*" in cells and not any("王芳" in c for c in cells)
    assert any("≥ 3/4 ✓" in c for c in cells)


def test_an_owner_votes_in_the_portal_and_a_co_owner_sees_who_voted(ballot_world, verified_client, client):
    world = ballot_world
    ballot = open_lift_ballot(world)
    matter = ballot.matters.get()
    owner_client = verified_client(world.users["wangfang"])
    listing = owner_client.get(reverse("ballots_portal:my_ballots")).content.decode()
    assert ballot.reference in listing
    page = owner_client.get(reverse("ballots_portal:ballot", args=[ballot.pk])).content.decode()
    assert "富丰新城3座1单元101" in page and "富丰新城3座1单元102" in page and "170.00" in page
    shared = ballot.voters.get(dwellings__dwelling__room="101")
    owner_client.post(
        reverse("ballots_portal:vote", args=[ballot.pk, matter.pk]), {"voter": shared.pk, "choice": "agree"}
    )
    assert BallotVote.objects.get(voter=shared).cast_by_person.name == "王芳"
    client.logout()
    co_owner = verified_client(world.users["liqiang"])
    page = co_owner.get(reverse("ballots_portal:ballot", args=[ballot.pk])).content.decode()
    assert 'data-testid="voted"' in page and "王芳" in page and 'data-testid="vote-form"' not in page


def test_the_portal_hides_ballots_of_other_owners(ballot_world, verified_client):
    world = ballot_world
    ballot = open_lift_ballot(world)
    outsider = verified_client(world.users["outsider"])
    assert outsider.get(reverse("ballots_portal:ballot", args=[ballot.pk])).status_code == 404
    matter = ballot.matters.get()
    voter = ballot.voters.get(dwellings__dwelling__room="201")
    response = outsider.post(
        reverse("ballots_portal:vote", args=[ballot.pk, matter.pk]), {"voter": voter.pk, "choice": "agree"}
    )
    assert response.status_code == 404 and not BallotVote.objects.exists()


def test_the_system_admin_adds_a_local_rule(make_user, verified_client, tree):
    admin = make_user(Role.SYSTEM_ADMIN)
    client = verified_client(admin)
    response = client.post(
        reverse("ballots:rule_new"),
        {
            "code": "foshan-lift",
            "name": "佛山加装电梯",
            "participation_numerator": 2,
            "participation_denominator": 3,
            "pass_numerator": 4,
            "pass_denominator": 5,
            "pass_base": "participating",
            "is_major": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert BallotRule.objects.get(code="foshan-lift").is_major
    assert "佛山加装电梯" in client.get(reverse("ballots:rule_list")).content.decode()
    staff = verified_client(make_user(Role.COMMUNITY_STAFF, tree["com_a"]))
    assert staff.get(reverse("ballots:rule_list")).status_code == 403


def test_staff_mark_a_dwelling_as_held_by_the_developer(ballot_world, verified_client):
    world = ballot_world
    room = world.rooms["202"]
    client = verified_client(world.users["staff"])
    page = client.get(reverse("places:dwelling_edit", args=[room.pk])).content.decode()
    assert 'name="held_by_developer"' in page
    client.post(
        reverse("places:dwelling_edit", args=[room.pk]),
        {"room": "202", "floor": 2, "exclusive_area": "70.00", "held_by_developer": "on", "version": room.version},
    )
    room.refresh_from_db()
    assert room.held_by_developer
    ballot = open_lift_ballot(world)
    assert ballot.voters.get(is_developer=True).dwellings.count() == 3
