"""The residents' spreadsheet import: the blank template, a small file at once, a large one by a
worker whose progress the page polls."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from shuren.accounts.acting import acting_user
from shuren.core.exports import XLSX_CONTENT_TYPE
from shuren.core.forms import SpreadsheetImportForm
from shuren.core.jobs import lease_of
from shuren.core.permissions import requires
from shuren.core.spreadsheets import RowError
from shuren.places.selectors import communities_where

from ..selectors import visible_import_jobs
from ..services import import_residents
from ..services.imports import blank_template
from ..tasks import IMPORT_JOB, queue_import


@requires("people.change_person")
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(blank_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="residents-template.xlsx"'
    return response


@requires("people.change_person")
def import_residents_view(request: HttpRequest) -> HttpResponse:
    communities = communities_where(request.user, "people.change_person")
    form = SpreadsheetImportForm(request.POST or None, request.FILES or None, communities=communities)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.SHUREN_IMPORT_INLINE_BYTES:  # a large file: a worker, with progress
            job = queue_import(
                actor=acting_user(request),
                community=form.cleaned_data["community"],
                file_name=upload.name,
                data=upload.read(),
                dry_run=form.cleaned_data["dry_run"],
                language=translation.get_language() or "zh-hans",
            )
            return redirect("people:import_job", pk=job.pk)
        result = import_residents(
            actor=acting_user(request),
            community=form.cleaned_data["community"],
            data=upload.read(),
            dry_run=form.cleaned_data["dry_run"],
        )
        if result.ok and not result.dry_run:
            messages.success(request, _("%(n)d residents imported.") % {"n": result.created})
            if not result.duplicates:
                return redirect("people:person_list")
            # Stay on the page: it lists the rows left out as already registered.
    return render(request, "people/import.html", {"form": form, "result": result})


@requires("people.change_person")
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A queued import: progress while a worker runs it (the page polls), then its outcome."""
    job = get_object_or_404(visible_import_jobs(request.user), pk=pk)
    template = "people/_import_job.html" if getattr(request, "htmx", False) else "people/import_job.html"
    errors = [RowError(*error) for error in job.errors[:500]]
    duplicates = [RowError(*row) for row in job.duplicates[:500]]
    context = {"job": job, "errors": errors, "duplicates": duplicates, "lease": lease_of(IMPORT_JOB, job.pk)}
    return render(request, template, context)
