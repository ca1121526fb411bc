"""Monthly reports of an area: the list with their state, a request form (month, optional
recipients) and the downloads. Generation runs in the task worker."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuren.accounts.models import User
from shuren.core.permissions import requires

from .. import selectors, services
from ..forms import ReportRequestForm, last_month
from ..models import ReportStatus
from ..reports.monthly import file_name

REPORT = selectors.REPORT
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@requires(REPORT)
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest, pk: int) -> HttpResponse:
    area = selectors.openable_area(request.user, pk, REPORT)
    form = ReportRequestForm(request.POST or None, initial={"month": last_month()})
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)  # @requires let only signed-in users in
        services.request_report(
            actor=request.user, area=area, month=form.cleaned_data["month"], email_to=form.cleaned_data["email_to"]
        )
        messages.success(request, _("The report is being prepared; it appears below when it is ready."))
        return redirect("insights:reports", pk=area.pk)
    reports = selectors.reports_of(area)
    return render(
        request,
        "insights/reports.html",
        {
            "area": area,
            "form": form,
            "reports": reports,
            "pending": any(r.status == ReportStatus.QUEUED for r in reports),
        },
        status=400 if form.errors else 200,
    )


@requires(REPORT)
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    report = selectors.ready_report(pk)
    if report is None:
        raise Http404
    selectors.openable_area(request.user, report.area_id, REPORT)
    assert isinstance(request.user, User)  # @requires let only signed-in users in
    services.record_download(actor=request.user, report=report, fmt=fmt, request=request)
    response = HttpResponse(bytes(getattr(report, fmt)), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{file_name(report, fmt)}"'
    response["Cache-Control"] = "no-store"
    return response
