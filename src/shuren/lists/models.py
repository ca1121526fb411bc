"""The three lists (三张清单) a community keeps, and the matching of the first two: residents' needs
(居民需求清单), the resources the member units of the big party committee, other organisations and
residents offer (单位资源清单), and the matches that bring a resource to a need. The public part of
the resources is the community's serviceable list (可服务清单).

A need belongs to its place (community or grid, optionally estate, building, dwelling); a resource
to the area where it is offered. A match carries the need's scope, so staff of the need's place
see it, and the provider answers it from its own account.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shuren.core.models import ScopedModel, TimeStampedModel, VersionedModel


class Category(models.TextChoices):
    """What a need asks for and a resource gives: one list for both, so that they can match.

    The appeals' categories name problems to fix with deadlines (docs/adr/0030); these name kinds
    of help."""

    MEALS = "meals", _("Meals for elders (助餐)")
    CARE = "care", _("Care and company (照护陪伴)")
    HEALTH = "health", _("Health check and medical help (健康义诊)")
    LEGAL = "legal", _("Legal advice (法律咨询)")
    REPAIR = "repair", _("Repairs (维修)")
    GROOMING = "grooming", _("Haircuts and grooming (理发)")
    TUTORING = "tutoring", _("Tutoring and child care (学业辅导)")
    EMPLOYMENT = "employment", _("Jobs and training (就业培训)")
    VENUE = "venue", _("A place to meet (场地)")
    GOODS = "goods", _("Goods and supplies (物资)")
    FUNDS = "funds", _("Funds (资金)")
    CULTURE = "culture", _("Culture and sports (文体活动)")
    OTHER = "other", _("Other (其他)")


class Concerned(models.TextChoices):
    HOUSEHOLD = "household", _("A household")
    ELDERLY_ALONE = "elderly_alone", _("Elders living alone")
    DISABLED = "disabled", _("People with disabilities")
    LOW_INCOME = "low_income", _("Low-income households")
    CHILDREN = "children", _("Children")
    GROUP = "group", _("Another group of residents")
    BUILDING = "building", _("A whole building")
    COMMUNITY = "community", _("The whole community")


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


URGENCY_RANK = {Urgency.URGENT: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2, Urgency.LOW: 3}


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched, awaiting the provider")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CLOSED = "closed", _("Closed without action")


LIVE_NEED_STATUSES = (NeedStatus.OPEN, NeedStatus.MATCHED, NeedStatus.IN_PROGRESS)


class NeedSource(models.TextChoices):
    VISIT = "visit", _("Home visit")
    APPEAL = "appeal", _("Appeal")
    PROPOSAL = "proposal", _("Proposal")
    SURVEY = "survey", _("Survey")
    MEETING = "meeting", _("Meeting")
    STAFF = "staff", _("Community staff")
    SERVICEABLE_REQUEST = "serviceable_request", _("Request from the serviceable list")


class Need(TimeStampedModel, VersionedModel, ScopedModel):
    """One need of residents: who is concerned, where, what kind of help, how urgent, and where we
    heard of it (``source`` with a link to that object: ``source_type`` is its model label, e.g.
    ``appeals.appeal``, and ``source_id`` its id)."""

    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    area = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("community or grid")
    )
    estate = models.ForeignKey(
        "places.Estate", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("estate")
    )
    building = models.ForeignKey(
        "places.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building"),
    )
    dwelling = models.ForeignKey(
        "places.Dwelling",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dwelling"),
    )
    concerned = models.CharField(
        _("who is concerned"), max_length=16, choices=Concerned.choices, default=Concerned.HOUSEHOLD
    )
    concerned_text = models.CharField(_("who, in words"), max_length=200, blank=True)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("resident concerned"),
    )
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    wanted_on = models.DateField(_("wanted by"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("how many (people, times, items)"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    close_reason = models.CharField(_("reason"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=NeedSource.choices, default=NeedSource.STAFF)
    source_type = models.CharField(_("source object"), max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["scope", "status"], name="lists_need_scope_status"),
            models.Index(fields=["source_type", "source_id"], name="lists_need_source"),
            models.Index(fields=["status", "done_at"], name="lists_need_done"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"XQ-{self.pk:06d}"

    @property
    def place_label(self) -> str:
        if self.dwelling is not None:
            return str(self.dwelling)
        if self.building is not None:
            return str(self.building)
        if self.estate is not None:
            return f"{self.area.name} · {self.estate.name}"
        return self.area.name

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_NEED_STATUSES

    def placed_scope(self) -> str:
        if self.dwelling is not None:
            return self.dwelling.scope
        if self.building is not None:
            return self.building.scope
        return self.area.path


class ResourceKind(models.TextChoices):
    VENUE = "venue", _("Venue")
    MONEY = "money", _("Money")
    GOODS = "goods", _("Goods")
    SERVICE = "service", _("Professional service")
    VOLUNTEERS = "volunteers", _("Volunteers")
    JOBS = "jobs", _("Jobs and training places")


# Weekdays as bits: Monday is 1, Sunday 64 (Python's date.weekday() as the bit's position).
WEEKDAY_BITS = {day: 1 << day for day in range(7)}
ALL_WEEK = 127


def weekday_bit(day: dt.date) -> int:
    return 1 << day.weekday()


class Resource(TimeStampedModel, VersionedModel, ScopedModel):
    """What an organisation (a member unit, the property manager, a volunteer team ...) or a resident
    offers: its kind and category, how much is left, when it is available (weekdays and hours
    within the dates it is valid), and whether it appears on the public serviceable list.

    ``capacity`` and ``remaining`` count in the resource's unit: places, sessions, items, people;
    for money, fen (分)."""

    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("offered by (organisation)"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("offered by (resident)"),
    )
    show_name = models.BooleanField(
        _("show the resident's name on the serviceable list"),
        default=False,
        help_text=_("Organisations are always shown by name; a resident only when they agree."),
    )
    area = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("offered in (community or grid)")
    )
    capacity = models.PositiveIntegerField(_("capacity"), default=1)
    remaining = models.PositiveIntegerField(_("remaining"), default=1)
    unit_label = models.CharField(_("counted in"), max_length=10, blank=True, help_text=_("e.g. places, sessions"))
    venue_seats = models.PositiveIntegerField(_("seats (venues)"), null=True, blank=True)
    skills = models.CharField(_("skills (volunteers)"), max_length=200, blank=True)
    weekdays = models.PositiveSmallIntegerField(_("weekdays"), default=ALL_WEEK)
    opens_at = models.TimeField(_("from (time)"), null=True, blank=True)
    closes_at = models.TimeField(_("until (time)"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_public = models.BooleanField(_("on the public serviceable list"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["category", "is_active", "remaining"], name="lists_resource_candidates"),
            models.Index(fields=["organization", "is_active"], name="lists_resource_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False, person__isnull=True)
                | Q(organization__isnull=True, person__isnull=False),
                name="lists_resource_one_provider",
            ),
            models.CheckConstraint(condition=Q(remaining__lte=F("capacity")), name="lists_resource_remaining_le_cap"),
            models.CheckConstraint(condition=Q(weekdays__lte=ALL_WEEK), name="lists_resource_weekdays"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def provider_label(self) -> str:
        """The provider as staff see it."""
        if self.organization is not None:
            return self.organization.name
        return self.person.name if self.person is not None else ""

    @property
    def public_provider_label(self) -> str:
        """The provider as the public serviceable list shows it: an organisation by name, a resident
        by name only when they chose so, otherwise as "a resident" (居民)."""
        if self.organization is not None:
            return self.organization.name
        if self.person is not None and self.show_name:
            return self.person.name
        return str(_("A resident"))

    def is_available_on(self, day: dt.date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        if self.valid_until is not None and day > self.valid_until:
            return False
        return bool(self.weekdays & weekday_bit(day))

    @property
    def weekday_labels(self) -> list[str]:
        names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
        return [str(names[day]) for day in range(7) if self.weekdays & (1 << day)]


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting the provider")
    ACCEPTED = "accepted", _("Accepted by the provider")
    DECLINED = "declined", _("Declined by the provider")
    DONE = "done", _("Done")
    WITHDRAWN = "withdrawn", _("Withdrawn")


LIVE_MATCH_STATUSES = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)


class Match(TimeStampedModel, VersionedModel, ScopedModel):
    """A resource offered to a need: staff propose it, the provider accepts (taking ``quantity`` off
    what remains) or declines, and the outcome is recorded when it is done. ``scope`` is the need's."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="matches", verbose_name=_("need"))
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="matches", verbose_name=_("resource"))
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    reason = models.CharField(_("why this resource"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "resource"],
                condition=Q(status__in=["proposed", "accepted"]),
                name="lists_match_one_live_per_pair",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="lists_match_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.need} · {self.resource}"


class EventKind(models.TextChoices):
    CREATED = "created", _("Recorded")
    EDITED = "edited", _("Edited")
    PROPOSED = "proposed", _("Resource proposed")
    ACCEPTED = "accepted", _("Provider accepted")
    DECLINED = "declined", _("Provider declined")
    WITHDRAWN = "withdrawn", _("Match withdrawn")
    DONE = "done", _("Done")
    CLOSED = "closed", _("Closed without action")


class NeedEvent(models.Model):
    """The need's timeline: every change, in order."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events", verbose_name=_("need"))
    match = models.ForeignKey(
        Match, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("match")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    text = models.CharField(_("text"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("need event")
        verbose_name_plural = _("need events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.need_id} {self.kind}"
