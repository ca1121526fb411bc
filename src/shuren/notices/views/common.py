"""What the notices' pages share: the layout for residents, and serving photos and the PDF."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from shuren.core.scoping import has_action

from ..models import Notice

PORTAL_LAYOUT = "notices/portal/layout_portal.html"
CONSOLE_LAYOUT = "notices/portal/layout_console.html"


def page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    layout = CONSOLE_LAYOUT if has_action(request.user, "web.view_dashboard") else PORTAL_LAYOUT
    return render(request, template, {"layout": layout, **context}, status=status)


def attachment_response(notice: Notice) -> FileResponse:
    """The notice's PDF, as a download (never shown inline from our origin)."""
    if not notice.attachment:
        raise Http404
    try:
        handle = notice.attachment.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=notice.attachment_name or "notice.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
