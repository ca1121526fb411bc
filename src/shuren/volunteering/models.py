"""Volunteering (志愿服务): volunteers and their teams, activities they sign up for, check-in and
check-out on the day, and the service records (hours) the organiser confirms.

- Teams are ``orgs.Organization(kind=volunteer_team)``; a volunteer joins a team through
  ``orgs.Membership``. A ``VolunteerProfile`` carries the skills, availability and the community's
  approval of the registration.
- An ``Activity`` is published for a place and a time window with a capacity. A ``SignUp`` is
  confirmed while places remain, otherwise waitlisted; a cancellation moves the first waitlisted up.
- ``CheckIn`` records arrival and departure (by QR code or by the organiser) and proposes the hours.
- A ``ServiceRecord`` is what counts: created when the organiser confirms the hours, immutable from
  then on (a database trigger refuses updates and deletes); a correction is a new record that
  references the one it corrects and carries the difference in minutes.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.core.models import ScopedModel, TimeStampedModel, VersionedModel
from shuren.places.placing import PlacedModel


def _token() -> str:
    return secrets.token_urlsafe(24)


class Skill(models.Model):
    """A skill volunteers offer and activities ask for (data, editable by the system administrator)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Availability(models.TextChoices):
    """When a volunteer can usually serve; a profile holds a list of these codes."""

    WEEKDAY_MORNING = "weekday_morning", _("Weekday mornings")
    WEEKDAY_AFTERNOON = "weekday_afternoon", _("Weekday afternoons")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings")
    WEEKEND_MORNING = "weekend_morning", _("Weekend mornings")
    WEEKEND_AFTERNOON = "weekend_afternoon", _("Weekend afternoons")
    WEEKEND_EVENING = "weekend_evening", _("Weekend evenings")


def availability_labels(codes: list[str]) -> list[str]:
    """The words for a profile's availability codes, in the order given."""
    labels = dict(Availability.choices)
    return [str(labels.get(code, code)) for code in codes or []]


class ProfileStatus(models.TextChoices):
    APPLIED = "applied", _("Awaiting approval")
    APPROVED = "approved", pgettext_lazy("volunteer", "Approved")
    REJECTED = "rejected", pgettext_lazy("volunteer", "Not approved")
    SUSPENDED = "suspended", _("Suspended")


class VolunteerProfile(TimeStampedModel, VersionedModel, ScopedModel):
    """A person's registration as a volunteer of their community (scope = the community's path)."""

    # Set by the pages and exports (display only); ``selectors.with_hours`` annotates the minutes.
    hours_year: Decimal
    hours_total: Decimal
    team_names: list[str]
    availability_labels: list[str]
    may_decide: bool

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="volunteer_profile", verbose_name=_("person")
    )
    community = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    status = models.CharField(_("status"), max_length=10, choices=ProfileStatus.choices, default=ProfileStatus.APPLIED)
    skills = models.ManyToManyField(Skill, blank=True, related_name="volunteers", verbose_name=_("skills"))
    availability = models.JSONField(_("availability"), default=list, blank=True)
    introduction = models.TextField(_("about me"), max_length=1000, blank=True)
    applied_at = models.DateTimeField(_("applied at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.CharField(_("note on the decision"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")
        ordering = ["scope", "-applied_at"]

    def __str__(self) -> str:
        return str(self.person)

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.community.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # Model.save takes its own keywords; passed through


class VolunteeringPolicy(TimeStampedModel):
    """Per community: the party members' annual service target (双50小时: 50 hours by default)."""

    community = models.OneToOneField(
        "places.Area", on_delete=models.CASCADE, related_name="volunteering_policy", verbose_name=_("community")
    )
    party_member_target_hours = models.PositiveSmallIntegerField(
        _("annual service target for party members (hours)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    approval_required = models.BooleanField(
        _("volunteer registrations need approval"),
        default=True,
        help_text=_("Without approval, a registration is approved at once."),
    )

    class Meta:
        verbose_name = _("volunteering policy")
        verbose_name_plural = _("volunteering policies")

    def __str__(self) -> str:
        return str(self.community)


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("activity", "Published")
    CANCELLED = "cancelled", pgettext_lazy("activity", "Cancelled")
    FINISHED = "finished", pgettext_lazy("activity", "Finished")


class Activity(TimeStampedModel, VersionedModel, PlacedModel):
    """A volunteer activity (志愿活动) at a place and time, with places for ``capacity`` volunteers."""

    # Set by the pages (display only); ``selectors.listed_activities`` annotates the counts.
    places_left: int
    my_signup: Any

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    location = models.CharField(_("where"), max_length=120)
    team = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        limit_choices_to={"kind": "volunteer_team"},
        verbose_name=_("volunteer team"),
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    signup_closes_at = models.DateTimeField(_("sign-up closes at"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    skills_wanted = models.ManyToManyField(
        Skill, blank=True, related_name="activities", verbose_name=_("skills wanted")
    )
    points_per_hour = models.PositiveSmallIntegerField(
        _("points per hour"), default=0, validators=[MaxValueValidator(1000)]
    )
    approved_volunteers_only = models.BooleanField(
        _("only approved volunteers may sign up"),
        default=True,
    )
    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT)
    # The secret in the check-in QR code: a signed-up volunteer who scans it (signed in) checks in
    # or, after checking in, checks out.
    checkin_token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("volunteer activity")
        verbose_name_plural = _("volunteer activities")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["scope", "starts_at"], name="volunteering_scope_starts")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="volunteering_activity_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="volunteering_activity_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Place confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled by the volunteer")
    WITHDRAWN = "withdrawn", _("Withdrawn by the organiser")


ACTIVE_SIGNUP_STATUSES = (SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED)


class SignUp(TimeStampedModel):
    """One volunteer's place (or place in the queue) on an activity."""

    # Set by the volunteer's page of their sign-ups (display only).
    minutes_total: int | None
    hours_total: Decimal | None

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=SignUpStatus.choices)
    # The order on the waiting list: the time of signing up, kept when promoted.
    queued_at = models.DateTimeField(_("signed up at"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        help_text=_("Set when the organiser signed the volunteer up."),
    )

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="volunteering_signup_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.person}"


class CheckInMethod(models.TextChoices):
    QR = "qr", _("QR code")
    ORGANISER = "organiser", _("By the organiser")


class CheckIn(models.Model):
    """Arrival and departure of a signed-up volunteer; proposes the minutes served."""

    signup = models.OneToOneField(SignUp, on_delete=models.CASCADE, related_name="checkin")
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_in_by = models.CharField(_("check-in"), max_length=10, choices=CheckInMethod.choices)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    checked_out_by = models.CharField(_("check-out"), max_length=10, choices=CheckInMethod.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=models.F("checked_in_at")),
                name="volunteering_checkout_after_checkin",
            )
        ]

    def __str__(self) -> str:
        return f"{self.signup} @ {self.checked_in_at:%Y-%m-%d %H:%M}"


class ServiceRecord(ScopedModel):
    """Confirmed volunteer service: the hours that count (toward 双50 and for points).

    Immutable once written (a database trigger refuses UPDATE and DELETE). A correction is a new
    record with ``corrects`` set and ``minutes`` holding the signed difference; a person's hours
    are the sum of their records. One original record per sign-up (unique), so confirming the same
    hours twice writes one record and credits points once.
    """

    # Set by ``services.confirm_hours``: whether this call wrote the record.
    created_now: bool

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="service_records", verbose_name=_("person")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="service_records"
    )
    signup = models.ForeignKey(SignUp, on_delete=models.PROTECT, null=True, blank=True, related_name="records")
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name=_("corrects")
    )
    served_on = models.DateField(_("served on"), db_index=True)
    minutes = models.IntegerField(pgettext_lazy("duration", "minutes"))
    # What the check-in and check-out proposed when the organiser confirmed (None: no check-in, or a
    # correction): kept so that a changed figure can be explained later.
    proposed_minutes = models.IntegerField(_("proposed minutes"), null=True, blank=True)
    description = models.CharField(_("what was done"), max_length=200, blank=True)
    reason = models.CharField(_("reason for the correction"), max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("confirmed by")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_on", "-pk"]
        indexes = [models.Index(fields=["person", "served_on"], name="volunteering_record_person_on")]
        constraints = [
            models.UniqueConstraint(
                fields=["signup"],
                condition=Q(signup__isnull=False, corrects__isnull=True),
                name="volunteering_record_one_per_signup",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=False) | Q(minutes__gt=0), name="volunteering_record_positive"
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(minutes=0), name="volunteering_correction_nonzero"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.served_on} · {self.minutes} min"

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)
