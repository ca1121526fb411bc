"""Auditor-only pages: search the audit log, read one event, export a filtered CSV."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from shuren.core.exports import csv_response
from shuren.core.permissions import requires
from shuren.core.reauth import reauth_required

from ..forms import EventFilterForm
from ..labels import in_words
from ..models import AuditEvent
from ..selectors import seal_state, search_events
from ..services import record_event

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _filtered(request: HttpRequest) -> tuple[EventFilterForm, QuerySet[AuditEvent]]:
    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, search_events(filters)


@requires("audit.view_event")
def event_list(request: HttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = in_words(page.object_list)
    headings = [
        _("Time"),
        _("Actor"),
        _("Role"),
        _("Action"),
        _("Object"),
        _("Outcome"),
        _("IP address"),
        _("Sealed"),
    ]
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "headings": headings, "seal": seal_state()},
    )


@requires("audit.view_event")
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(AuditEvent, pk=pk)
    in_words([event])
    previous = (
        AuditEvent.objects.filter(seq=event.seq - 1).first() if event.is_sealed and event.seq is not None else None
    )
    return render(
        request,
        "audit/event_detail.html",
        {
            "event": event,
            "previous": previous,
            "hash_ok": event.is_sealed and event.compute_hash() == event.hash,
            "link_ok": previous is None or previous.hash == event.prev_hash,
        },
    )


@requires("audit.export_event")
@reauth_required
def event_export(request: HttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    rows = [
        (
            e.seq if e.seq is not None else "",
            e.occurred_at.isoformat(),
            e.actor_username,
            e.actor_role,
            e.ip,
            e.action,
            e.object_type,
            e.object_id,
            e.scope,
            e.outcome,
            e.reason,
            e.hash or "",
        )
        for e in events[:EXPORT_LIMIT]
    ]
    record_event("audit.export", request=request, detail={"rows": len(rows), "filters": request.GET.urlencode()})
    headings = [
        "序号 seq",
        "时间 time",
        "操作人 actor",
        "角色 role",
        "IP",
        "动作 action",
        "对象类型 object type",
        "对象 object id",
        "范围 scope",
        "结果 outcome",
        "原因 reason",
        "哈希 hash",
    ]
    return csv_response("audit-log.csv", headings, rows, user=request.user)
