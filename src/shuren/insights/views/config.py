"""The evaluation indicators, configured by the system administrator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuren.accounts.models import User
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires

from .. import selectors, services
from ..figures import KPI_NAMES
from ..forms import IndicatorForm
from ..models import Indicator


@requires("insights.configure")
def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = selectors.indicators()
    total = sum((i.weight for i in indicators if i.is_active), 0)
    return render(request, "insights/indicator_list.html", {"indicators": indicators, "total_weight": total})


@requires("insights.configure")
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    try:
        indicator = selectors.indicator(pk) if pk else Indicator()
    except Indicator.DoesNotExist:
        raise Http404 from None
    form = IndicatorForm(request.POST or None, instance=indicator if pk else None)
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)  # @requires let only signed-in users in
        try:
            services.save_indicator(actor=request.user, indicator=indicator, data=form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The indicator “%(name)s” has been saved.") % {"name": indicator.name})
            return redirect("insights:indicator_list")
    return render(
        request,
        "insights/indicator_form.html",
        {"form": form, "indicator": indicator if pk else None, "kpi_names": KPI_NAMES.items()},
        status=400 if form.errors else 200,
    )
