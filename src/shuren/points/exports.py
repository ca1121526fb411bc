"""The spreadsheets of points: an account's statement (for staff and for the resident themselves) and
a leaderboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.audit.services import record_event
from shuren.core.exports import Column, Exporter

from .models import Account


class StatementExporter(Exporter):
    """积分明细: every entry of one account (rows of ``selectors.statement``), audited against the
    account."""

    name = "points.export_statement"
    title = "积分明细 Statement"

    def __init__(self, user: Any, *, account: Account, own: bool = False, full: bool = False) -> None:
        super().__init__(user, full=full)
        self.account = account
        self.own = own
        self.filename = f"points-statement-{account.pk}"
        self.columns = (
            Column(_("Date"), lambda e: e.transaction.occurred_on.isoformat()),
            Column(_("Posted at"), lambda e: timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M")),
            Column(_("Kind"), lambda e: e.transaction.get_kind_display()),
            Column(_("Memo"), lambda e: e.transaction.memo),
            Column(_("Points"), lambda e: e.amount),
            Column(_("Balance after"), lambda e: e.balance_after),
            Column(_("Expires on"), lambda e: e.expires_on.isoformat() if e.expires_on else ""),
        )

    def prepare(self, objects: Iterable[Any]) -> Iterator[Any]:
        if isinstance(objects, QuerySet):
            return objects.iterator(chunk_size=2000)
        return iter(objects)

    def response(self, request: HttpRequest, objects: Iterable[Any], **kwargs: Any) -> HttpResponse:
        """The audit record names the account (and whether the resident exported their own)."""
        record_event(self.name, request=request, obj=self.account, detail={"own": "true"} if self.own else None)
        return super().response(request, objects, audit=False, **kwargs)


class LeaderboardExporter(Exporter):
    """积分排行: the standings of ``selectors.leaderboard``."""

    name = "points.export_leaderboard"
    title = "积分排行 Leaderboard"

    def __init__(self, user: Any, *, full: bool = False) -> None:
        super().__init__(user, full=full)
        self.filename = f"points-leaderboard-{dt.date.today().isoformat()}"
        self.columns = (
            Column(_("Rank"), lambda s: s.rank),
            Column(_("Name"), lambda s: s.name),
            Column(_("Community"), lambda s: str(s.account.community)),
            Column(_("Points earned"), lambda s: s.points),
        )
