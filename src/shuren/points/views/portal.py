"""The resident's side of points (/my/points/), phone first: my balance and statement, the rewards
of my community, redeeming one (a confirm step, then a 6-digit collection code), my redemptions
(cancel a pending one) and my community's leaderboard with masked names and my own rank."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, OutOfScope
from shuren.core.permissions import requires
from shuren.core.scoping import has_action

from .. import selectors, services
from ..exports import StatementExporter
from ..forms import CancelForm, PeriodForm
from ..models import Account, Reward
from ..services.rewards import LimitReached, NotOnOffer, OutOfStock, active_count, is_available

PORTAL_LAYOUT = "points/portal/layout_portal.html"
CONSOLE_LAYOUT = "points/portal/layout_console.html"


def _layout(user: Any) -> str:
    return CONSOLE_LAYOUT if has_action(user, "web.view_dashboard") else PORTAL_LAYOUT


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"layout": _layout(request.user), **context}, status=status)


def my_account(user: Any) -> Account | None:
    """The signed-in resident's account (opened on first visit), or None without a person record."""
    return services.own_account(user)


@requires("points.redeem")
def home(request: HttpRequest) -> HttpResponse:
    account = my_account(request.user)
    entries = selectors.statement(account)[:5] if account else []
    pending = selectors.pending_redemptions(account) if account else []
    rewards = selectors.catalogue(account.community)[:4] if account else []
    return _page(
        request,
        "points/portal/home.html",
        {"account": account, "entries": entries, "pending": pending, "rewards": rewards},
    )


@requires("points.redeem")
def statement(request: HttpRequest) -> HttpResponse:
    account = my_account(request.user)
    page = Paginator(selectors.statement(account), 30).get_page(request.GET.get("page"))
    return _page(request, "points/portal/statement.html", {"account": account, "page": page})


@requires("points.redeem")
def statement_export(request: HttpRequest) -> HttpResponse:
    account = my_account(request.user)
    if account is None:
        raise OutOfScope()
    return StatementExporter(request.user, account=account, own=True).response(request, selectors.statement(account))


@requires("points.redeem")
def catalogue(request: HttpRequest) -> HttpResponse:
    account = my_account(request.user)
    rewards = selectors.catalogue(account.community) if account else selectors.no_rewards()
    return _page(request, "points/portal/catalogue.html", {"account": account, "rewards": rewards})


def _reward_for(user: Any, pk: int) -> tuple[Account, Reward]:
    account = my_account(user)
    reward = selectors.community_reward(account, pk)
    if account is None or reward is None:
        raise OutOfScope()
    return account, reward


@requires("points.redeem")
def redeem(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the reward and a confirm button; POST: redeem it, then show the collection code."""
    account, reward = _reward_for(request.user, pk)
    problem = ""
    if request.method == "POST":
        try:
            redemption = services.redeem_reward(actor=acting_user(request), reward=reward)
        except (services.InsufficientPoints, OutOfStock, LimitReached, NotOnOffer, InvalidTransition) as exc:
            problem = exc.detail
            reward.refresh_from_db()
            account.refresh_from_db()
        else:
            messages.success(
                request,
                _("Redeemed. Show the collection code %(code)s when you collect it.")
                % {"code": redemption.pickup_code},
            )
            return redirect("points_portal:redemption", pk=redemption.pk)
    used = active_count(account, reward)
    return _page(
        request,
        "points/portal/redeem.html",
        {
            "account": account,
            "reward": reward,
            "problem": problem,
            "available": is_available(reward) and reward.stock > 0,
            "enough": account.balance >= reward.cost,
            "limit_left": (reward.per_person_limit - used) if reward.per_person_limit else None,
        },
        status=409 if problem else 200,
    )


@requires("points.redeem")
def my_redemptions(request: HttpRequest) -> HttpResponse:
    account = my_account(request.user)
    page = Paginator(selectors.my_redemptions(account), 30).get_page(request.GET.get("page"))
    return _page(request, "points/portal/redemptions.html", {"account": account, "page": page})


@requires("points.redeem")
def redemption_detail(request: HttpRequest, pk: int) -> HttpResponse:
    redemption = selectors.own_redemption(my_account(request.user), pk)
    return _page(
        request,
        "points/portal/redemption.html",
        {"redemption": redemption, "cancel_form": CancelForm(initial={"version": redemption.version})},
    )


@requires("points.redeem")
@require_POST
def redemption_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    redemption = selectors.own_redemption(my_account(request.user), pk)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services.cancel_redemption(
            actor=acting_user(request), redemption=redemption, reason=form.cleaned_data.get("reason") or ""
        )
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Cancelled. The points are back in your account."))
    return redirect("points_portal:redemption", pk=redemption.pk)


@requires("points.redeem")
def leaderboard(request: HttpRequest) -> HttpResponse:
    account = my_account(request.user)
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    period = data.get("period") or "month"
    start, end = selectors.period_bounds(period, data.get("start"), data.get("end"))
    board = selectors.leaderboard(community=account.community, start=start, end=end) if account else []
    mine = selectors.standing_of(account, board)
    return _page(
        request,
        "points/portal/leaderboard.html",
        {"account": account, "form": form, "board": board[:50], "mine": mine, "period": period},
    )
