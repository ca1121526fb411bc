"""`make demo`: the demo district loads twice without harm, every demo login reaches its home page,
and the data could be real: activities in the daytime on the days their titles say, appeals at the
hours people write, every town with data, few overdue items, every account in the README."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from shuren.accounts.models import RoleGrant, User
from shuren.appeals.models import Appeal, Channel
from shuren.core.workdays import WorkingCalendar
from shuren.governance.demo import list_title
from shuren.governance.models import GovernanceItem, GovernanceList, ItemStatus
from shuren.governance.selectors import overdue_q
from shuren.insights import figures
from shuren.insights.forms import preset_period
from shuren.meetings.models import ActionItem, ActionStatus, Meeting
from shuren.notices.models import Notice, NoticeStatus
from shuren.notices.selectors import notice_figures
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind, Estate
from shuren.synthetic import timing
from shuren.synthetic.demo import DEMO_PASSWORD, DEMO_USERS
from shuren.synthetic.timing import AWAKE_FROM, AWAKE_UNTIL
from shuren.volunteering.models import Activity, ActivityStatus, SignUp, SignUpStatus

ROOT = Path(__file__).resolve().parent.parent


# --- Demo data that could be real ------------------------------------------------------------------
# The demo as `shuren demo` loads it (the story of 大新社区 and the district around it), built once
# for the tests below in a transaction rolled back after them: it loads again without change, every
# login reaches its home page, and every generated row is checked.

NIGHT_SHARE = 0.03  # of the appeals, at most, received between midnight and six
OVERDUE_AT_MOST = 8  # unfinished governance items past their deadline, in the whole district
OVERDUE_DAYS = 10  # and none overdue by more than this
LOGIN_TABLE = re.compile(r"^## Demo logins$(.*?)^## ", re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        yield timezone.now()
        transaction.set_rollback(True)


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


class TestTheDemo:
    @pytest.mark.django_db
    def test_demo_loads_idempotently_and_prints_one_login_per_role(self, demo, capsys):
        first = (Area.objects.count(), User.objects.count(), RoleGrant.objects.count())
        call_command("demo")
        assert (Area.objects.count(), User.objects.count(), RoleGrant.objects.count()) == first
        out = capsys.readouterr().out
        roles = {role.value for _u, role, _w, _n, _p in DEMO_USERS}
        assert all(role in out for role in roles) and len(roles) == 12
        assert Area.objects.filter(kind=AreaKind.COMMUNITY).count() == 6
        assert Area.objects.get(name="大新社区").households == 2800
        # The stairwell notices: the public fire drill to 富丰新城 and a building leader's water cut to
        # 1座, half its households told at the door; the second load added none.
        drill = Notice.objects.get(title="富丰新城消防演练通知")
        water = Notice.objects.get(title="1座停水通知")
        assert drill.status == water.status == NoticeStatus.PUBLISHED and drill.is_public
        assert drill.households > water.households > 0
        figures = notice_figures(water)
        assert 0 < figures.told < figures.households
        assert Notice.objects.count() == 2

    @pytest.mark.django_db
    def test_every_demo_login_reaches_its_own_home_page(self, demo, settings):
        settings.SHUREN_REQUIRE_MFA = False  # as in the demo settings
        for username, *_rest in DEMO_USERS:
            client = Client()
            response = client.post("/accounts/login/", {"identity": username, "password": DEMO_PASSWORD})
            assert response.status_code == 302, username
            home = client.get("/", follow=True)
            assert home.status_code == 200, username
            assert home.redirect_chain and home.redirect_chain[-1][0] != "/accounts/login/", username
            assert '<html lang="zh-hans">' in home.content.decode(), username

    @pytest.mark.django_db
    def test_activities_start_in_the_daytime_and_the_coming_ones_are_open_for_sign_up(self, demo):
        activities = list(Activity.objects.all())
        assert len(activities) > 50
        for activity in activities:
            starts = local(activity.starts_at)
            assert dt.time(8) <= starts.time() <= dt.time(20), (activity.title, starts)
            assert dt.timedelta(minutes=30) <= activity.ends_at - activity.starts_at <= dt.timedelta(hours=5)
        coming = [a for a in activities if a.starts_at > demo and a.status == ActivityStatus.PUBLISHED]
        assert len(coming) >= 5
        for activity in coming:
            assert activity.signup_closes_at is None or activity.signup_closes_at > demo, activity.title
            assert activity.starts_at < demo + dt.timedelta(days=30)
        # The volunteer's own: a place on a coming activity.
        assert SignUp.objects.filter(
            person__user__username="volunteer", status=SignUpStatus.CONFIRMED, activity__in=coming
        ).exists()
        finished = Activity.objects.filter(status=ActivityStatus.FINISHED)
        assert finished.exists() and not finished.filter(starts_at__gt=demo).exists()
        assert not finished.exclude(signups__checkin__isnull=False).exists()  # everyone of them had people

    @pytest.mark.django_db
    def test_what_a_title_says_about_its_day_and_hour_is_true(self, demo):
        calendar = WorkingCalendar()
        said = 0
        for activity in Activity.objects.all():
            if timing.day_rule(activity.title) != timing.ANY or timing.hour_rule(activity.title) != timing.ANY:
                said += 1
            assert timing.fits(activity.title, activity.starts_at, calendar.is_working_day), (
                activity.title,
                local(activity.starts_at).strftime("%A %Y-%m-%d %H:%M"),
            )
        assert said >= 2  # 周末长者陪伴探访, 周末平安巡逻 …
        for meeting in Meeting.objects.all():
            assert timing.day_fits(
                timing.day_rule(meeting.title), local(meeting.starts_at).date(), calendar.is_working_day
            )
            assert dt.time(8) <= local(meeting.starts_at).time() <= dt.time(20, 30), meeting.title

    @pytest.mark.django_db
    def test_appeals_arrive_at_the_hours_people_write_and_the_desk_acts_in_working_hours(self, demo):
        appeals = list(Appeal.objects.all())
        assert len(appeals) > 500
        night = [a for a in appeals if local(a.submitted_at).hour < 6]
        assert len(night) <= NIGHT_SHARE * len(appeals)
        daytime = sum(1 for a in appeals if 7 <= local(a.submitted_at).hour < 22)
        assert daytime >= 0.9 * len(appeals)
        for appeal in appeals:
            assert appeal.submitted_at <= demo
            if appeal.channel in (Channel.PHONE, Channel.PATROL, Channel.VISIT, Channel.BUILDING_LEADER):
                assert 8 <= local(appeal.submitted_at).hour < 18, (appeal.channel, local(appeal.submitted_at))
        # Where the desk or a handler acted (the district's appeals, written as they were handled),
        # it was in the working hours of a working day.
        calendar = WorkingCalendar()
        story = Estate.objects.get(name="富丰新城")
        handled = 0
        for appeal in Appeal.objects.exclude(estate=story).filter(duplicate_of__isnull=True):
            for moment in (appeal.accepted_at, appeal.dispatched_at, appeal.responded_at, appeal.resolved_at):
                if moment is not None:
                    handled += 1
                    assert calendar.working_hours_between(moment - dt.timedelta(minutes=1), moment) > 0, (
                        appeal.reference,
                        local(moment),
                    )
        assert handled > 1000
        # The story's own appeals (富丰新城) too, each step after the one before and before the demo's
        # present; only when no working hours lie between the two (a long holiday) may the desk act
        # outside them.
        story_steps = 0
        for appeal in Appeal.objects.filter(estate=story):
            last = appeal.submitted_at
            for moment in (appeal.accepted_at, appeal.dispatched_at, appeal.responded_at, appeal.resolved_at):
                if moment is None:
                    continue
                story_steps += 1
                assert last <= moment < demo, (appeal.reference, local(last), local(moment))
                assert calendar.working_hours_between(moment - dt.timedelta(minutes=1), moment) > 0 or (
                    calendar.working_hours_between(last, demo) < 8
                ), (appeal.reference, local(moment))
                last = moment
            if appeal.feedback_at is not None:
                assert AWAKE_FROM <= local(appeal.feedback_at).hour < AWAKE_UNTIL, local(appeal.feedback_at)
        assert story_steps >= 10

    @pytest.mark.django_db
    def test_every_town_and_community_of_the_district_has_data_on_the_dashboard(self, demo):
        today = timezone.localdate()
        start, end = preset_period("30d", today)
        district = Area.objects.get(kind=AreaKind.DISTRICT, name="南海区")
        towns = list(Area.objects.filter(parent=district, kind=AreaKind.SUBDISTRICT))
        assert {t.name for t in towns} == {"桂城街道", "里水镇"}
        for kpis in figures.kpis_of(towns, start, end):
            row = {name: kpis[name] for name in figures.CHILD_COLUMNS}
            for name in ("residents", "received", "meetings_held", "service_hours", "points_issued"):
                assert row[name], (kpis.area.name, name, row)
            assert row["response_rate"] is not None and row["satisfaction_rate"] is not None
        communities = list(Area.objects.filter(kind=AreaKind.COMMUNITY, path__startswith=district.path + "."))
        assert len(communities) == 6
        for kpis in figures.kpis_of(communities, start, end):
            assert kpis["residents"] and kpis["received"], kpis.area.name
        for community in communities:
            residents = Person.objects.filter(community=community).count()
            assert residents > 0 and Activity.objects.filter(scope__startswith=community.path).exists()
        # In proportion: the largest community (同声, 70,000 people) has more than the smallest (海南洲, 6,000).
        big, small = (Area.objects.get(name=name) for name in ("同声社区", "海南洲社区"))
        assert Person.objects.filter(community=big).count() > 5 * Person.objects.filter(community=small).count()
        assert (
            Appeal.objects.filter(scope__startswith=big.path).count()
            > Appeal.objects.filter(scope__startswith=small.path).count()
        )

    @pytest.mark.django_db
    def test_overdue_items_are_few_recent_and_say_why(self, demo):
        today = timezone.localdate()
        overdue = list(GovernanceItem.objects.filter(overdue_q(today)))
        assert 1 <= len(overdue) <= OVERDUE_AT_MOST
        for item in overdue:
            assert (today - item.due_on).days <= OVERDUE_DAYS, (item.title, item.due_on)
            assert item.updates.filter(text__startswith="逾期说明").exists(), item.title
        unclaimed = [i for i in overdue if i.status == ItemStatus.OPEN]
        assert len(unclaimed) <= 3
        # The rest are due in the coming weeks, or were finished.
        unfinished = GovernanceItem.objects.filter(
            status__in=[ItemStatus.OPEN, ItemStatus.CLAIMED, ItemStatus.SUBMITTED]
        )
        assert not unfinished.filter(due_on__gt=today + dt.timedelta(days=120)).exists()
        # The story's list is this quarter's: the dates follow the day the demo runs.
        assert GovernanceList.objects.filter(title=list_title(today), period_start__lte=today).exists()
        assert (
            ActionItem.objects.filter(due_on__lt=today - dt.timedelta(days=OVERDUE_DAYS))
            .exclude(status__in=[ActionStatus.DONE, ActionStatus.CANCELLED])
            .count()
            == 0
        )

    @pytest.mark.django_db
    def test_the_readme_login_table_lists_every_demo_account(self, demo):
        table = LOGIN_TABLE.search((ROOT / "README.md").read_text(encoding="utf-8"))
        assert table is not None, "README.md has no 'Demo logins' section"
        listed = set(re.findall(r"^\| `([^`]+)` \|", table.group(1), re.MULTILINE))
        accounts = {user.username for user in User.objects.all() if user.has_usable_password()}
        assert {username for username, *_rest in DEMO_USERS} <= accounts
        assert accounts - listed == set(), "demo accounts missing from README.md's login table"
        assert listed - accounts == set(), "README.md lists accounts the demo does not create"
