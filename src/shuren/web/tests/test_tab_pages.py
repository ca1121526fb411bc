"""The pages of the tab bar that belong to the shell: 全部服务 (every page the user may open, grouped)
and 我的 (who and where the user is, their account, display preferences, signing out); the tab bar
itself, drawn the same in both shells."""

from __future__ import annotations

import re

import pytest

from shuren.accounts.roles import Role
from shuren.web.navigation import navigation_for

pytestmark = pytest.mark.django_db


def _flat(html: str) -> str:
    return " ".join(html.split())


def _tiles(html: str) -> list[str]:
    return re.findall(r'<a class="service-tile" href="([^"]+)"', _flat(html))


@pytest.mark.parametrize("role", list(Role))
def test_all_services_lists_every_page_the_role_may_open_and_nothing_else(role, user_for_role, verified_client):
    user = user_for_role(role)
    response = verified_client(user).get("/services/")
    assert response.status_code == 200
    tiles = _tiles(response.content.decode())
    entries = navigation_for(user)
    assert sorted(tiles) == sorted(entry.url for entry in entries)
    assert len(tiles) == len(set(tiles))


def test_residents_see_their_services_in_the_portal_and_staff_in_the_console(user_for_role, verified_client):
    resident = verified_client(user_for_role(Role.RESIDENT)).get("/services/")
    assert "web/portal_base.html" in [t.name for t in resident.templates]
    html = _flat(resident.content.decode())
    assert re.findall(r'data-testid="services-([a-z_]+)"', html) == ["my_community"]
    leader = verified_client(user_for_role(Role.BUILDING_LEADER)).get("/services/")
    assert "web/console.html" in [t.name for t in leader.templates]
    html = _flat(leader.content.decode())
    shown = re.findall(
        r'<section class="services-group[^"]*" aria-labelledby="[^"]+" data-testid="services-([a-z_]+)"', html
    )
    assert shown[-1] == "my_community" and "workbench" in shown  # the leader's own pages apart, last


def test_a_user_without_a_role_is_sent_to_the_home_page_that_says_what_to_do(make_user, verified_client):
    client = verified_client(make_user())
    assert client.get("/services/")["Location"] == "/"
    assert client.get("/my/")["Location"] == "/"


def test_the_tab_pages_need_a_signed_in_user(client):
    for path in ("/services/", "/my/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_my_page_says_who_and_where_i_am(user_for_role, verified_client):
    user = user_for_role(Role.RESIDENT)
    user.full_name = "林小梅"
    user.save(update_fields=["full_name"])
    html = _flat(verified_client(user).get("/my/").content.decode())
    assert 'data-testid="me-name">林小梅<' in html
    place = re.search(r'data-testid="me-place">(.*?)</div>', html).group(1)
    assert "居民" in place and "桂城街道 · 大新社区 · 大新社区第1网格" in place
    assert 'href="/accounts/security/"' in html and 'href="/notifications/preferences/"' in html
    assert html.count('class="language-switch"') == 1  # the display preferences, not twice on the page
    assert 'action="/accounts/logout/"' in html and 'data-testid="me-sign-out"' in html


def test_my_page_leaves_out_a_revoked_role(user_for_role, verified_client):
    from django.utils import timezone

    user = user_for_role(Role.GRID_WORKER)
    grant = user.role_grants.get()
    user.role_grants.create(role=Role.RESIDENT, area=grant.area, revoked_at=timezone.now())
    html = _flat(verified_client(user).get("/my/").content.decode())
    places = re.findall(r'data-testid="me-place">(.*?)</div>', html)
    assert len(places) == 1 and "网格员" in places[0]


def _tabs(html: str) -> list[tuple[str, str, bool]]:
    html = _flat(html)
    bar = html[html.index('data-testid="tabbar"') :]
    bar = bar[: bar.index("</nav>")]
    found = re.findall(
        r'<a class="tabbar-tab tabbar-([a-z]+)" href="([^"]+)" data-testid="tab-[a-z]+"( aria-current)?', bar
    )
    return [(key, href, bool(current)) for key, href, current in found]


def test_a_resident_has_four_tabs_and_the_page_shown_is_lit(user_for_role, verified_client):
    client = verified_client(user_for_role(Role.RESIDENT))
    assert _tabs(client.get("/me/").content.decode()) == [
        ("home", "/me/", True),
        ("services", "/services/", False),
        ("messages", "/notifications/", False),
        ("me", "/my/", False),
    ]
    # One of her services is 办事's; her inbox is 消息's; 我的 is its own.
    assert [t[2] for t in _tabs(client.get("/my/appeals/").content.decode())] == [False, True, False, False]
    assert [t[2] for t in _tabs(client.get("/notifications/").content.decode())] == [False, False, True, False]
    assert [t[2] for t in _tabs(client.get("/my/").content.decode())] == [False, False, False, True]


def test_staff_tabs_start_from_their_own_home(user_for_role, verified_client):
    grid = _tabs(verified_client(user_for_role(Role.GRID_WORKER)).get("/dashboard/").content.decode())
    assert [(key, href) for key, href, _current in grid][0] == ("home", "/dashboard/")
    leader = verified_client(user_for_role(Role.BUILDING_LEADER))
    tabs = _tabs(leader.get("/orgs/posts/mine/").content.decode())
    assert tabs[0] == ("home", "/orgs/posts/mine/", True)
    # The leader's resident pages keep the same bar, led by their workbench.
    assert _tabs(leader.get("/me/").content.decode())[0] == ("home", "/orgs/posts/mine/", False)


def test_the_messages_tab_counts_what_is_unread(user_for_role, verified_client):
    from shuren.notifications.services import notify

    user = user_for_role(Role.RESIDENT)
    for n in range(3):
        notify(kind="tests.reminder", event_key=f"t:{n}", recipients=[user], subject="停水通知", text="明日停水")
    html = _flat(verified_client(user).get("/me/").content.decode())
    messages = html[html.index('data-testid="tab-messages"') :]
    messages = messages[: messages.index("</a>")]
    assert 'data-testid="tab-unread">3<' in messages
