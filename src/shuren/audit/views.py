from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuren.core.permissions import requires

from .models import AuditEvent


@requires("audit.view_event")
def event_list(request: HttpRequest) -> HttpResponse:
    return render(request, "audit/event_list.html", {"events": AuditEvent.objects.all()[:50]})
