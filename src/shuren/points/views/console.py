"""Staff console of points (/points/): the overview of each community (issued, redeemed, expired,
outstanding, pending redemptions), accounts with their statements, manual adjustments and
reversals, leaderboards per community and grid, and xlsx exports. Rewards and redemptions are in
``views.rewards``, rules and policies in ``views.config``.

Views only adapt: reads come from ``selectors`` (scoped), writes from ``services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.reauth import reauth_required
from shuren.core.scoping import can, has_action

from .. import selectors, services
from ..exports import LeaderboardExporter, StatementExporter
from ..forms import AccountFilterForm, AdjustForm, LeaderboardForm, ReasonForm
from ..models import Account
from ..services.ledger import REVERSIBLE

PAGE_SIZE = 50


@requires("points.view")
def overview(request: HttpRequest) -> HttpResponse:
    rows = [selectors.overview(c) for c in selectors.communities(request.user, "points.view")]
    return render(
        request,
        "points/console/overview.html",
        {"rows": rows, "can_manage": has_action(request.user, "points.manage")},
    )


@requires("points.view")
def account_list(request: HttpRequest) -> HttpResponse:
    communities = selectors.communities(request.user, "points.view")
    form = AccountFilterForm(request.GET or None, communities=communities)
    accounts = selectors.holder_accounts(request.user)
    if form.is_valid():
        accounts = selectors.holder_accounts(
            request.user, query=form.cleaned_data["q"] or "", community=form.cleaned_data["community"]
        )
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "points/console/account_list.html", {"form": form, "page": page})


def _account_page(
    request: HttpRequest, account: Account, *, adjust: AdjustForm | None = None, status: int = 200
) -> HttpResponse:
    page = Paginator(selectors.statement(account), PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = can(request.user, "points.manage", account)
    reversed_ids = selectors.reversed_ids([e.transaction_id for e in page])
    for entry in page:
        entry.can_reverse = (
            can_manage and entry.transaction.kind in REVERSIBLE and entry.transaction_id not in reversed_ids
        )
        entry.is_reversed = entry.transaction_id in reversed_ids
    return render(
        request,
        "points/console/account_detail.html",
        {
            "account": account,
            "page": page,
            "can_manage": can_manage and account.kind in ("person", "organization"),
            "adjust": adjust or AdjustForm(),
            "reason_form": ReasonForm(),
            "redemptions": selectors.my_redemptions(account)[:20],
        },
        status=status,
    )


@requires("points.view")
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_page(request, selectors.staff_account(request.user, pk))


@requires("points.view")
@reauth_required
def account_export(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.staff_account(request.user, pk)
    return StatementExporter(request.user, account=account).response(request, selectors.statement(account))


@requires("points.manage")
@require_POST
def account_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.staff_account(request.user, pk)
    form = AdjustForm(request.POST)
    if not form.is_valid():
        return _account_page(request, account, adjust=form, status=400)
    try:
        services.adjust_points(
            actor=acting_user(request),
            account=account,
            points=form.signed_points(),
            reason=form.cleaned_data["reason"],
            key=f"{request.user.pk}:{form.cleaned_data['key'] or ''}" if form.cleaned_data["key"] else None,
        )
    except ValidationError as exc:
        add_validation_errors(form, exc)
        return _account_page(request, account, adjust=form, status=400)
    except services.InsufficientPoints as exc:
        form.add_error("points", exc.detail)
        return _account_page(request, account, adjust=form, status=409)
    messages.success(request, _("The adjustment has been posted."))
    return redirect("points:account_detail", pk=account.pk)


@requires("points.manage")
@require_POST
def transaction_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    txn, account = selectors.reversible_transaction(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the transaction is reversed."))
        return redirect("points:account_detail", pk=account.pk)
    try:
        services.reverse_transaction(actor=acting_user(request), txn=txn, reason=form.cleaned_data["reason"])
    except (InvalidTransition, services.InsufficientPoints) as exc:
        messages.error(request, exc.detail)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The transaction has been reversed."))
    return redirect("points:account_detail", pk=account.pk)


# --- leaderboards --------------------------------------------------------------------------------


def board_for(request: HttpRequest, form: Any) -> tuple[list[selectors.Standing], dict[str, Any]]:
    """The leaderboard the filter form asks for, among the accounts the user may see."""
    data = form.cleaned_data if form.is_valid() else {}
    period = data.get("period") or "month"
    start, end = selectors.period_bounds(period, data.get("start"), data.get("end"))
    board = selectors.leaderboard(
        community=data.get("community"),
        grid=data.get("grid"),
        start=start,
        end=end,
        accounts=selectors.visible_accounts(request.user),
        limit=500,
    )
    return board, {"start": start, "end": end, "period": period}


@requires("points.view")
def leaderboard(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = LeaderboardForm(
        request.GET or None,
        communities=selectors.communities(user, "points.view"),
        grids=selectors.leaderboard_grids(user),
    )
    board, period = board_for(request, form)
    return render(request, "points/console/leaderboard.html", {"form": form, "board": board, **period})


@requires("points.view")
@reauth_required
def leaderboard_export(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = LeaderboardForm(
        request.GET or None,
        communities=selectors.communities(user, "points.view"),
        grids=selectors.leaderboard_grids(user),
    )
    board, _period = board_for(request, form)
    return LeaderboardExporter(user).response(request, board)
