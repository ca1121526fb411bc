"""The kind of message insights send through the outbox (``shuren.notifications``), registered when
Django starts (``apps.InsightsConfig.ready``): a monthly report someone asked for is ready (or could
not be made). The report itself goes by e-mail with its two files attached, straight through Django's
e-mail (``services.reports.send_report``): the outbox carries no attachments."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.notifications.kinds import Kind

KINDS = (
    Kind(
        "insights.report",
        _("A monthly report I asked for is ready"),
        channels=("inapp",),
        optional=("email",),
        audience=("insights.report",),
    ),
)

SMS_PARAMS: dict[str, tuple[str, ...]] = {}
