"""Configuring appeals in the staff console: categories, dispatch rules, handler accounts, intake
policies and working-day overrides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from shuren.accounts.roles import Role
from shuren.appeals.models import Category, DispatchRule, Handler, IntakePolicy
from shuren.audit.models import AuditEvent
from shuren.core.models import WorkdayOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(make_user):
    return make_user(Role.SYSTEM_ADMIN, None, username="sysadmin")


def test_the_system_administrator_edits_a_categorys_deadlines(appeal_world, sysadmin, verified_client):
    client = verified_client(sysadmin)
    page = client.get(reverse("appeals:category_list")).content.decode()
    assert 'data-category="ebike-charging"' in page and "电动车违规充电" in page
    lift = Category.objects.get(code="lift")
    url = reverse("appeals:category_edit", args=[lift.pk])
    form = client.get(url).content.decode()
    assert "disabled" in form.split('name="code"')[1].split(">")[0]
    data = {
        "code": "changed",
        "name": "电梯故障",
        "name_en": "Lift out of order",
        "parent": lift.parent_id,
        "response_hours": 1,
        "resolution_hours": 8,
        "is_active": "on",
        "is_published": "on",
        "sort_order": 5,
    }
    assert client.post(url, data).status_code == 302
    lift.refresh_from_db()
    assert (lift.code, lift.resolution_hours, lift.sort_order) == ("lift", 8, 5)
    event = AuditEvent.objects.get(action="appeals.category_save")
    assert event.detail["resolution_hours"] == 8 and "resolution_hours" in event.detail["changed"]


def test_a_new_subcategory_and_no_cycles(appeal_world, sysadmin, verified_client):
    client = verified_client(sysadmin)
    traffic = Category.objects.get(code="traffic")
    response = client.post(
        reverse("appeals:category_new"),
        {
            "code": "shared-bikes",
            "name": "共享单车乱停",
            "parent": traffic.pk,
            "response_hours": 2,
            "resolution_hours": 24,
            "is_active": "on",
            "sort_order": 0,
        },
    )
    assert response.status_code == 302
    bikes = Category.objects.get(code="shared-bikes")
    assert bikes.parent_id == traffic.pk and not bikes.is_published
    # A category cannot move beneath its own child.
    response = client.post(
        reverse("appeals:category_edit", args=[traffic.pk]),
        {"name": "交通停车", "parent": bikes.pk, "response_hours": 2, "resolution_hours": 24, "sort_order": 0},
    )
    assert response.status_code == 200 and "id_parent_errors" in response.content.decode()


def test_categories_are_for_the_system_administrator_only(appeal_world, verified_client):
    client = verified_client(appeal_world.users["staff"])
    assert client.get(reverse("appeals:category_list")).status_code == 403
    lift = Category.objects.get(code="lift")
    assert client.post(reverse("appeals:category_edit", args=[lift.pk]), {"name": "x"}).status_code == 403


def test_the_desk_adds_edits_and_deactivates_rules_of_its_areas(appeal_world, verified_client):
    client = verified_client(appeal_world.users["staff"])
    page = client.get(reverse("appeals:rule_list")).content.decode()
    assert "富丰物业" in page and "区城管执法局" not in page.split('data-testid="rule-test"')[0]
    noise = Category.objects.get(code="noise")
    response = client.post(
        reverse("appeals:rule_new"),
        {
            "area": appeal_world.tree["com_a"].pk,
            "category": noise.pk,
            "estate": appeal_world.estate.pk,
            "organization": appeal_world.property_manager.pk,
            "priority": 10,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule = DispatchRule.objects.get(category=noise)
    assert rule.scope == appeal_world.tree["com_a"].path
    assert AuditEvent.objects.filter(action="appeals.rule_save").exists()

    url = reverse("appeals:rule_edit", args=[rule.pk])
    data = {
        "area": appeal_world.tree["com_a"].pk,
        "category": noise.pk,
        "organization": appeal_world.residents_committee.pk,
        "priority": 20,
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    rule.refresh_from_db()
    assert rule.organization_id == appeal_world.residents_committee.pk and rule.estate_id is None

    assert client.post(reverse("appeals:rule_toggle", args=[rule.pk])).status_code == 302
    rule.refresh_from_db()
    assert not rule.is_active
    assert AuditEvent.objects.get(action="appeals.rule_active").detail == {"active": False}


def test_a_rule_cannot_name_an_organisation_of_another_community(appeal_world, verified_client):
    client = verified_client(appeal_world.users["subdistrict"])
    response = client.post(
        reverse("appeals:rule_new"),
        {"area": appeal_world.tree["com_a"].pk, "organization": appeal_world.other_manager.pk, "priority": 1},
    )
    assert response.status_code == 200
    assert "id_organization_errors" in response.content.decode()


def test_rules_outside_the_users_areas_are_not_found(appeal_world, verified_client):
    rule = DispatchRule.objects.create(area=appeal_world.tree["com_b"], organization=appeal_world.other_manager)
    client = verified_client(appeal_world.users["staff"])
    assert client.get(reverse("appeals:rule_edit", args=[rule.pk])).status_code == 404
    assert client.post(reverse("appeals:rule_toggle", args=[rule.pk])).status_code == 404
    assert DispatchRule.objects.get(pk=rule.pk).is_active
    assert "金旗峰物业" not in client.get(reverse("appeals:rule_list")).content.decode()


def test_the_rule_tester_names_the_suggested_organisation(appeal_world, verified_client):
    client = verified_client(appeal_world.users["staff"])
    params = {
        "test_category": Category.objects.get(code="ebike-charging").pk,
        "test_building": appeal_world.buildings[0].pk,
    }
    page = client.get(reverse("appeals:rule_list"), params).content.decode()
    result = page.split('data-testid="rule-test-result"')[1]
    assert "富丰物业" in result
    # htmx asks for the answer alone.
    params["test_category"] = Category.objects.get(code="noise").pk
    response = client.get(reverse("appeals:rule_list"), params, HTTP_HX_REQUEST="true")
    partial = response.content.decode()
    assert "<html" not in partial and "大新居委会" in partial


def test_linking_a_handler_account_to_an_organisation(appeal_world, make_user, verified_client):
    clerk = make_user(Role.HANDLER, appeal_world.tree["com_a"], username="new_clerk")
    outsider = make_user(Role.HANDLER, appeal_world.tree["com_b"], username="far_clerk")
    client = verified_client(appeal_world.users["staff"])
    page = client.get(reverse("appeals:handler_accounts")).content.decode()
    assert "new_clerk" in page and "far_clerk" not in page and "jqf_clerk" not in page
    response = client.post(
        reverse("appeals:handler_accounts"), {"user": clerk.pk, "organization": appeal_world.property_manager.pk}
    )
    assert response.status_code == 302
    assert Handler.objects.filter(user=clerk, organization=appeal_world.property_manager, is_active=True).exists()
    response = client.post(
        reverse("appeals:handler_accounts"), {"user": outsider.pk, "organization": appeal_world.property_manager.pk}
    )
    assert response.status_code == 200 and not Handler.objects.filter(user=outsider).exists()

    link = Handler.objects.get(user=appeal_world.users["handler"])
    assert client.post(reverse("appeals:handler_toggle", args=[link.pk])).status_code == 302
    assert not Handler.objects.get(pk=link.pk).is_active
    other = Handler.objects.get(user=appeal_world.users["other_handler"])
    assert client.post(reverse("appeals:handler_toggle", args=[other.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="appeals.handler_link").count() == 1


def test_the_intake_policy_of_a_community(appeal_world, verified_client):
    client = verified_client(appeal_world.users["staff"])
    com_a, com_b = appeal_world.tree["com_a"], appeal_world.tree["com_b"]
    page = client.get(reverse("appeals:policy_list")).content.decode()
    assert "大新社区" in page and "金旗峰社区" not in page
    url = reverse("appeals:policy_edit", args=[com_a.pk])
    assert client.post(url, {"allow_anonymous": "on", "reopen_days": 14}).status_code == 302
    policy = IntakePolicy.objects.get(community=com_a)
    assert policy.allow_anonymous and policy.reopen_days == 14
    response = client.post(url, {"reopen_days": 400})
    assert response.status_code == 200 and IntakePolicy.objects.get(community=com_a).reopen_days == 14
    assert client.get(reverse("appeals:policy_edit", args=[com_b.pk])).status_code == 404


def test_working_day_overrides_and_the_calendar_warning(sysadmin, verified_client, monkeypatch):
    from shuren.appeals.views import config as config_views

    client = verified_client(sysadmin)
    monkeypatch.setattr(config_views, "calendar_covers", lambda year: True)
    assert 'data-testid="calendar-warning"' not in client.get(reverse("appeals:workday_list")).content.decode()
    monkeypatch.setattr(config_views, "calendar_covers", lambda year: year < 2000)
    page = client.get(reverse("appeals:workday_list")).content.decode()
    assert page.count('data-testid="calendar-warning"') == 2

    day = dt.date.today().replace(month=10, day=8)
    response = client.post(reverse("appeals:workday_list"), {"on": day.isoformat(), "note": "国庆调休"})
    assert response.status_code == 302
    override = WorkdayOverride.objects.get(on=day)
    assert not override.is_working_day
    assert AuditEvent.objects.get(action="appeals.workday_override_save").detail["on"] == day.isoformat()
    assert client.post(reverse("appeals:workday_list"), {"on": day.isoformat()}).status_code == 200  # unique
    assert client.post(reverse("appeals:workday_delete", args=[override.pk])).status_code == 302
    assert not WorkdayOverride.objects.exists()


def test_working_days_are_for_the_system_administrator_only(appeal_world, verified_client):
    client = verified_client(appeal_world.users["subdistrict"])
    assert client.get(reverse("appeals:workday_list")).status_code == 403
