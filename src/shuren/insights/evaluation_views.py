"""The evaluation index in the console: rankings of a subdistrict's communities per period, a
community's history, and the indicators (configured by the system administrator)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import can, has_action
from shuren.places.models import Area, AreaKind

from . import evaluation, selectors
from .forms import EvaluationForm, IndicatorForm, last_month
from .models import Evaluation, Indicator, PeriodKind


@requires(selectors.VIEW)
@require_http_methods(["GET", "POST"])
def ranking(request: HttpRequest) -> HttpResponse:
    """The ranking of each subdistrict the user can read, for one period; staff of a subdistrict
    or district may (re)compute it."""
    subdistricts = list(selectors.dashboard_areas(request.user).filter(kind=AreaKind.SUBDISTRICT).order_by("path"))
    communities = list(selectors.dashboard_areas(request.user).filter(kind=AreaKind.COMMUNITY))
    if not subdistricts and communities:  # community staff see their own subdistrict's ranking
        subdistricts = list(Area.objects.filter(pk__in={c.parent_id for c in communities}).order_by("path"))
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
            outcome = evaluation.run_evaluation(actor=request.user, area=chosen, kind=kind, start=first)
            messages.success(request, _("%(n)d communities evaluated.") % {"n": outcome.evaluations})
        return redirect(f"{request.path}?subdistrict={chosen.pk}&period_kind={kind}&start={first:%Y-%m}")
    rows = (
        Evaluation.objects.filter(community__parent=chosen, period_kind=kind, period_start=first)
        .select_related("community")
        .prefetch_related("scores")
        .order_by("rank", "community__path")
        if chosen
        else Evaluation.objects.none()
    )
    indicators = list(Indicator.objects.filter(is_active=True))
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
            "rows": rows,
            "indicators": indicators,
            "may_evaluate": may_evaluate,
            "perms_configure": has_action(request.user, "insights.configure"),
            "is_current": last >= timezone.localdate(),
        },
    )


@requires(selectors.VIEW)
def history(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.openable_area(request.user, pk)
    evaluations = list(
        Evaluation.objects.filter(community=community)
        .prefetch_related("scores")
        .order_by("period_kind", "period_start")
    )
    monthly = [e for e in evaluations if e.period_kind == PeriodKind.MONTH]
    return render(
        request,
        "insights/evaluation_history.html",
        {
            "community": community,
            "evaluations": list(reversed(evaluations)),
            "chart_labels": [f"{e.period_start:%Y-%m}" for e in monthly],
            "chart_series": [
                {"name": _("Score"), "data": [float(e.score) for e in monthly]},
                {"name": _("Rank"), "data": [e.rank for e in monthly]},
            ],
        },
    )


@requires("insights.configure")
def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = Indicator.objects.all()
    total = sum((i.weight for i in indicators if i.is_active), 0)
    return render(request, "insights/indicator_list.html", {"indicators": indicators, "total_weight": total})


@requires("insights.configure")
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk) if pk else Indicator()
    form = IndicatorForm(request.POST or None, instance=indicator if pk else None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation.save_indicator(actor=request.user, indicator=indicator, data=form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The indicator “%(name)s” has been saved.") % {"name": indicator.name})
            return redirect("insights:indicator_list")
    from .figures import KPI_NAMES

    return render(
        request,
        "insights/indicator_form.html",
        {"form": form, "indicator": indicator if pk else None, "kpi_names": KPI_NAMES.items()},
        status=400 if form.errors else 200,
    )
