"""Meetings of every kind the communities hold (联席会议, 议事会, 圆桌议事, 共治沙龙, 网格议事日,
楼道会议, 红色议事厅): schedule, invitations, sign-in, agenda, minutes, resolutions with their votes,
action items followed until done, and publication to the places concerned.

How many must be present and what majority carries a resolution are data (MeetingRule, one per
kind), not code, so that a community's own rules of procedure can be configured.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.core.models import TimeStampedModel, VersionedModel
from shuren.places.placing import PlacedModel


class MeetingKind(models.TextChoices):
    JOINT = "joint", _("Joint meeting (联席会议)")
    COUNCIL = "council", _("Deliberation council (议事会)")
    ROUND_TABLE = "round_table", _("Round table (圆桌议事)")
    SALON = "salon", _("Co-governance salon (共治沙龙)")
    GRID_DAY = "grid_day", _("Grid deliberation day (网格议事日)")
    STAIRWELL = "stairwell", _("Stairwell meeting (楼道会议)")
    HALL = "hall", _("Red deliberation hall (红色议事厅)")


def _token() -> str:
    return secrets.token_urlsafe(24)


class MeetingRule(models.Model):
    """Rules of procedure for one kind of meeting: quorum as a share of those invited, and the majority
    of votes that carries a resolution ("more than" or "at least" the share)."""

    kind = models.CharField(_("kind of meeting"), max_length=12, choices=MeetingKind.choices, unique=True)
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: numerator"), default=1)
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum: denominator"), default=2, validators=[MinValueValidator(1)]
    )
    quorum_strict = models.BooleanField(_("quorum needs more than the share (not just equal)"), default=True)
    majority_numerator = models.PositiveSmallIntegerField(_("majority: numerator"), default=1)
    majority_denominator = models.PositiveSmallIntegerField(
        _("majority: denominator"), default=2, validators=[MinValueValidator(1)]
    )
    majority_strict = models.BooleanField(_("majority needs more than the share (not just equal)"), default=True)
    majority_of_present = models.BooleanField(
        _("majority counted among those present (otherwise among votes cast for or against)"), default=True
    )
    votes_named_by_default = models.BooleanField(_("record each member's vote by default"), default=False)
    takes_resolutions = models.BooleanField(
        _("takes binding resolutions"),
        default=True,
        help_text=_("Salons and round tables discuss; their conclusions are recorded without a vote."),
    )

    class Meta:
        verbose_name = _("rules of procedure")
        verbose_name_plural = _("rules of procedure")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_numerator__lte=models.F("quorum_denominator")), name="meetings_rule_quorum_le_one"
            ),
            models.CheckConstraint(
                condition=Q(majority_numerator__lte=models.F("majority_denominator")),
                name="meetings_rule_majority_le_one",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", pgettext_lazy("meeting", "In progress")
    HELD = "held", _("Held (minutes in preparation)")
    PUBLISHED = "published", _("Minutes published")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(TimeStampedModel, VersionedModel, PlacedModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("purpose"), max_length=2000, blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("where"), max_length=120)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    convener = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("convened by")
    )
    # The secret in the sign-in QR code: whoever scans it (signed in) is checked in.
    checkin_token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    checkin_open = models.BooleanField(_("sign-in open"), default=False)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Besides the meeting's own place, minutes may be published to further estates or buildings.
    also_publish_to_estates = models.ManyToManyField(
        "places.Estate", blank=True, related_name="+", verbose_name=_("also publish to estates")
    )
    also_publish_to_buildings = models.ManyToManyField(
        "places.Building", blank=True, related_name="+", verbose_name=_("also publish to buildings")
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["scope", "starts_at"], name="meetings_scope_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meetings_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Will attend")
    DECLINED = "declined", _("Cannot attend")


class Invitation(models.Model):
    """One invitee: a person of the registry, a user, or an organisation (which sends someone).
    Invitations by role or organisation are expanded into one row per invitee; ``invited_as``
    keeps how they came to be invited (a role, an organisation, or by name)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invited_as = models.CharField(_("invited as"), max_length=80, blank=True)
    status = models.CharField(
        _("reply"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )
    is_voting = models.BooleanField(_("voting member"), default=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], condition=Q(person__isnull=False), name="meetings_invite_person_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="meetings_invite_user_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "organization"],
                condition=Q(organization__isnull=False, person__isnull=True, user__isnull=True),
                name="meetings_invite_organization_once",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(user__isnull=False) | Q(organization__isnull=False),
                name="meetings_invite_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.invited_as}"


class CheckInMethod(models.TextChoices):
    QR = "qr", _("Scanned the QR code")
    STAFF = "staff", _("Signed in by staff")


class Attendance(models.Model):
    """Someone present: an invitee, or a walk-in whose name staff wrote down."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="attendance"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("name"), max_length=50)
    representing = models.CharField(_("representing"), max_length=80, blank=True)
    is_voting = models.BooleanField(_("voting member"), default=True)
    method = models.CharField(_("how"), max_length=6, choices=CheckInMethod.choices)
    checked_in_at = models.DateTimeField(_("signed in at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["checked_in_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="meetings_attend_user_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"], condition=Q(person__isnull=False), name="meetings_attend_person_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AgendaKind(models.TextChoices):
    STUDY = "study", _("First agenda item: study (第一议题)")
    REPORT = "report", _("Report")
    DISCUSSION = "discussion", _("Discussion")
    DECISION = "decision", _("Decision")


class AgendaItem(models.Model):
    """One point on the agenda, linked to what it is about: an appeal, a governance-list item, a resident
    proposal or a convention's draft."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=10, choices=AgendaKind.choices, default=AgendaKind.DISCUSSION)
    title = models.CharField(_("title"), max_length=150)
    notes = models.TextField(_("notes"), max_length=3000, blank=True)
    presenter = models.CharField(_("presented by"), max_length=60, blank=True)
    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    governance_item = models.ForeignKey(
        "governance.GovernanceItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    convention_version = models.ForeignKey(
        "conventions.ConventionVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    outcome = models.TextField(_("outcome"), max_length=3000, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="meetings_agenda_unique_position"),
            # A proposal is scheduled once at a time: the next meeting takes it, not every meeting.
            models.UniqueConstraint(
                fields=["meeting", "proposal"],
                condition=Q(proposal__isnull=False),
                name="meetings_agenda_proposal_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Minutes(TimeStampedModel, VersionedModel):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("minutes"), max_length=50000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.meeting} · {_('minutes')}"


class MinutesRevision(models.Model):
    """The text of the minutes as it stood before an edit: minutes change while the meeting is held,
    and every earlier wording stays readable."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("minutes"), max_length=50000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("earlier minutes")
        verbose_name_plural = _("earlier minutes")
        ordering = ["minutes", "-number"]
        constraints = [models.UniqueConstraint(fields=["minutes", "number"], name="meetings_minutes_revision_once")]

    def __str__(self) -> str:
        return f"{self.minutes_id} v{self.number}"


class VoteMode(models.TextChoices):
    COUNTS = "counts", _("Counted (numbers only)")
    NAMED = "named", _("Named (each member's vote)")
    CONSENSUS = "consensus", _("Agreed without a vote")


class Choice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Resolution(TimeStampedModel):
    """A decision put to the meeting. With counted or named votes the outcome is computed from the
    meeting kind's rule at the moment the vote is recorded and kept with its arithmetic."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="resolutions"
    )
    text = models.TextField(_("resolution"), max_length=3000)
    vote_mode = models.CharField(_("how decided"), max_length=10, choices=VoteMode.choices, default=VoteMode.COUNTS)
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), default=0)
    voting_members_present = models.PositiveIntegerField(_("voting members present"), default=0)
    voting_members_invited = models.PositiveIntegerField(_("voting members invited"), default=0)
    quorum_met = models.BooleanField(_("quorum met"), default=False)
    carried = models.BooleanField(_("carried"), default=False)
    arithmetic = models.JSONField(_("how the outcome was reached"), default=dict, blank=True)
    convention_version = models.ForeignKey(
        "conventions.ConventionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopting_resolutions",
        verbose_name=_("adopts convention version"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class ResolutionVote(models.Model):
    """A named vote: one per member present."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="named_votes")
    attendance = models.ForeignKey(Attendance, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resolution", "attendance"], name="meetings_one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.resolution_id} {self.choice}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItem(TimeStampedModel, VersionedModel):
    """Something the meeting decided someone must do, followed until done."""

    scope_field = "scope"  # the meeting's, copied on save
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    resolution = models.ForeignKey(
        Resolution, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    scope = models.CharField(_("scope"), max_length=255, db_index=True, editable=False)
    title = models.CharField(_("what"), max_length=150)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    owner_organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner organisation"),
    )
    owner_name = models.CharField(_("owner (as written)"), max_length=60, blank=True)
    due_on = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_user__isnull=False) | Q(owner_organization__isnull=False) | ~Q(owner_name=""),
                name="meetings_action_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.meeting.scope
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ActionUpdate(models.Model):
    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("progress note"), max_length=2000)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), validators=[MaxValueValidator(100)])
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action_item_id} {self.progress}%"


class MeetingEvent(models.Model):
    """The meeting's timeline (scheduled, invitations sent, sign-in, minutes, publication ...)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20)
    text = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.kind}"


class CalendarFeed(models.Model):
    """A user's private iCalendar feed address: calendar apps cannot sign in, so the secret in the
    address is the credential. Only its SHA-256 is stored; the address is shown once when made, and
    making a new one ends the old."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}"
