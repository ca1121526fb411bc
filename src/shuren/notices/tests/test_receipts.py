"""Read receipts: opening the notice in the portal marks it read; the building leader marks the
households they told at the door (已告知); the households not yet reached stay on 我的楼栋 until
they are; the figures count both."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from shuren.notices import selectors
from shuren.notices.models import NoticeHousehold, NoticeReader

pytestmark = pytest.mark.django_db


def test_opening_a_notice_in_the_portal_marks_it_read_for_the_household(notice_world, client) -> None:
    notice = notice_world.published()
    client.force_login(notice_world.users["party"])
    listing = client.get("/my/notices/").content.decode()
    assert notice.title in listing and 'data-testid="unread"' in listing
    page = client.get(f"/my/notices/{notice.pk}/")
    assert page.status_code == 200 and notice.body in page.content.decode()
    reader = NoticeReader.objects.get(notice=notice, user=notice_world.users["party"])
    assert reader.read_at is not None
    household = reader.household
    assert household.read_at == reader.read_at
    # His wife lives in the same household: it is reached, though she has not read it herself.
    assert NoticeReader.objects.get(notice=notice, user=notice_world.users["wife"]).read_at is None
    assert 'data-testid="unread"' not in client.get("/my/notices/").content.decode()
    figures = selectors.notice_figures(notice)
    assert (figures.households, figures.read, figures.reached) == (6, 1, 1)


def test_the_leader_sees_the_households_not_reached_on_my_buildings_and_marks_them_told(
    notice_world, verified_client
) -> None:
    notice = notice_world.published()
    leader = verified_client(notice_world.users["leader"])
    page = leader.get("/orgs/posts/mine/").content.decode()
    assert 'data-testid="notices-unreached"' in page
    granny = NoticeHousehold.objects.get(notice=notice, dwelling=notice_world.dwelling(0, "101"))
    assert f'data-testid="tell-{granny.pk}"' in page
    assert "王秀英" not in page  # names are masked on the leader's page
    answer = leader.post(f"/notices/households/{granny.pk}/tell/", {"next": "/orgs/posts/mine/"})
    assert answer.status_code == 302 and answer["Location"] == "/orgs/posts/mine/"
    granny.refresh_from_db()
    assert granny.told_at is not None and granny.told_by == notice_world.users["leader"]
    assert f'data-testid="tell-{granny.pk}"' not in leader.get("/orgs/posts/mine/").content.decode()
    # Telling again keeps the first time.
    first = granny.told_at
    leader.post(f"/notices/households/{granny.pk}/tell/")
    granny.refresh_from_db()
    assert granny.told_at == first


def test_a_leader_cannot_mark_households_of_another_building(notice_world, verified_client) -> None:
    notice = notice_world.published(estate=notice_world.estate)
    other = NoticeHousehold.objects.get(notice=notice, building=notice_world.buildings[1])
    leader = verified_client(notice_world.users["leader"])
    assert leader.post(f"/notices/households/{other.pk}/tell/").status_code == 404
    shown = selectors.unreached_for(notice_world.users["leader"], notice_world.buildings)
    assert shown and {h.building_id for h in shown} == {notice_world.buildings[0].pk}


def test_figures_reach_100_percent_when_every_household_is_told(notice_world, verified_client) -> None:
    notice = notice_world.published()
    leader = verified_client(notice_world.users["leader"])
    for household in notice.targets.all():
        assert leader.post(f"/notices/households/{household.pk}/tell/").status_code == 302
    assert selectors.notice_figures(notice).percent == 100
    assert selectors.unreached_for(notice_world.users["leader"], [notice_world.buildings[0]]) == []
    page = leader.get("/orgs/posts/mine/").content.decode()
    assert "tell-" not in page
    staff = verified_client(notice_world.users["staff"])
    detail = staff.get(f"/notices/{notice.pk}/").content.decode()
    assert 'data-testid="reached-percent">100%' in detail
    figures = staff.get("/notices/figures/")
    assert figures.status_code == 200 and notice.title in figures.content.decode()


def test_the_figures_export_as_xlsx(notice_world, verified_client) -> None:
    import io

    notice = notice_world.published()
    notice.targets.filter(dwelling=notice_world.dwelling(0, "101")).update(told_at=notice.published_at)
    staff = verified_client(notice_world.users["staff"])
    answer = staff.get("/notices/figures/?format=xlsx")
    assert answer.status_code == 200
    sheet = load_workbook(
        io.BytesIO(b"".join(answer.streaming_content if answer.streaming else [answer.content]))
    ).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(rows) if row and row[0] == "通知 Notice")
    assert rows[header + 1][:6] == ["停水通知", 6, 0, 1, 1, "17%"]
    (grid,) = selectors.figures_by_place(notice_world.users["staff"], type(notice).objects.all())
    assert (grid.label, grid.households, grid.read, grid.told, grid.reached) == ("大新社区 大新社区第1网格", 6, 0, 1, 1)
    by_building = staff.get(f"/notices/{notice.pk}/?format=xlsx")
    assert by_building.status_code == 200
    assert by_building["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_residents_home_page_shows_the_unread_notice_until_read(notice_world, client) -> None:
    notice = notice_world.published(title="电梯维修通知")
    client.force_login(notice_world.users["unit2"])
    home = client.get("/me/").content.decode()
    assert 'data-testid="waiting-notices"' in home and "电梯维修通知" in home
    assert f'href="/my/notices/{notice.pk}/"' in home
    client.get(f"/my/notices/{notice.pk}/")
    assert selectors.unread_count(notice_world.users["unit2"]) == 0
    home = client.get("/me/").content.decode()
    assert 'data-testid="waiting-notices"' not in home and 'data-testid="tile-notices"' in home
    client.force_login(notice_world.users["b2"])  # nothing for building 2
    assert 'data-testid="waiting-notices"' not in client.get("/me/").content.decode()
