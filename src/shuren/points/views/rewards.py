"""Staff console of the rewards catalogue (积分兑换) and of redemptions: the catalogue of each
community (create, edit, take off offer), pending redemptions found by collection code, handing
over (fulfil) and cancelling with a reason (the points are refunded, the item restocked)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, OutOfScope, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import has_action

from .. import selectors, services
from ..forms import CancelForm, RedemptionFilterForm, RewardForm
from ..models import RedemptionStatus, Reward

PAGE_SIZE = 50
REWARD_DATA = ("name", "description", "supplier", "cost", "stock", "per_person_limit", "pickup", "available_until")


@requires("points.view")
def reward_list(request: HttpRequest) -> HttpResponse:
    rewards = selectors.visible_rewards(request.user).order_by("scope", "-is_active", "cost", "name")
    page = Paginator(rewards, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "points/console/reward_list.html",
        {"page": page, "can_manage": has_action(request.user, "points.manage")},
    )


def _reward_form(request: HttpRequest, reward: Reward | None) -> HttpResponse:
    user = acting_user(request)
    form = RewardForm(
        request.POST or None,
        instance=reward,
        communities=selectors.communities(user, "points.manage"),
        suppliers=selectors.suppliers(user),
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in REWARD_DATA}
        data["is_active"] = form.cleaned_data.get("is_active", False)
        try:
            if reward is None:
                reward = services.create_reward(actor=user, community=form.cleaned_data["community"], **data)
            else:
                services.edit_reward(actor=user, reward=reward, version=form.cleaned_data.get("version") or 0, **data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except StaleVersion:
            form.add_error(
                None, _("Someone changed this reward (or redeemed it) meanwhile. Reload the page and try again.")
            )
        else:
            messages.success(request, _("The reward “%(name)s” has been saved.") % {"name": reward.name})
            return redirect("points:reward_list")
    return render(
        request,
        "points/console/reward_form.html",
        {"form": form, "reward": reward},
        status=400 if form.errors else 200,
    )


@requires("points.manage")
def reward_new(request: HttpRequest) -> HttpResponse:
    return _reward_form(request, None)


@requires("points.manage")
def reward_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reward = selectors.visible_reward(request.user, pk, "points.manage")
    if reward is None:
        raise OutOfScope()
    return _reward_form(request, reward)


@requires("points.view")
def redemption_list(request: HttpRequest) -> HttpResponse:
    form = RedemptionFilterForm(request.GET or None)
    redemptions = selectors.visible_redemptions(request.user)
    if form.is_valid():
        redemptions = selectors.filter_redemptions(
            redemptions, code=form.cleaned_data["code"], status=form.cleaned_data["status"]
        )
    elif not request.GET:
        redemptions = selectors.filter_redemptions(redemptions, status=RedemptionStatus.PENDING)
    page = Paginator(redemptions.order_by("-created_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "points/console/redemption_list.html",
        {
            "form": form,
            "page": page,
            "can_manage": has_action(request.user, "points.manage"),
            "cancel_form": CancelForm(),
        },
    )


@requires("points.manage")
@require_POST
def redemption_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    redemption = selectors.managed_redemption(request.user, pk)
    try:
        services.fulfil_redemption(actor=acting_user(request), redemption=redemption)
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request,
            _("“%(reward)s” handed over (code %(code)s).")
            % {"reward": redemption.reward.name, "code": redemption.pickup_code},
        )
    return redirect("points:redemption_list")


@requires("points.manage")
@require_POST
def redemption_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    redemption = selectors.managed_redemption(request.user, pk)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services.cancel_redemption(
            actor=acting_user(request), redemption=redemption, reason=form.cleaned_data.get("reason") or ""
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (InvalidTransition, services.InsufficientPoints) as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The redemption has been cancelled and the points refunded."))
    return redirect("points:redemption_list")
