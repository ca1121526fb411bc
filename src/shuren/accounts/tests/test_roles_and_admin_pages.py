"""Separation of duties (三权分立) and the security administrator's pages."""

from __future__ import annotations

import pytest
from conftest import confirmed_seconds_ago
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shuren.accounts.models import RoleGrant, User
from shuren.accounts.roles import Role
from shuren.accounts.services import grant_role
from shuren.audit.models import AuditEvent
from shuren.core.errors import NotPermitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def secadmin(user_for_role):
    return user_for_role(Role.SECURITY_ADMIN)


def test_an_account_holds_at_most_one_admin_role(make_user, secadmin):
    auditor = make_user(Role.AUDITOR)
    with pytest.raises(ValidationError):
        grant_role(actor=secadmin, user=auditor, role=Role.SYSTEM_ADMIN)
    with transaction.atomic(), pytest.raises(IntegrityError):
        RoleGrant.objects.create(user=auditor, role=Role.SECURITY_ADMIN)  # the database refuses it too


def test_admin_and_ordinary_roles_do_not_mix(make_user, secadmin, tree):
    auditor = make_user(Role.AUDITOR)
    with pytest.raises(ValidationError):
        grant_role(actor=secadmin, user=auditor, role=Role.COMMUNITY_STAFF, area=tree["com_a"])
    staff = make_user(Role.COMMUNITY_STAFF, tree["com_a"])
    with pytest.raises(ValidationError):
        grant_role(actor=secadmin, user=staff, role=Role.SYSTEM_ADMIN)


def test_admin_roles_have_no_area_and_others_must(make_user, tree):
    user = make_user()
    with transaction.atomic(), pytest.raises(IntegrityError):
        RoleGrant.objects.create(user=user, role=Role.AUDITOR, area=tree["com_a"])
    with transaction.atomic(), pytest.raises(IntegrityError):
        RoleGrant.objects.create(user=user, role=Role.GRID_WORKER, area=None)


def test_no_account_can_be_a_superuser(make_user):
    user = make_user()
    user.is_superuser = True
    with transaction.atomic(), pytest.raises(IntegrityError):
        user.save()


def test_nobody_grants_roles_to_themselves(secadmin, tree):
    with pytest.raises(NotPermitted):
        grant_role(actor=secadmin, user=secadmin, role=Role.DISTRICT_STAFF, area=tree["district"])
    assert AuditEvent.objects.filter(action="accounts.role_grant", outcome="denied").exists()


def test_only_the_security_admin_grants_roles(user_for_role, make_user, tree):
    target = make_user()
    for role in (Role.SYSTEM_ADMIN, Role.AUDITOR, Role.COMMUNITY_SECRETARY, Role.DISTRICT_STAFF):
        with pytest.raises(NotPermitted):
            grant_role(actor=user_for_role(role), user=target, role=Role.RESIDENT, area=tree["grid_a1"])
    assert not target.role_grants.exists()


def test_system_admin_reads_neither_the_audit_log_nor_personal_data(user_for_role, verified_client):
    client = verified_client(user_for_role(Role.SYSTEM_ADMIN))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export/").status_code == 403
    assert (
        client.post("/pii/reveal/", {"model": "testapp.contact", "pk": 1, "field": "phone", "reason": "x"}).status_code
        == 403
    )
    assert client.get("/places/areas/").status_code == 200  # configuration is their job


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN, Role.COMMUNITY_SECRETARY])
def test_only_the_auditor_reads_the_audit_log(role, user_for_role, verified_client):
    assert verified_client(user_for_role(role)).get("/audit/").status_code == 403


def test_security_admin_creates_an_account_and_grants_a_role(secadmin, verified_client, tree):
    client = verified_client(secadmin)
    response = client.post(
        "/admin/accounts/users/new/",
        {"username": "liang", "full_name": "梁晓婷", "phone": "13800138004", "password": ""},
    )
    assert response.status_code == 302
    user = User.objects.get(username="liang")
    assert user.phone == "+8613800138004" and user.has_usable_password()
    response = client.post(
        f"/admin/accounts/users/{user.pk}/grant/", {"role": Role.GRID_WORKER, "area": tree["grid_a1"].pk}
    )
    assert response.status_code == 302
    assert user.role_grants.get().area == tree["grid_a1"]
    page = client.get(f"/admin/accounts/users/{user.pk}/").content.decode()
    assert "138****8004" in page and "13800138004" not in page
    assert AuditEvent.objects.filter(action="accounts.role_grant", object_id=str(user.pk)).exists()


def test_the_create_form_keeps_input_and_explains_errors(secadmin, verified_client):
    client = verified_client(secadmin)
    response = client.post(
        "/admin/accounts/users/new/",
        {"username": "wu", "full_name": "吴芳", "phone": "12345678901", "password": "short"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="吴芳"' in html and 'value="12345678901"' in html
    assert "手机号" in html or "mobile" in html
    assert not User.objects.filter(username="wu").exists()


def test_a_conflicting_grant_is_shown_on_the_form(secadmin, verified_client, make_user):
    auditor = make_user(Role.AUDITOR)
    response = verified_client(secadmin).post(f"/admin/accounts/users/{auditor.pk}/grant/", {"role": Role.SYSTEM_ADMIN})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert auditor.role_grants.count() == 1


def test_revoking_a_grant_takes_effect_immediately(secadmin, verified_client, user_for_role):
    staff = user_for_role(Role.COMMUNITY_STAFF)
    grant = staff.role_grants.get()
    verified_client(secadmin).post(f"/admin/accounts/users/{staff.pk}/grants/{grant.pk}/revoke/")
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    from shuren.core.scoping import has_action

    fresh = User.objects.get(pk=staff.pk)
    assert not has_action(fresh, "places.view_area")


def test_search_finds_an_account_by_mobile_number(secadmin, verified_client, make_user):
    make_user(username="he", phone="+8613800138005")
    make_user(username="other", phone="+8613800138099")
    page = verified_client(secadmin).get("/admin/accounts/users/?q=138 0013 8005").content.decode()
    assert ">he<" in page and ">other<" not in page


def test_role_changes_need_a_recent_reauthentication(secadmin, verified_client, make_user, tree):
    client = verified_client(secadmin)
    confirmed_seconds_ago(client, 10**9)
    user = make_user()
    response = client.post(
        f"/admin/accounts/users/{user.pk}/grant/", {"role": Role.RESIDENT, "area": tree["grid_a1"].pk}
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauth/")
    assert not user.role_grants.exists()
