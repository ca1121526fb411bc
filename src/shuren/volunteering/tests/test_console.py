"""The staff console: activities (list, new, detail with sign-ups and the organiser's actions, QR
poster, corrections), volunteers (register with filters and export, approval queue, profile),
teams, the party members' progress and its export; out-of-scope objects answer 404."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from shuren.audit.models import AuditEvent
from shuren.volunteering import services
from shuren.volunteering.models import Activity, ServiceRecord, SignUp, VolunteerProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(vol_world, verified_client):
    return verified_client(vol_world.users["staff"])


def running(activity, minutes_since_start):
    """Move the activity so that it started ``minutes_since_start`` ago (pages are requested at the
    real time: a frozen clock would end the signed-in session)."""
    starts = timezone.now() - dt.timedelta(minutes=minutes_since_start)
    Activity.objects.filter(pk=activity.pk).update(starts_at=starts, ends_at=starts + dt.timedelta(hours=3))
    activity.refresh_from_db()
    return activity


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_staff_create_and_publish_an_activity_from_the_form(vol_world, staff_client):
    start = timezone.localtime(timezone.now() + dt.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    response = staff_client.post(
        reverse("volunteering:activity_new"),
        {
            "title": "人工湖清洁",
            "description": "带好手套",
            "location": "人工湖东门",
            "area": vol_world.tree["com_a"].pk,
            "estate": vol_world.estate.pk,
            "starts_at": local(start),
            "ends_at": local(start + dt.timedelta(hours=3)),
            "capacity": 10,
            "skills_wanted": ["7"],
            "points_per_hour": 0,
            "team": vol_world.team.pk,
            "approved_volunteers_only": "on",
            "publish": "on",
        },
    )
    activity = Activity.objects.get(title="人工湖清洁")
    assert response.status_code == 302 and response["Location"] == reverse(
        "volunteering:activity_detail", args=[activity.pk]
    )
    assert (activity.status, activity.capacity, activity.estate, activity.team) == (
        "published",
        10,
        vol_world.estate,
        vol_world.team,
    )
    assert activity.starts_at == start


def test_the_form_keeps_what_was_typed_and_explains_errors(vol_world, staff_client):
    response = staff_client.post(
        reverse("volunteering:activity_new"),
        {"title": "读书会", "location": "", "area": vol_world.tree["com_a"].pk, "capacity": 0},
    )
    assert response.status_code == 400
    assert 'value="读书会"' in response.content.decode()


def test_the_activity_page_shows_sign_ups_waitlist_check_ins_and_hours(vol_world, staff_client):
    activity = vol_world.activity(capacity=1)
    signup = services.sign_up(actor=vol_world.volunteer("booked", "陈志强"), activity=activity)
    services.sign_up(actor=vol_world.volunteer("waiting", "李婆婆"), activity=activity)
    with freeze_time(activity.starts_at - dt.timedelta(minutes=5)):
        services.check_in(actor=vol_world.users["staff"], signup=signup)
    with freeze_time(activity.starts_at + dt.timedelta(minutes=100)):
        services.check_out(actor=vol_world.users["staff"], signup=signup)
    page = staff_client.get(reverse("volunteering:activity_detail", args=[activity.pk])).content.decode()
    assert "陈志强" in page and "李婆婆" in page
    assert f'data-testid="proposal-{signup.pk}">100' in page
    assert f'data-testid="confirm-{signup.pk}"' in page
    assert 'data-testid="waitlist"' in page


def test_the_organiser_checks_in_out_and_confirms_from_the_page(vol_world, staff_client):
    activity = vol_world.activity()
    signup = services.sign_up(actor=vol_world.volunteer("booked"), activity=activity)
    url = lambda action: reverse("volunteering:signup_action", args=[activity.pk, signup.pk, action])  # noqa: E731
    running(activity, 90)
    assert staff_client.post(url("checkin")).status_code == 302
    checkin = SignUp.objects.get(pk=signup.pk).checkin
    type(checkin).objects.filter(pk=checkin.pk).update(checked_in_at=activity.starts_at)
    assert staff_client.post(url("checkout")).status_code == 302
    response = staff_client.post(url("confirm"), {"minutes": "", "description": ""})
    assert response.status_code == 302
    record = ServiceRecord.objects.get(signup=signup)
    assert (record.minutes, record.proposed_minutes) == (90, 90)
    # Changing minutes after confirmation goes through a correction.
    response = staff_client.post(
        reverse("volunteering:record_correct", args=[record.pk]), {"minutes": "30", "reason": "帮忙收尾"}
    )
    assert response.status_code == 302
    assert services.total_minutes(record) == 120


def test_the_organiser_signs_up_someone_at_the_door(vol_world, staff_client):
    activity = vol_world.activity()
    vol_world.volunteer("walk_in", "何建华")
    running(activity, 10)
    response = staff_client.post(
        reverse("volunteering:activity_door", args=[activity.pk]),
        {"person": vol_world.people["walk_in"].pk, "check_in_now": "on"},
    )
    assert response.status_code == 302, response.context["door_form"].errors
    signup = SignUp.objects.get(activity=activity, person=vol_world.people["walk_in"])
    assert signup.checkin.checked_in_by == "organiser"


def test_cancel_from_the_page_needs_a_reason(vol_world, staff_client):
    activity = vol_world.activity()
    url = reverse("volunteering:activity_action", args=[activity.pk, "cancel"])
    assert staff_client.post(url, {"version": activity.version, "reason": ""}).status_code == 400
    assert staff_client.post(url, {"version": activity.version, "reason": "场地临时占用"}).status_code == 302
    activity.refresh_from_db()
    assert activity.status == "cancelled"


def test_a_stale_version_changes_nothing(vol_world, staff_client):
    activity = vol_world.activity(publish=False)
    url = reverse("volunteering:activity_action", args=[activity.pk, "publish"])
    staff_client.post(url, {"version": activity.version + 5})
    activity.refresh_from_db()
    assert activity.status == "draft"


def test_the_poster_shows_the_qr_code_with_the_check_in_address(vol_world, staff_client):
    activity = vol_world.activity()
    page = staff_client.get(reverse("volunteering:activity_poster", args=[activity.pk])).content.decode()
    assert "data:image/svg+xml" in page
    assert reverse("volunteering_portal:checkin", args=[activity.checkin_token]) in page


def test_activities_and_volunteers_of_another_community_answer_404(vol_world, verified_client):
    activity = vol_world.activity()
    vol_world.volunteer("ours")
    profile = VolunteerProfile.objects.get(person=vol_world.people["ours"])
    client = verified_client(vol_world.users["staff_b"])
    for url in (
        reverse("volunteering:activity_detail", args=[activity.pk]),
        reverse("volunteering:activity_poster", args=[activity.pk]),
        reverse("volunteering:volunteer_detail", args=[profile.pk]),
    ):
        assert client.get(url).status_code == 404
    listing = client.get(reverse("volunteering:activity_list")).content.decode()
    assert activity.title not in listing


def test_volunteer_register_filters_by_status_skill_team_and_pinyin(vol_world, staff_client):
    staff = vol_world.users["staff"]
    vol_world.volunteer("chen", "陈志强")
    vol_world.volunteer("lin", "林小梅", status="applied")
    services.register_volunteer(
        actor=vol_world.users["chen"], skills=[services_skill("photography")], teams=[vol_world.team]
    )
    url = reverse("volunteering:volunteer_list")
    assert "陈志强" in staff_client.get(url, {"q": "chenzhi"}).content.decode()
    assert "林小梅" not in staff_client.get(url, {"q": "chenzhi"}).content.decode()
    assert "林小梅" in staff_client.get(url, {"status": "applied"}).content.decode()
    skill = services_skill("photography")
    by_skill = staff_client.get(url, {"skill": skill.pk}).content.decode()
    assert "陈志强" in by_skill and "林小梅" not in by_skill
    by_team = staff_client.get(url, {"team": vol_world.team.pk}).content.decode()
    assert "陈志强" in by_team and "林小梅" not in by_team
    assert staff is not None


def services_skill(code):
    from shuren.volunteering.models import Skill

    return Skill.objects.get(code=code)


def test_the_approval_queue_approves_and_rejects(vol_world, staff_client):
    vol_world.volunteer("a1", "申请人甲", status="applied")
    vol_world.volunteer("a2", "申请人乙", status="applied")
    one = VolunteerProfile.objects.get(person__name="申请人甲")
    two = VolunteerProfile.objects.get(person__name="申请人乙")
    page = staff_client.get(reverse("volunteering:volunteer_queue")).content.decode()
    assert "申请人甲" in page and "申请人乙" in page
    staff_client.post(
        reverse("volunteering:volunteer_decide", args=[one.pk, "approve"]), {"version": one.version, "next": "queue"}
    )
    response = staff_client.post(
        reverse("volunteering:volunteer_decide", args=[two.pk, "reject"]), {"version": two.version, "note": ""}
    )
    assert response.status_code == 400
    staff_client.post(
        reverse("volunteering:volunteer_decide", args=[two.pk, "reject"]),
        {"version": two.version, "note": "不在本社区居住"},
    )
    assert dict(VolunteerProfile.objects.values_list("person__name", "status")) == {
        "申请人甲": "approved",
        "申请人乙": "rejected",
    }


def test_the_volunteer_page_shows_hours_and_history(vol_world, staff_client):
    activity = vol_world.activity()
    signup = services.sign_up(actor=vol_world.volunteer("chen", "陈志强"), activity=activity)
    with freeze_time(activity.ends_at + dt.timedelta(minutes=1)):
        services.confirm_hours(actor=vol_world.users["staff"], signup=signup, minutes=90)
    profile = VolunteerProfile.objects.get(person=vol_world.people["chen"])
    page = staff_client.get(reverse("volunteering:volunteer_detail", args=[profile.pk])).content.decode()
    assert activity.title in page and "1.5" in page


def test_the_volunteer_page_lists_teams_with_any_role_above_member(vol_world, staff_client):
    from shuren.orgs.models import Membership, MembershipRole, Organization

    vol_world.volunteer("chen", "陈志强")
    person = vol_world.people["chen"]
    Membership.objects.create(organization=vol_world.team, person=person, role=MembershipRole.CAPTAIN)
    choir = Organization.objects.create(kind=vol_world.team.kind, name="夕阳红合唱团", area=vol_world.team.area)
    Membership.objects.create(organization=choir, person=person)
    profile = VolunteerProfile.objects.get(person=person)
    page = staff_client.get(reverse("volunteering:volunteer_detail", args=[profile.pk])).content.decode()
    teams = page.split('data-testid="teams">')[1].split("</dd>")[0].strip()
    assert teams == "大新青年志愿服务队（队长）、夕阳红合唱团"


def test_the_export_lists_volunteers_with_hours_and_is_audited(vol_world, staff_client):
    vol_world.volunteer("chen", "陈志强")
    response = staff_client.get(reverse("volunteering:volunteer_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "姓名 Name"
    assert rows[2][0] == "陈志强"
    assert AuditEvent.objects.filter(action="volunteering.export_volunteers").count() == 1


def test_teams_overview_counts_members_and_hours(vol_world, staff_client):
    from shuren.orgs.models import Membership

    vol_world.volunteer("chen", "陈志强")
    Membership.objects.create(organization=vol_world.team, person=vol_world.people["chen"], role="member")
    page = staff_client.get(reverse("volunteering:team_list")).content.decode()
    assert "大新青年志愿服务队" in page and "金旗峰志愿服务队" not in page


def test_party_progress_page_filters_those_behind_and_exports(vol_world, staff_client):
    vol_world.volunteer("zhang", "张天宝", party=True)
    vol_world.volunteer("huang", "黄伯荣", party=True)
    ServiceRecord.objects.create(
        person=vol_world.people["zhang"],
        served_on=dt.date(timezone.localdate().year, 1, 1),
        minutes=60 * 60,
        confirmed_by=vol_world.users["staff"],
        confirmed_at=timezone.now(),
        scope=vol_world.tree["com_a"].path,
    )
    url = reverse("volunteering:progress")
    page = staff_client.get(url).content.decode()
    assert "张天宝" in page and "黄伯荣" in page
    behind = staff_client.get(url, {"community": vol_world.tree["com_a"].pk, "behind": "on"}).content.decode()
    assert "黄伯荣" in behind and "张天宝" not in behind
    response = staff_client.get(reverse("volunteering:progress_export"), {"behind": "on"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[2:]] == ["黄伯荣"]
    assert AuditEvent.objects.filter(action="volunteering.export_progress").count() == 1


def test_party_progress_needs_the_affiliation_permission_and_own_communities(vol_world, verified_client, make_user):
    from shuren.accounts.models import RoleGrant

    # A reader of volunteering without people.view_affiliation: none of the seeded roles is one,
    # so take away the grant's role table entry by using a handler (no volunteering.view at all).
    handler = make_user("handler", vol_world.tree["com_a"])
    assert verified_client(handler).get(reverse("volunteering:progress")).status_code == 403
    staff = vol_world.users["staff"]
    client = verified_client(staff)
    response = client.get(reverse("volunteering:progress"), {"community": vol_world.tree["com_b"].pk})
    assert response.status_code == 404
    assert RoleGrant.objects.filter(user=staff).count() == 1


@pytest.mark.parametrize("page", ["activity_list", "volunteer_list", "volunteer_queue"])
def test_a_console_list_costs_the_same_queries_for_one_row_or_many(vol_world, staff_client, page):
    """The activities, the volunteers (with their teams and hours) and the registrations awaiting
    approval read no more for more rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse(f"volunteering:{page}")
    status = "applied" if page == "volunteer_queue" else "approved"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries), response.content.decode()

    def volunteer_at(username, name, title):
        user = vol_world.volunteer(username, name, status=status)
        activity = vol_world.activity(title=title, capacity=5)
        if status == "approved":
            services.sign_up(actor=user, activity=activity)

    volunteer_at("chen", "陈志强", "活动")
    few, _html = queries()
    for n, name in enumerate(["林小梅", "王建国", "赵春花"]):
        volunteer_at(f"v{n}", name, f"活动{n}")
    many, html = queries()
    assert ("赵春花" in html) == (page != "activity_list") and ("活动2" in html) == (page == "activity_list")
    assert many == few
