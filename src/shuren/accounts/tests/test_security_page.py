"""The user's security page: their API tokens (never a whole key), revoking one, signing out
everywhere."""

from __future__ import annotations

import pytest
from conftest import PASSWORD
from django.test import Client

from shuren.accounts.models import ApiToken
from shuren.accounts.roles import Role
from shuren.accounts.services import issue_api_token

pytestmark = pytest.mark.django_db
PAGE = "/accounts/security/"


@pytest.fixture
def resident(make_user, tree):
    return make_user(Role.RESIDENT, tree["grid_a1"], username="linxiaomei")


@pytest.fixture
def signed_in(client, resident):
    client.post("/accounts/login/", {"identity": "linxiaomei", "password": PASSWORD})
    return client


def api_me(key):
    return Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_the_page_lists_each_token_by_name_and_prefix_but_never_the_key(signed_in, resident):
    token, key = issue_api_token(user=resident, name="楼栋门禁")
    old, old_key = issue_api_token(user=resident, name="旧手机")
    ApiToken.objects.filter(pk=old.pk).update(revoked_at=old.created_at, revoked_reason="revoked")
    page = signed_in.get(PAGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert "楼栋门禁" in html and token.key_prefix in html and "旧手机" in html
    assert key not in html and old_key not in html
    assert [t.status for t in page.context["tokens"]] == ["revoked", "active"]


def test_a_user_revokes_their_own_token(signed_in, resident):
    token, key = issue_api_token(user=resident, name="脚本")
    assert api_me(key).status_code == 200
    response = signed_in.post(f"/accounts/security/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert api_me(key).status_code == 401


def test_nobody_revokes_or_sees_another_users_token(signed_in, make_user, tree):
    other = make_user(Role.RESIDENT, tree["grid_b1"], username="stranger")
    token, key = issue_api_token(user=other, name="他人的令牌")
    assert "他人的令牌" not in signed_in.get(PAGE).content.decode()
    assert signed_in.post(f"/accounts/security/tokens/{token.pk}/revoke/").status_code == 404
    assert api_me(key).status_code == 200


def test_the_page_and_its_actions_need_a_signed_in_user(client, resident):
    assert client.get(PAGE).status_code == 302
    assert client.post("/accounts/security/sign-out-everywhere/").status_code == 302


def test_sign_out_everywhere_is_a_post(signed_in):
    assert signed_in.get("/accounts/security/sign-out-everywhere/").status_code == 405
    assert signed_in.get(PAGE).status_code == 200
