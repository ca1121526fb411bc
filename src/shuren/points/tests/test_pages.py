"""The console and portal pages: balances and statements, the redeem journey on the phone, staff
handing over by collection code, rules and policies for the administrator, leaderboards with
masked names for residents, exports, and 404 outside one's scope."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shuren.points import services
from shuren.points.models import EventKind, PointsPolicy, RedemptionStatus, Reward, Rule
from shuren.points.testing import assert_ledger_consistent, balance_of, give

pytestmark = pytest.mark.django_db


def test_a_resident_sees_balance_and_statement(points_world, verified_client):
    give(points_world.people["resident"], 35)
    client = verified_client(points_world.users["resident"])
    page = client.get(reverse("points_portal:home"))
    assert page.status_code == 200
    assert 'data-testid="points-balance">35<' in page.content.decode()
    statement = client.get(reverse("points_portal:statement")).content.decode()
    assert "测试积分" in statement and "+35" in statement


def test_the_redeem_journey_confirms_then_shows_a_collection_code(points_world, verified_client):
    give(points_world.people["resident"], 30)
    reward = points_world.reward(cost=10, stock=2, supplier=points_world.partner)
    client = verified_client(points_world.users["resident"])
    catalogue = client.get(reverse("points_portal:catalogue")).content.decode()
    assert reward.name in catalogue
    confirm = client.get(reverse("points_portal:redeem", args=[reward.pk]))
    assert confirm.status_code == 200 and 'data-testid="confirm-redeem"' in confirm.content.decode()
    assert balance_of(points_world.people["resident"]) == 30  # nothing happens before confirming
    done = client.post(reverse("points_portal:redeem", args=[reward.pk]), follow=True)
    redemption = reward.redemptions.get()
    assert done.redirect_chain[-1][0] == reverse("points_portal:redemption", args=[redemption.pk])
    assert redemption.pickup_code in done.content.decode()
    assert balance_of(points_world.people["resident"]) == 20
    assert Reward.objects.get(pk=reward.pk).stock == 1


def test_redeeming_without_enough_points_says_so(points_world, verified_client):
    give(points_world.people["resident"], 5)
    reward = points_world.reward(cost=10)
    client = verified_client(points_world.users["resident"])
    assert 'data-testid="not-enough"' in client.get(reverse("points_portal:redeem", args=[reward.pk])).content.decode()
    response = client.post(reverse("points_portal:redeem", args=[reward.pk]))
    assert response.status_code == 409 and 'data-testid="redeem-problem"' in response.content.decode()
    assert not reward.redemptions.exists()


def test_a_resident_cancels_their_pending_redemption(points_world, verified_client):
    give(points_world.people["resident"], 10)
    redemption = services.redeem_reward(actor=points_world.users["resident"], reward=points_world.reward())
    client = verified_client(points_world.users["resident"])
    client.post(reverse("points_portal:redemption_cancel", args=[redemption.pk]), {"reason": "不需要了"})
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.CANCELLED and balance_of(points_world.people["resident"]) == 10


def test_residents_do_not_reach_other_communities_or_other_peoples_redemptions(points_world, verified_client):
    give(points_world.people["resident"], 10)
    mine = services.redeem_reward(actor=points_world.users["resident"], reward=points_world.reward())
    other = points_world.reward(community=points_world.tree["com_b"])
    client = verified_client(points_world.users["party_member"])
    assert client.get(reverse("points_portal:redemption", args=[mine.pk])).status_code == 404
    assert client.post(reverse("points_portal:redemption_cancel", args=[mine.pk])).status_code == 404
    assert client.get(reverse("points_portal:redeem", args=[other.pk])).status_code == 404
    assert client.post(reverse("points_portal:redeem", args=[other.pk])).status_code == 404


def test_staff_find_a_redemption_by_code_and_hand_it_over(points_world, verified_client):
    give(points_world.people["resident"], 10)
    redemption = services.redeem_reward(actor=points_world.users["resident"], reward=points_world.reward())
    client = verified_client(points_world.users["staff"])
    listing = client.get(reverse("points:redemption_list"), {"code": redemption.pickup_code}).content.decode()
    assert f'data-testid="redemption-{redemption.pickup_code}"' in listing
    client.post(reverse("points:redemption_fulfil", args=[redemption.pk]))
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.FULFILLED


def test_staff_cancel_a_redemption_with_a_reason(points_world, verified_client):
    give(points_world.people["resident"], 10)
    redemption = services.redeem_reward(actor=points_world.users["resident"], reward=points_world.reward(stock=1))
    client = verified_client(points_world.users["staff"])
    client.post(reverse("points:redemption_cancel", args=[redemption.pk]), {"reason": ""})
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.PENDING  # a reason is needed
    client.post(reverse("points:redemption_cancel", args=[redemption.pk]), {"reason": "库存登记错误"})
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.CANCELLED and redemption.reward.stock == 1
    assert balance_of(points_world.people["resident"]) == 10


def test_staff_keep_the_catalogue(points_world, verified_client):
    client = verified_client(points_world.users["staff"])
    data = {
        "community": points_world.tree["com_a"].pk,
        "name": "社区超市10元代金券",
        "description": "",
        "supplier": points_world.partner.pk,
        "cost": 100,
        "stock": 20,
        "per_person_limit": 1,
        "pickup": "大新超市收银台",
        "available_until": "",
        "is_active": "on",
    }
    response = client.post(reverse("points:reward_new"), data)
    assert response.status_code == 302
    reward = Reward.objects.get(name="社区超市10元代金券")
    assert reward.supplier == points_world.partner
    edit = client.post(
        reverse("points:reward_edit", args=[reward.pk]), {**data, "stock": 25, "version": reward.version}
    )
    assert edit.status_code == 302 and Reward.objects.get(pk=reward.pk).stock == 25
    stale = client.post(
        reverse("points:reward_edit", args=[reward.pk]), {**data, "stock": 1, "version": reward.version}
    )
    assert stale.status_code == 400 and Reward.objects.get(pk=reward.pk).stock == 25
    assert "社区超市10元代金券" in stale.content.decode()  # what they typed is kept
    assert (
        verified_client(points_world.users["staff_b"]).get(reverse("points:reward_edit", args=[reward.pk])).status_code
        == 404
    )


def test_staff_adjust_and_reverse_from_the_statement(points_world, verified_client):
    person = points_world.people["resident"]
    account = services.person_account(person)
    client = verified_client(points_world.users["staff"])
    url = reverse("points:account_adjust", args=[account.pk])
    client.post(url, {"direction": "credit", "points": 15, "reason": "补录", "key": "k1"})
    client.post(url, {"direction": "credit", "points": 15, "reason": "补录", "key": "k1"})  # a double submit
    assert balance_of(person) == 15
    too_much = client.post(url, {"direction": "debit", "points": 20, "reason": "扣", "key": "k2"})
    assert too_much.status_code == 409 and balance_of(person) == 15
    txn = account.entries.get().transaction
    client.post(reverse("points:transaction_reverse", args=[txn.pk]), {"reason": "录错"})
    assert balance_of(person) == 0
    page = client.get(reverse("points:account_detail", args=[account.pk])).content.decode()
    assert "录错" in page
    assert_ledger_consistent()


def test_statement_and_leaderboard_export_to_xlsx(points_world, verified_client):
    give(points_world.people["resident"], 12)
    account = services.person_account(points_world.people["resident"])
    client = verified_client(points_world.users["staff"])
    response = client.get(reverse("points:account_export", args=[account.pk]))
    book = load_workbook(io.BytesIO(response.content))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert "测试积分" in values and 12 in values
    board = client.get(reverse("points:leaderboard_export"), {"period": "all"})
    values = [c for row in load_workbook(io.BytesIO(board.content)).active.iter_rows(values_only=True) for c in row]
    assert "林小梅" in values
    own = verified_client(points_world.users["resident"]).get(reverse("points_portal:statement_export"))
    assert own.status_code == 200


def test_residents_see_masked_names_and_their_rank(points_world, verified_client):
    give(points_world.people["party_member"], 30)
    give(points_world.people["resident"], 20)
    give(points_world.people["resident_b"], 99)
    page = verified_client(points_world.users["resident"]).get(reverse("points_portal:leaderboard")).content.decode()
    assert "张**" in page and "张天宝" not in page and "金旗峰" not in page
    assert 'data-testid="my-rank"' in page
    staff_page = (
        verified_client(points_world.users["staff"])
        .get(reverse("points:leaderboard"), {"period": "all"})
        .content.decode()
    )
    assert "张天宝" in staff_page and "金旗峰居民" not in staff_page


def test_the_console_overview_shows_the_reconciled_figures(points_world, verified_client):
    give(points_world.people["resident"], 40)
    services.redeem_reward(actor=points_world.users["resident"], reward=points_world.reward(cost=10))
    page = verified_client(points_world.users["staff"]).get(reverse("points:overview")).content.decode()
    assert 'data-testid="issued">40<' in page and 'data-testid="outstanding">30<' in page
    assert "Does not reconcile" not in page and "不平" not in page


def test_the_administrator_edits_rules_and_expiry(points_world, verified_client):
    client = verified_client(points_world.users["sysadmin"])
    response = client.post(
        reverse("points:rule_new"),
        {
            "name": "大新党员志愿服务",
            "event": EventKind.SERVICE_HOUR,
            "scheme": "party_member",
            "community": points_world.tree["com_a"].pk,
            "points": 20,
            "party_members_only": "on",
            "valid_from": "2025-01-01",
            "valid_to": "",
        },
    )
    assert response.status_code == 302
    rule = Rule.objects.get(name="大新党员志愿服务")
    assert rule.party_members_only and rule.community == points_world.tree["com_a"]
    client.post(reverse("points:rule_toggle", args=[rule.pk]), {"version": rule.version})
    assert not Rule.objects.get(pk=rule.pk).is_active
    client.post(reverse("points:policy_edit", args=[points_world.tree["com_a"].pk]), {"expiry_months": 24})
    assert PointsPolicy.objects.get(community=points_world.tree["com_a"]).expiry_months == 24
    assert client.get(reverse("points:rule_list")).status_code == 200
    staff = verified_client(points_world.users["staff"])
    assert staff.get(reverse("points:rule_list")).status_code == 403


def test_grid_workers_see_the_people_of_their_grid(points_world, verified_client):
    give(points_world.people["resident"], 5)  # lives in grid 1
    give(points_world.people["volunteer"], 5)  # no home on record
    page = verified_client(points_world.users["grid_worker"]).get(reverse("points:account_list")).content.decode()
    assert "林小梅" in page and "陈志强" not in page


def test_out_of_scope_statements_answer_404(points_world, verified_client):
    give(points_world.people["resident"], 5)
    account = services.person_account(points_world.people["resident"])
    client = verified_client(points_world.users["staff_b"])
    assert client.get(reverse("points:account_detail", args=[account.pk])).status_code == 404
    assert client.post(reverse("points:account_adjust", args=[account.pk]), {}).status_code == 404


@pytest.mark.parametrize("page", ["accounts", "account", "my_statement"])
def test_a_ledger_page_costs_the_same_queries_for_one_row_or_many(points_world, verified_client, page):
    """The accounts list, an account's statement and a resident's own statement read no more for
    more rows (holders, transactions and what may be reversed come with the page's queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    resident = points_world.people["resident"]
    give(resident, 5)
    account = services.person_account(resident)
    who, url = {
        "accounts": ("staff", reverse("points:account_list")),
        "account": ("staff", reverse("points:account_detail", args=[account.pk])),
        "my_statement": ("resident", reverse("points_portal:statement")),
    }[page]
    client = verified_client(points_world.users[who])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for _ in range(4):
        give(resident, 5)
        give(points_world.people["party_member"], 3)
    services.adjust_points(
        actor=points_world.users["staff"],
        account=services.organization_account(points_world.partner),
        points=4,
        reason="补录",
    )
    services.redeem_reward(actor=points_world.users["resident"], reward=points_world.reward())
    assert queries() == few
