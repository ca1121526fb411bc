"""The public board (件件有回音, /board/): resolved appeals the desk confirmed, redacted, searchable, open to all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shuren.accounts.roles import Role
from shuren.appeals import services
from shuren.appeals.models import Appeal
from shuren.appeals.services import AppealLocation
from shuren.appeals.testing import confirm_publication
from shuren.places.models import Building, Estate

pytestmark = pytest.mark.django_db

BOARD = "/board/"


@pytest.fixture(autouse=True)
def english_and_fresh_counts(client):
    from django.core.cache import cache

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    cache.clear()  # the per-category counts are cached for a few minutes


def resolve(appeal: Appeal, *, desk, handler, organization, reply: str) -> Appeal:
    appeal = services.dispatch_appeal(
        actor=desk, appeal=appeal, version=appeal.version, organization=organization, reason="物业负责小区公共部分"
    )
    appeal = services.take_up_appeal(actor=handler, appeal=appeal, version=appeal.version)
    return services.resolve_appeal(actor=handler, appeal=appeal, version=appeal.version, resolution=reply)


@pytest.fixture
def board(appeal_world, make_user):
    """Appeals at every stage in two communities; only some belong on the board."""
    world = appeal_world
    desk, handler = world.users["staff"], world.users["handler"]
    handler.full_name = "张师傅"
    handler.save()

    charging = world.submit(description="有人在楼道给电动车充电，飞线很危险，请联系我13800138000")
    charging = resolve(
        charging,
        desk=desk,
        handler=handler,
        organization=world.property_manager,
        reply="已拆除飞线，如再发现请拨打13912345678或到3单元1202室物业前台反映",
    )
    # The desk's summary slips in a number: the board scrubs it again when showing it.
    charging = services.set_publication(
        actor=desk,
        appeal=charging,
        version=charging.version,
        published=True,
        summary="业主（电话13800138000）反映楼道有电动车充电飞线",
    )
    services.give_feedback(
        actor=world.users["resident"], appeal=charging, version=charging.version, is_solved=True, satisfaction=5
    )
    still_open = world.submit(category="noise", description="晚上十一点后楼上还在装修，噪音很大")
    dispute = world.submit(category="dispute", description="和邻居因为漏水的赔偿吵架，需要调解")
    dispute = resolve(dispute, desk=desk, handler=handler, organization=world.property_manager, reply="已组织双方调解")
    withdrawn = world.submit(category="greenery", description="花园里的树枝挡住了路灯")
    withdrawn = resolve(withdrawn, desk=desk, handler=handler, organization=world.property_manager, reply="已修剪树枝")
    services.set_publication(
        actor=desk, appeal=withdrawn, version=withdrawn.version, published=False, summary=withdrawn.public_summary
    )

    tree = world.tree
    estate_b = Estate.objects.create(community=tree["com_b"], name="金旗峰花园")
    building_b = Building.objects.create(estate=estate_b, grid=tree["grid_b1"], number="3座")
    resident_b = make_user(Role.RESIDENT, tree["grid_b1"], username="resident_b")
    lift = world.submit(
        actor=resident_b,
        category="lift",
        location=AppealLocation(building=building_b),
        description="电梯经常停在八楼不动，老人上下楼不方便",
    )
    lift = resolve(
        lift,
        desk=world.users["staff_b"],
        handler=world.users["other_handler"],
        organization=world.other_manager,
        reply="已请维保单位更换电梯控制板",
    )
    lift = confirm_publication(lift, world.users["staff_b"])
    return {
        "charging": charging,
        "open": still_open,
        "dispute": dispute,
        "withdrawn": withdrawn,
        "lift": lift,
        "estate_b": estate_b,
    }


def test_only_published_resolved_appeals_with_numbers_scrubbed(client, appeal_world, board):
    html = client.get(BOARD).content.decode()

    assert "反映楼道有电动车充电飞线" in html and "已拆除飞线" in html and "更换电梯控制板" in html
    assert "[电话]" in html and "[房号]" in html
    for secret in ("13800138000", "13912345678", "1202", "林小梅", "张师傅", "pm_clerk"):
        assert secret not in html, secret
    for hidden in ("噪音很大", "需要调解", "已组织双方调解", "树枝"):
        assert hidden not in html, hidden
    assert html.count('data-testid="board-item"') == 2
    assert "富丰新城" in html and "金旗峰花园" in html  # the estate, never the building or room
    assert 'aria-label="Satisfaction 5 of 5"' in html  # the rating given


def test_an_anonymous_visitor_opens_the_board_without_a_session(client, board):
    response = client.get(BOARD)
    assert response.status_code == 200
    assert not response.cookies  # no session, no CSRF cookie: a proxy may cache it
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" not in response.content.decode()
    detail = client.get(reverse("appeals_board:detail", kwargs={"pk": board["charging"].pk}))
    assert detail.status_code == 200 and not detail.cookies and "[电话]" in detail.content.decode()
    for unpublished in ("open", "dispute", "withdrawn"):
        assert client.get(reverse("appeals_board:detail", kwargs={"pk": board[unpublished].pk})).status_code == 404


def test_filters_by_estate_category_and_words(client, appeal_world, board):
    def items(**params):
        html = client.get(BOARD, params).content.decode()
        return html, html.count('data-testid="board-item"')

    html, count = items(estate=appeal_world.estate.pk)
    assert count == 1 and "飞线" in html and "电梯控制板" not in html
    html, count = items(estate=board["estate_b"].pk)
    assert count == 1 and "电梯控制板" in html
    html, count = items(category=appeal_world.category("safety").pk)  # a parent covers its children
    assert count == 1 and "飞线" in html
    html, count = items(category=appeal_world.category("lift").pk)
    assert count == 1 and "电梯控制板" in html
    html, count = items(q="电梯")
    assert count == 1 and "电梯控制板" in html
    html, count = items(q="电梯", estate=appeal_world.estate.pk)
    assert count == 0 and 'data-testid="board-empty"' in html


def test_the_board_never_searches_numbers(client, board):
    html = client.get(BOARD, {"q": "13800138000"}).content.decode()
    assert 'data-testid="numbers-ignored"' in html
    # The number is dropped from the search: the board neither confirms nor denies it.
    assert html.count('data-testid="board-item"') == 2
    html = client.get(BOARD, {"q": "1202 电梯"}).content.decode()
    assert 'data-testid="numbers-ignored"' in html and html.count('data-testid="board-item"') == 1


def test_per_category_counts(client, appeal_world, board):
    html = client.get(BOARD).content.decode()
    counts = html.split('data-testid="category-counts"')[1].split("</ul>")[0]
    safety, facilities = appeal_world.category("safety"), appeal_world.category("facilities")
    assert f"category={safety.pk}" in counts and f"category={facilities.pk}" in counts
    assert counts.count('data-testid="count">1<') == 2
    assert "category=" + str(appeal_world.category("neighbours").pk) not in counts  # nothing published there


def test_the_board_paginates(client, board, monkeypatch):
    from shuren.appeals.views import board as board_views

    monkeypatch.setattr(board_views, "PAGE_SIZE", 1)
    first = client.get(BOARD).content.decode()
    second = client.get(BOARD, {"page": 2}).content.decode()
    assert first.count('data-testid="board-item"') == 1 and second.count('data-testid="board-item"') == 1
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert ("电梯控制板" in first) != ("电梯控制板" in second)


def test_the_board_reads_in_a_fixed_number_of_queries(client, appeal_world, board):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        client.get(BOARD)
    for text in ("楼道堆放杂物挡住消防通道", "地下车库的灯坏了好几盏"):
        appeal = appeal_world.submit(category="fire-passage", description=text)
        appeal = resolve(
            appeal,
            desk=appeal_world.users["staff"],
            handler=appeal_world.users["handler"],
            organization=appeal_world.property_manager,
            reply="已清理",
        )
        confirm_publication(appeal, appeal_world.users["staff"])
    cache.clear()
    with CaptureQueriesContext(connection) as four:
        html = client.get(BOARD).content.decode()
    assert html.count('data-testid="board-item"') == 4
    assert len(four) == len(two)
