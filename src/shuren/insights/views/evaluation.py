"""The evaluation index in the console: rankings of a subdistrict's communities per period, and a
community's history."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuren.accounts.models import User
from shuren.core import charts
from shuren.core.permissions import requires
from shuren.core.scoping import can, has_action

from .. import evaluation, selectors, services
from ..forms import EvaluationForm, last_month
from ..models import PeriodKind


@requires(selectors.VIEW)
@require_http_methods(["GET", "POST"])
def ranking(request: HttpRequest) -> HttpResponse:
    """The ranking of each subdistrict the user can read, for one period; staff of a subdistrict
    or district may (re)compute it."""
    subdistricts = selectors.ranked_subdistricts(request.user)
    chosen = subdistricts[0] if subdistricts else None
    if request.GET.get("subdistrict"):
        chosen = next((s for s in subdistricts if str(s.pk) == request.GET["subdistrict"]), chosen)
    form = EvaluationForm(
        request.POST or request.GET or None,
        initial={"period_kind": PeriodKind.MONTH, "start": last_month()},
    )
    kind, start = PeriodKind.MONTH, last_month()
    if form.is_bound and form.is_valid():
        kind, start = form.cleaned_data["period_kind"], form.cleaned_data["start"]
    first, last = evaluation.period_of(kind, start)
    may_evaluate = chosen is not None and can(request.user, "insights.evaluate", chosen)
    if request.method == "POST" and form.is_valid() and chosen is not None:
        if not may_evaluate:
            messages.error(request, _("Only staff of the subdistrict or the district may compute the ranking."))
        else:
            assert isinstance(request.user, User)  # may_evaluate: a signed-in user
            outcome = services.run_evaluation(actor=request.user, area=chosen, kind=kind, start=first)
            messages.success(request, _("%(n)d communities evaluated.") % {"n": outcome.evaluations})
        return redirect(f"{request.path}?subdistrict={chosen.pk}&period_kind={kind}&start={first:%Y-%m}")
    return render(
        request,
        "insights/evaluation.html",
        {
            "subdistricts": subdistricts,
            "chosen": chosen,
            "form": form,
            "kind": kind,
            "first": first,
            "last": last,
            "rows": selectors.ranking(chosen, kind, first),
            "indicators": selectors.active_indicators(),
            "may_evaluate": may_evaluate,
            "perms_configure": has_action(request.user, "insights.configure"),
            "is_current": last >= timezone.localdate(),
        },
    )


@requires(selectors.VIEW)
def history(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.openable_area(request.user, pk)
    evaluations = selectors.evaluations_of(community)
    monthly = [e for e in evaluations if e.period_kind == PeriodKind.MONTH]
    return render(
        request,
        "insights/evaluation_history.html",
        {
            "community": community,
            "evaluations": list(reversed(evaluations)),
            "chart": charts.chart(
                "line",
                [f"{e.period_start:%Y-%m}" for e in monthly],
                [
                    {"name": _("Score"), "data": [e.score for e in monthly]},
                    {"name": _("Rank"), "data": [e.rank for e in monthly]},
                ],
                measure=charts.AMOUNT,  # a score has decimals
            ),
        },
    )
