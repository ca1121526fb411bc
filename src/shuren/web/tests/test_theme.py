"""The theme's server side: the large-text switch (device cookie and account), the context
processor that puts it on <html>, the one sub-navigation component and the style guide page."""

from __future__ import annotations

import pytest
from conftest import PASSWORD
from django.template import Context, RequestContext, Template
from django.test import Client, RequestFactory

from shuren.accounts.models import User
from shuren.accounts.roles import Role
from shuren.web.preferences import COOKIE, COOKIE_MAX_AGE

SWITCH = "/ui/text-size/"


@pytest.mark.django_db
def test_an_anonymous_visitor_switches_large_text_on_for_this_device(client):
    response = client.post(SWITCH, {"text_size": "large", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "large" and cookie["max-age"] == COOKIE_MAX_AGE and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    page = client.get("/accounts/login/").content.decode()
    assert 'aria-pressed="true"' in page and 'value="normal"' in page  # the switch now turns it off


@pytest.mark.django_db
def test_the_switch_never_sends_anyone_to_another_site(client):
    response = client.post(SWITCH, {"text_size": "large", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    response = client.post(SWITCH, {"text_size": "large"}, HTTP_REFERER="//evil.example/x")
    assert response["Location"] == "/"
    response = client.post(SWITCH, {"text_size": "large"}, HTTP_REFERER="http://testserver/me/")
    assert response["Location"] == "http://testserver/me/"


@pytest.mark.django_db
def test_the_switch_takes_only_a_post_with_a_csrf_token_and_a_known_size():
    client = Client(enforce_csrf_checks=True)
    assert client.get(SWITCH).status_code == 405
    assert client.post(SWITCH, {"text_size": "large"}).status_code == 403
    unknown = Client().post(SWITCH, {"text_size": "huge", "next": "/"})
    assert unknown.status_code == 302 and COOKIE not in unknown.cookies


@pytest.mark.django_db
def test_a_signed_in_user_keeps_large_text_on_a_new_device(user_for_role, verified_client):
    user = user_for_role(Role.COMMUNITY_STAFF)
    client = verified_client(user)
    client.post(SWITCH, {"text_size": "large", "next": "/dashboard/"})
    user.refresh_from_db()
    assert user.text_size == "large"

    phone = Client()  # another device: no cookie, only the account
    from conftest import sign_in_verified

    html = sign_in_verified(phone, user).get("/dashboard/").content.decode()
    assert '<html lang="zh-hans" class="text-large">' in html

    client.post(SWITCH, {"text_size": "normal", "next": "/dashboard/"})
    user.refresh_from_db()
    assert user.text_size == "normal"
    assert 'class="text-large"' not in phone.get("/dashboard/").content.decode()


@pytest.mark.django_db
def test_large_text_chosen_before_signing_in_becomes_the_accounts_choice(make_user, tree, client):
    user = make_user(Role.RESIDENT, tree["grid_a1"], username="linxiaomei")
    client.post(SWITCH, {"text_size": "large", "next": "/accounts/login/"})
    client.post("/accounts/login/", {"identity": "linxiaomei", "password": PASSWORD})
    user.refresh_from_db()
    assert user.text_size == "large"


@pytest.mark.django_db
def test_the_accounts_own_choice_wins_over_the_devices(make_user, tree, client):
    user = make_user(Role.RESIDENT, tree["grid_a1"], username="chenjianguo")
    User.objects.filter(pk=user.pk).update(text_size="normal")
    client.cookies[COOKIE] = "large"
    client.post("/accounts/login/", {"identity": "chenjianguo", "password": PASSWORD})
    user.refresh_from_db()
    assert user.text_size == "normal"
    assert 'class="text-large"' not in client.get("/me/").content.decode()


def test_the_context_processor_reads_the_cookie_and_ignores_unknown_values():
    from django.contrib.auth.models import AnonymousUser

    from shuren.web.context_processors import display

    for value, expected in (("large", "text-large"), ("normal", ""), ("<script>", ""), ("", "")):
        request = RequestFactory().get("/", HTTP_COOKIE=f"{COOKIE}={value}")
        request.user = AnonymousUser()
        assert display(request)["text_size_class"] == expected


def test_the_subnav_marks_the_page_shown_and_its_counts():
    request = RequestFactory().get("/governance/items/")
    html = Template(
        "{% load shuren_ui %}"
        '{% subnav label="页面" testid="probe-nav" %}'
        '{% subnav_item "清单" "/governance/items/" %}'
        '{% subnav_item "心愿" "/governance/wishes/" count=3 key="wishes" %}'
        "{% endsubnav %}"
    ).render(RequestContext(request, {}))
    html = " ".join(html.split())
    assert 'aria-label="页面"' in html and 'data-testid="probe-nav"' in html
    assert 'class="subnav-link active" href="/governance/items/" aria-current="page"' in html
    assert 'class="subnav-link" href="/governance/wishes/" data-tab="wishes"' in html
    assert 'data-testid="wishes-count">3<' in html


def test_the_subnav_include_takes_a_list_built_by_a_view():
    items = [("全部", "?tab=all", True, None), ("逾期", "?tab=overdue", False, 2, "overdue", "danger")]
    html = Template('{% include "web/components/subnav.html" with items=items label="诉求" %}').render(
        Context({"items": items})
    )
    html = " ".join(html.split())
    assert html.count("subnav-link") == 2 and html.count('aria-current="page"') == 1
    assert 'class="subnav-count is-danger" data-testid="overdue-count">2<' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [(Role.COMMUNITY_STAFF, 200), (Role.HANDLER, 200), (Role.RESIDENT, 403)])
def test_the_style_guide_is_for_staff(role, status, user_for_role, verified_client):
    response = verified_client(user_for_role(role)).get("/ui/styleguide/")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        for part in ('id="tokens"', 'data-testid="sample-subnav"', 'data-chart="styleguide-chart-data"', "is-invalid"):
            assert part in html, part


@pytest.mark.django_db
def test_the_style_guide_asks_an_anonymous_visitor_to_sign_in(client):
    response = client.get("/ui/styleguide/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _tokens(block: str) -> dict[str, str]:
    import re
    from pathlib import Path

    css = (Path(__file__).resolve().parents[1] / "static" / "web" / "shuren.css").read_text()
    body = css[css.index(block + " {") :]
    body = body[: body.index("}")]
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", body))


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        colour = colour.lstrip("#")
        if len(colour) == 3:
            colour = "".join(c * 2 for c in colour)
        channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_text_colour_of_the_theme_reads_at_4_5_to_1_or_better():
    """WCAG AA for the token pairs the theme draws text with (docs/ui.md lists them all)."""
    t = _tokens(":root")
    white = "#ffffff"
    pairs = [
        (t[f], t[b])
        for f in ("--sr-text", "--sr-text-muted", "--sr-primary-dark")
        for b in ("--sr-surface", "--sr-surface-muted", "--sr-primary-subtle")
    ]
    pairs += [
        (white, t[c])
        for c in (
            "--sr-primary",
            "--sr-primary-dark",
            "--sr-secondary",
            "--sr-success",
            "--sr-warning",
            "--sr-danger",
            "--sr-info",
        )
    ]
    pairs += [
        (t[c], t["--sr-surface"]) for c in ("--sr-primary", "--sr-success", "--sr-warning", "--sr-danger", "--sr-info")
    ]
    assert [(f, b, round(_contrast(f, b), 2)) for f, b in pairs if _contrast(f, b) < 4.5] == []
    assert _contrast(t["--sr-border-strong"], t["--sr-surface"]) >= 3  # a control's edge (WCAG 1.4.11)

    large = {**t, **_tokens("html.text-large")}
    for background in ("--sr-surface", "--sr-surface-muted"):
        assert _contrast(large["--sr-text-muted"], large[background]) >= 7  # AAA in large-text mode
        assert _contrast(large["--sr-text"], large[background]) >= 7
