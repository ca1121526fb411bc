"""`shuren open311-client`: staff register a client, see its key once, list, re-key and revoke."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from shuren.accounts.models import RoleGrant
from shuren.accounts.roles import Role
from shuren.core.scoping import has_action
from shuren.open311.models import Open311Client
from shuren.open311.services import authenticate_client, digest_of

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("open311-client", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_key_once_and_stores_only_its_digest(tree):
    output = run("create", "街坊通", "--area", tree["com_a"].path)
    key = output.strip().splitlines()[-1]
    client = Open311Client.objects.get(name="街坊通")
    assert client.key_digest == digest_of(key) and key not in client.key_digest
    assert client.area == tree["com_a"] and client.scope == tree["com_a"].path
    assert authenticate_client(key) == client
    listing = run("list")
    assert "街坊通" in listing and client.key_prefix in listing and key not in listing


def test_the_acting_account_cannot_sign_in_and_may_only_report_in_its_area(tree):
    run("create", "街坊通", "--area", tree["com_a"].path)
    user = Open311Client.objects.get().service_user
    assert not user.has_usable_password()
    assert list(RoleGrant.objects.filter(user=user).values_list("role", "area")) == [(Role.RESIDENT, tree["com_a"].pk)]
    assert has_action(user, "appeals.report")
    for action in ("appeals.view", "appeals.record", "appeals.dispatch", "people.view_person"):
        assert not has_action(user, action), action


def test_rotate_replaces_the_key_and_revoke_stops_the_client(tree):
    old = run("create", "街坊通", "--area", tree["com_a"].path).strip().splitlines()[-1]
    new = run("rotate", "街坊通").strip().splitlines()[-1]
    assert new != old
    assert authenticate_client(old) is None and authenticate_client(new) is not None
    run("revoke", "街坊通")
    assert authenticate_client(new) is None
    assert not Open311Client.objects.get().service_user.is_active


def test_mistakes_are_reported(tree):
    with pytest.raises(CommandError):
        run("create", "街坊通", "--area", "9999")
    run("create", "街坊通", "--area", tree["com_a"].path)
    with pytest.raises(CommandError):
        run("create", "街坊通", "--area", tree["com_a"].path)
    with pytest.raises(CommandError):
        run("revoke", "无此客户端")
