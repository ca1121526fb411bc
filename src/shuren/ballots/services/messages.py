"""What owners' ballots tell their electorate through the outbox, inside the transaction of the step
that causes it: voting opens (every owner with an account), voting closes soon (those who have not
voted on every matter; a daily job) and the result when voting closes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.notifications.services import notify
from shuren.people.models import Person

from ..models import Ballot, BallotStatus, VoterPerson

# How long before voting closes the owners who have not voted are reminded.
CLOSING_NOTICE = dt.timedelta(hours=24)


def _when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def electorate_users(ballot: Ballot, *, only_unfinished: bool = False) -> list[Any]:
    """The accounts of the owners in the ballot's frozen electorate (``only_unfinished``: of the
    voters who have not voted on every matter; a co-owner's vote counts for the dwelling)."""
    owners = VoterPerson.objects.filter(voter__ballot=ballot)
    if only_unfinished:
        matters = ballot.matters.count()
        owners = owners.annotate(cast=Count("voter__votes", distinct=True)).filter(cast__lt=matters)
    people = Person.objects.filter(pk__in=owners.values("person")).values("user")
    return list(User.objects.filter(pk__in=people, is_active=True).order_by("pk"))


def _send(ballot: Ballot, kind: str, event: str, people: list[Any], subject: str, text: str, **params: str) -> int:
    if not people:
        return 0
    notify(
        kind=f"ballots.{kind}",
        event_key=f"ballot:{ballot.pk}:{event}",
        recipients=people,
        subject=subject,
        text=text,
        link=reverse("ballots_portal:ballot", args=[ballot.pk]),
        params={"title": ballot.title, **params},
    )
    return len(people)


def tell_opened(ballot: Ballot) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        closes = _when(ballot.closes_at)
        opens = _when(ballot.opens_at or timezone.now())
        return _send(
            ballot,
            "opened",
            "opened",
            electorate_users(ballot),
            _("Owners' vote: %(title)s") % {"title": ballot.title},
            _("As an owner you may vote on %(title)s from %(opens)s until %(closes)s.")
            % {"title": ballot.title, "opens": opens, "closes": closes},
            closes=closes,
        )


def tell_result(ballot: Ballot) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        return _send(
            ballot,
            "result",
            "result",
            electorate_users(ballot),
            _("Result of the owners' vote: %(title)s") % {"title": ballot.title},
            _("Voting on %(title)s has closed; the result of each matter is published.") % {"title": ballot.title},
        )


def remind_closing(*, at: dt.datetime | None = None) -> int:
    """Remind the owners who have not voted on every matter of each open ballot closing within
    CLOSING_NOTICE. Run it hourly or daily: each ballot's reminder goes once."""
    now = at or timezone.now()
    ballots = Ballot.objects.filter(
        Q(opens_at__isnull=True) | Q(opens_at__lte=now),
        status=BallotStatus.OPEN,
        closes_at__gt=now,
        closes_at__lte=now + CLOSING_NOTICE,
    )
    reminded = 0
    for ballot in ballots.order_by("closes_at", "pk"):
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            closes = _when(ballot.closes_at)
            reminded += bool(
                _send(
                    ballot,
                    "closing",
                    "closing",
                    electorate_users(ballot, only_unfinished=True),
                    _("Voting closes soon: %(title)s") % {"title": ballot.title},
                    _("Voting on %(title)s closes at %(closes)s and you have not voted on every matter yet.")
                    % {"title": ballot.title, "closes": closes},
                    closes=closes,
                )
            )
    return reminded
