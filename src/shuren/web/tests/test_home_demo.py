"""The resident's home in the demo district: 林小梅 sees the lift ballot waiting for her vote, and
once everything the apps can ask of her waits at once, each shows as its own card while the page
keeps to the same few queries however many items wait (no query per item)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shuren.accounts.models import User
from shuren.ballots.demo import LIFT_TITLE
from shuren.ballots.models import Ballot
from shuren.governance.models import Claim
from shuren.governance.services import claim_item, create_item
from shuren.meetings.services import invite_person, schedule_meeting
from shuren.orgs.models import Membership, Organization, OrganizationKind
from shuren.places.models import Area
from shuren.volunteering.services import create_activity, sign_up

pytestmark = pytest.mark.django_db

WAITING = ("ballots", "appeals", "claims", "meetings", "surveys", "activities", "notices", "messages", "points")
# The session, the user and their grants, the places card, and each app's reads (a few apps look
# the resident's record up for themselves).
MAX_QUERIES = 35


@pytest.fixture
def demo(demo_loaded, db):
    return {name: User.objects.get(username=name) for name in ("resident", "community_staff")}


def _waiting_cards(html: str) -> list[str]:
    """The waiting cards on the page, in the page's order."""
    present = [key for key in WAITING if f'data-testid="waiting-{key}"' in html]
    return sorted(present, key=lambda key: html.index(f'data-testid="waiting-{key}"'))


def test_lin_xiaomei_sees_the_lift_ballot_waiting_for_her_vote(demo, client):
    ballot = Ballot.objects.get(title=LIFT_TITLE)
    client.force_login(demo["resident"])
    home = client.get("/me/").content.decode()
    assert 'data-testid="waiting-ballots"' in home and LIFT_TITLE in home
    assert f'href="/my/ballots/{ballot.pk}/"' in home
    assert "社区服务" in home and 'data-testid="tile-ballots"' in home
    assert "社区开通相应功能后" not in home and 'data-testid="home-nothing-waiting"' not in home


def _one_more_of_each(staff: User, resident: User, community: Area, n: int) -> None:
    """An activity she signs up for, a task she claims for her team (lapsing in hours), and a
    meeting she is invited to."""
    person = resident.person
    starts = timezone.now() + dt.timedelta(days=3 + n)
    activity = create_activity(
        actor=staff,
        title=f"长者饭堂送餐（第{n}批）",
        location="大新社区长者饭堂",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        capacity=5,
        area=community,
        approved_volunteers_only=False,
        publish=True,
    )
    sign_up(actor=resident, activity=activity)
    team, _created = Organization.objects.get_or_create(
        kind=OrganizationKind.VOLUNTEER_TEAM, name="大新楼道互助队", area=community
    )
    Membership.objects.get_or_create(organization=team, person=person)
    item = create_item(actor=staff, title=f"1座楼道杂物清理（第{n}次）", area=community)
    claim_item(actor=resident, item=item, version=item.version, organization=team)
    Claim.objects.filter(item=item).update(lapses_at=timezone.now() + dt.timedelta(hours=10))
    meeting = schedule_meeting(
        actor=staff,
        kind="joint",
        title=f"加装电梯协商会（第{n}次）",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        location="大新社区党群服务中心",
        area=community,
    )
    invite_person(actor=staff, meeting=meeting, person=person)


def test_everything_waiting_shows_as_cards_in_the_same_few_queries(demo, client, django_assert_max_num_queries):
    resident, staff = demo["resident"], demo["community_staff"]
    community = Area.objects.get(name="大新社区")
    _one_more_of_each(staff, resident, community, 1)
    client.force_login(resident)
    with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as first:
        home = client.get("/me/").content.decode()
    assert _waiting_cards(home) == list(WAITING)  # in the order of what matters most
    assert 'data-testid="home-nothing-waiting"' not in home

    _one_more_of_each(staff, resident, community, 2)
    with CaptureQueriesContext(connection) as second:
        home = client.get("/me/").content.decode()
    assert "2 项已报名的活动" in home and "2 项认领任务待报进展" in home and "2 个会议邀请待回复" in home
    assert len(second.captured_queries) == len(first.captured_queries)
