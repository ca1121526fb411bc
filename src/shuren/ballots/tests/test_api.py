"""The ballots API: drafting, opening with If-Match, votes online and on paper, closing, the tally."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.utils import timezone

from shuren.accounts.services import issue_api_token
from shuren.ballots.models import Ballot, BallotVote

BASE = "/api/v1/ballots/"
PROBLEM = "application/problem+json"


class Api:
    def __init__(self, user):
        _token, key = issue_api_token(user=user, name="test")
        self.client = Client(HTTP_AUTHORIZATION=f"Token {key}")

    def get(self, path, **params):
        return self.client.get(path, params)

    def post(self, path, body=None, **headers):
        return self.client.post(path, data=json.dumps(body or {}), content_type="application/json", **headers)


def test_a_ballot_from_draft_to_tally_through_the_api(ballot_world):
    world = ballot_world
    staff = Api(world.users["staff"])
    created = staff.post(
        BASE,
        {
            "title": "3座1单元加装电梯",
            "unit": world.unit.pk,
            "closes_at": (timezone.now() + dt.timedelta(days=7)).isoformat(),
        },
        HTTP_IDEMPOTENCY_KEY="ballot-1",
    )
    assert created.status_code == 201, created.content
    ballot_id = created.json()["id"]
    matter = staff.post(f"{BASE}{ballot_id}/matters/", {"title": "加装电梯", "civil_code_item": 7})
    assert matter.status_code == 201 and matter.json()["rule"] == "civil-code-278-major"
    matter_id = matter.json()["id"]

    # Without a version: 428; with a stale one: 409; with the ETag: opened.
    assert staff.post(f"{BASE}{ballot_id}/open/").status_code == 428
    assert staff.post(f"{BASE}{ballot_id}/open/", {"version": 99}).status_code == 409
    etag = staff.get(f"{BASE}{ballot_id}/")["ETag"]
    opened = staff.post(f"{BASE}{ballot_id}/open/", HTTP_IF_MATCH=etag)
    assert opened.status_code == 200 and opened.json()["total_owners"] == 4

    owner = Api(world.users["wangfang"])
    voted = owner.post(f"{BASE}{ballot_id}/matters/{matter_id}/vote/", {"choice": "agree"})
    assert voted.status_code == 201 and voted.json()["channel"] == "online"
    again = Api(world.users["liqiang"]).post(f"{BASE}{ballot_id}/matters/{matter_id}/vote/", {"choice": "oppose"})
    assert again.status_code == 409 and again["Content-Type"] == PROBLEM
    assert again.json()["type"].endswith("already-voted") and "王芳" in again.json()["title"]
    outsider = Api(world.users["outsider"]).post(f"{BASE}{ballot_id}/matters/{matter_id}/vote/", {"choice": "agree"})
    assert outsider.status_code == 404

    ballot = Ballot.objects.get(pk=ballot_id)
    for voter in ballot.voters.exclude(votes__isnull=False):
        paper = staff.post(
            f"{BASE}{ballot_id}/matters/{matter_id}/paper-votes/",
            {"voter": voter.pk, "choice": "agree", "paper_number": f"P{voter.pk}"},
        )
        assert paper.status_code == 201, paper.content
    assert BallotVote.objects.filter(matter_id=matter_id).count() == 4
    provisional = staff.get(f"{BASE}{ballot_id}/tally/").json()
    assert provisional["provisional"] and provisional["turnout"][0]["owners"] == 4

    closed = staff.post(f"{BASE}{ballot_id}/close/", {"version": opened.json()["version"]})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    tally = staff.get(f"{BASE}{ballot_id}/tally/").json()
    [counted] = tally["matters"]
    assert counted["passed"] is True
    assert counted["lines"][0].endswith("= 100.00% ≥ 2/3 ✓")


def test_open_refuses_dwellings_without_area_as_a_field_problem(ballot_world):
    from shuren.places.models import Dwelling

    from .conftest import draft_lift_ballot

    world = ballot_world
    Dwelling.objects.create(unit=world.unit, room="401", floor=4)
    ballot = draft_lift_ballot(world)
    response = Api(world.users["staff"]).post(f"{BASE}{ballot.pk}/open/", {"version": ballot.version})
    assert response.status_code == 400 and "401" in json.dumps(response.json(), ensure_ascii=False)


def test_a_resident_cannot_list_or_create_ballots(ballot_world):
    resident = Api(ballot_world.users["zhangwei"])
    assert resident.get(BASE).status_code == 403
    assert resident.post(BASE, {"title": "x"}).status_code == 403


def test_staff_of_another_community_see_nothing(ballot_world, make_user):
    from shuren.accounts.roles import Role

    from .conftest import open_lift_ballot

    ballot = open_lift_ballot(ballot_world)
    other = Api(make_user(Role.COMMUNITY_STAFF, ballot_world.tree["com_b"]))
    assert other.get(BASE).json()["results"] == []
    assert other.get(f"{BASE}{ballot.pk}/").status_code == 404
    assert other.get(f"{BASE}{ballot.pk}/tally/").status_code == 404
