"""Residents' appeals (群众诉求, 接诉即办): what was reported, where, by whom, who must act, by when,
and everything that happened to it (the timeline of AppealEvents)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.core.fields import EncryptedTextField
from shuren.core.masking import mask_phone
from shuren.core.models import ScopedModel, TimeStampedModel, VersionedModel
from shuren.orgs.models import Organization
from shuren.people.models import Person
from shuren.places.models import Area, Building, Dwelling, Estate

service_code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_.-]{0,39}$", _("Use lower-case letters, digits, '.', '_' or '-'.")
)


class Category(models.Model):
    """A kind of problem (电动车充电, 高空抛物, 电梯故障 ...) with its deadlines. Categories form a
    tree; appeals are filed under leaves. ``code`` is the Open311 ``service_code``."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[service_code_validator])
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True, help_text=_("Separated by commas."))
    response_hours = models.PositiveIntegerField(
        _("response deadline (working hours)"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("Working hours from dispatch until the handler must have taken the appeal up."),
    )
    resolution_hours = models.PositiveIntegerField(
        _("resolution deadline (working hours)"),
        default=40,
        validators=[MinValueValidator(1)],
        help_text=_("Working hours from submission until the appeal must be resolved."),
    )
    is_active = models.BooleanField(_("open for new appeals"), default=True)
    is_published = models.BooleanField(
        _("publish resolved appeals on the public board"),
        default=True,
        help_text=_("Turn off for private matters such as family disputes."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("appeal category")
        verbose_name_plural = _("appeal categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        seen = {self.pk}
        parent = self.parent
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"parent": _("A category cannot lie beneath itself.")})
            seen.add(parent.pk)
            parent = parent.parent

    def lineage(self) -> list[Category]:
        """This category and its ancestors, nearest first."""
        chain: list[Category] = []
        node: Category | None = self
        while node is not None and len(chain) < 10:
            chain.append(node)
            node = node.parent
        return chain


def category_label(category: Category) -> str:
    """The category's name in the reader's language (the English name when browsing in English)."""
    from django.utils import translation

    english = (translation.get_language() or "").startswith("en")
    return category_name(category.name, category.name_en, english=english)


def category_name(name: str, name_en: str, *, english: bool) -> str:
    """``category_label`` from a category's two names (a list row read as values has them)."""
    return name_en if english and name_en else name


class DispatchRule(TimeStampedModel, ScopedModel):
    """Category × place → the organisation that should handle it. The rule with the lowest
    ``priority`` number among those that match wins; the dispatcher sees it as a suggestion."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="dispatch_rules", verbose_name=_("area"))
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dispatch_rules",
        verbose_name=_("category"),
        help_text=_("Empty: every category. A parent category covers its children."),
    )
    estate = models.ForeignKey(
        Estate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dispatch_rules",
        verbose_name=_("estate"),
        help_text=_("Empty: every estate of the area."),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="dispatch_rules", verbose_name=_("handling organisation")
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=100, help_text=_("Lower numbers win."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("dispatch rule")
        verbose_name_plural = _("dispatch rules")
        ordering = ["priority", "-scope", "pk"]

    def __str__(self) -> str:
        return f"{self.category or '*'} @ {self.estate or self.area} → {self.organization}"

    def clean(self) -> None:
        if self.estate is not None and self.area is not None:
            community = self.estate.community.path
            area = self.area.path
            if not (community == area or community.startswith(area + ".") or area.startswith(community + ".")):
                raise ValidationError({"estate": _("The estate must lie in the rule's area.")})

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.area.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Handler(TimeStampedModel):
    """An account that answers appeals for an organisation (a property manager's clerk, a
    department's liaison). With the handler role, it sees only appeals dispatched there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="handler_desks", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="handlers", verbose_name=_("organisation")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("appeal handler")
        verbose_name_plural = _("appeal handlers")
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="appeals_handler_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization}"


class IntakePolicy(TimeStampedModel):
    """What a community allows: anonymous reports, and how long a reporter may reopen."""

    community = models.OneToOneField(
        Area, on_delete=models.CASCADE, related_name="appeal_policy", verbose_name=_("community")
    )
    allow_anonymous = models.BooleanField(_("allow anonymous appeals"), default=False)
    reopen_days = models.PositiveSmallIntegerField(
        _("reopen window (days)"),
        default=7,
        validators=[MaxValueValidator(90)],
        help_text=_("Days after resolution during which a dissatisfied reporter may reopen the appeal once."),
    )
    publish_text = models.BooleanField(
        _("publish the reviewed summary and reply"),
        default=True,
        help_text=_(
            "On: a resolved appeal appears on the public board and in Open311 once the desk has compared "
            "the redacted summary and reply with the originals and confirmed them. Off: only the category, "
            "place and dates of resolved appeals are published, never their text."
        ),
    )

    class Meta:
        verbose_name = _("appeal intake policy")
        verbose_name_plural = _("appeal intake policies")

    def __str__(self) -> str:
        return str(self.community)


class Channel(models.TextChoices):
    PORTAL = "portal", _("Resident portal")
    PHONE = "phone", _("Phone call")
    HOTLINE = "hotline", _("12345 hotline")
    PATROL = "patrol", _("Grid patrol")
    BUILDING_LEADER = "building_leader", _("Building leader")
    VISIT = "visit", _("Walk-in")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted, awaiting dispatch")
    REJECTED = "rejected", _("Rejected")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved, awaiting feedback")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged into another appeal")


class Publication(models.TextChoices):
    """Where a resolved appeal stands with the public (the board, Open311). Resolving never
    publishes text: the desk reviews the redacted text first (PENDING -> PUBLISHED or DECLINED),
    unless the community publishes only category, place and dates (MINIMAL)."""

    NONE = "", _("Not for publication")
    PENDING = "pending", _("Awaiting publication review")
    PUBLISHED = "published", _("Published after review")
    DECLINED = "declined", _("Not published (declined at review)")
    MINIMAL = "minimal", _("Published without text (category, place and dates)")


OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS)
FINISHED_STATUSES = (Status.RESOLVED, Status.CLOSED)


class Level(models.TextChoices):
    """Who is answerable for an appeal; escalation moves it one level up."""

    GRID = "grid", pgettext_lazy("answerable level", "Grid")
    COMMUNITY = "community", pgettext_lazy("answerable level", "Community")
    SUBDISTRICT = "subdistrict", pgettext_lazy("answerable level", "Subdistrict")
    DISTRICT = "district", pgettext_lazy("answerable level", "District")


def new_token() -> str:
    return secrets.token_urlsafe(18)


def summary_of(description: str) -> str:
    """The start of a description, for lists: white space collapsed, at most 40 characters."""
    text = " ".join(description.split())
    return text if len(text) <= 40 else text[:39] + "…"


class Appeal(TimeStampedModel, VersionedModel, ScopedModel):
    """One appeal. ``scope`` is the path of the grid (or community) where the problem is, so the
    people of that place see it; a handler sees it only while it is dispatched to their
    organisation. Every change goes through ``appeals.workflow`` and leaves an AppealEvent."""

    # Unique through Meta.constraints rather than unique=True: on PostgreSQL that avoids a second,
    # never-used pattern index per column (references and tokens are looked up exactly).
    reference = models.CharField(_("reference"), max_length=20, editable=False)
    token = models.CharField(max_length=32, default=new_token, editable=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("category"))
    description = models.TextField(_("description"), max_length=4000)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.PORTAL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.GRID)

    # Where: a dwelling, a building or an estate of the registry, and/or a point.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("area"))
    estate = models.ForeignKey(
        Estate, on_delete=models.PROTECT, null=True, blank=True, related_name="appeals", verbose_name=_("estate")
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("building"),
        db_index=False,  # appeals_building_cat leads with it
    )
    dwelling = models.ForeignKey(
        Dwelling, on_delete=models.PROTECT, null=True, blank=True, related_name="appeals", verbose_name=_("dwelling")
    )
    address = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    # Who reported. Handlers never see these unless the dispatcher shares the contact.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("reporter account"),
    )
    reporter_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="appeals", verbose_name=_("reporter")
    )
    reporter_name = EncryptedTextField(_("reporter's name"), blank=True, default="")
    reporter_phone = EncryptedTextField(_("reporter's phone"), blank=True, default="")
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    contact_shared = models.BooleanField(
        _("contact shared with the handler"),
        default=False,
        help_text=_("Only when the handler needs to call the reporter (e.g. to enter the home)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_appeals",
        verbose_name=_("recorded by"),
    )

    # Who must act.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("handling organisation"),
        db_index=False,  # appeals_org_status leads with it
    )
    is_supervised = models.BooleanField(_("under supervision (督办)"), default=False)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged", verbose_name=_("merged into")
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    # Clock.
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("taken up at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    handling_hours = models.FloatField(_("handling time (working hours)"), null=True, blank=True)
    responded_on_time = models.BooleanField(_("taken up in time"), null=True, blank=True)
    resolved_on_time = models.BooleanField(_("resolved in time"), null=True, blank=True)

    # Outcome.
    resolution = models.TextField(_("reply to the reporter"), max_length=4000, blank=True)
    is_solved = models.BooleanField(_("solved, in the reporter's view"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    feedback_comment = models.TextField(_("reporter's comment"), max_length=1000, blank=True)
    feedback_at = models.DateTimeField(_("feedback at"), null=True, blank=True)
    public_summary = models.TextField(
        _("summary for the public board"),
        max_length=1000,
        blank=True,
        help_text=_("Shown on the public board instead of the description. No names, phones or door numbers."),
    )
    public_reply = models.TextField(
        _("reply for the public board"),
        max_length=4000,
        blank=True,
        help_text=_("The handler's reply as the desk confirmed it for the public, redacted."),
    )
    is_published = models.BooleanField(_("published on the public board"), default=False)
    publication = models.CharField(
        _("publication"), max_length=10, choices=Publication.choices, blank=True, default=Publication.NONE
    )
    published_at = models.DateTimeField(_("publication reviewed at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publication reviewed by"),
    )

    # Words of the description (jieba), for duplicates and search.
    terms = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["scope", "status"], name="appeals_scope_status"),
            models.Index(fields=["organization", "status"], name="appeals_org_status"),
            models.Index(fields=["status", "resolution_due_at"], name="appeals_status_due"),
            models.Index(fields=["building", "category", "status"], name="appeals_building_cat"),
            models.Index(fields=["is_published", "resolved_at"], name="appeals_board"),
            models.Index(
                fields=["scope"],
                opclasses=["varchar_pattern_ops"],
                condition=models.Q(publication="pending"),
                name="appeals_publication_review",
            ),
            # A community's (or subdistrict's) open appeals: a prefix search on scope among open ones only.
            models.Index(
                fields=["scope"],
                opclasses=["varchar_pattern_ops"],
                condition=models.Q(status__in=["submitted", "accepted", "dispatched", "in_progress"]),
                name="appeals_open_scope",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="appeals_unique_reference"),
            models.UniqueConstraint(fields=["token"], name="appeals_unique_token"),
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True) | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="appeals_satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="merged") | models.Q(duplicate_of__isnull=False),
                name="appeals_merged_names_target",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def summary(self) -> str:
        return summary_of(self.description)

    @property
    def masked_reporter_phone(self) -> str:
        return mask_phone(self.reporter_phone)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventKind(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    ACCEPT = "accept", _("Accepted")
    REJECT = "reject", _("Rejected")
    DISPATCH = "dispatch", _("Dispatched")
    TAKE_UP = "take_up", _("Taken up by the handler")
    RETURN = "return", _("Returned by the handler")
    PROGRESS = "progress", _("Progress note")
    RESOLVE = "resolve", _("Resolved")
    FEEDBACK = "feedback", _("Reporter's feedback")
    REOPEN = "reopen", _("Reopened")
    CLOSE = "close", _("Closed")
    ESCALATE = "escalate", _("Escalated")
    SUPERVISE = "supervise", _("Put under supervision")
    UNSUPERVISE = "unsupervise", _("Supervision lifted")
    MERGE = "merge", _("Merged")
    NOTE = "note", _("Internal note")
    REMIND = "remind", _("Reminder sent")
    PUBLISH = "publish", _("Publication changed")


class AppealEvent(models.Model):
    """One step on an appeal's timeline. Append-only: nothing edits or deletes an event."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events", verbose_name=_("appeal"))
    kind = models.CharField(_("what"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=12, choices=Status.choices, blank=True
    )
    to_status = models.CharField(
        pgettext_lazy("status change", "to"), max_length=12, choices=Status.choices, blank=True
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("organisation")
    )
    note = models.TextField(_("note"), max_length=4000, blank=True)
    is_public = models.BooleanField(_("shown to the reporter"), default=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.kind}"


class PhotoStage(models.TextChoices):
    REPORT = "report", _("As reported")
    RESOLUTION = "resolution", _("After resolution")


def photo_path(instance: AppealPhoto, filename: str) -> str:
    return f"appeals/{instance.appeal.submitted_at:%Y/%m}/{secrets.token_hex(12)}.jpg"


class AppealPhoto(models.Model):
    """A photo re-encoded as JPEG without its EXIF data (which would carry the phone's location
    and the reporter's device)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="photos", verbose_name=_("appeal"))
    stage = models.CharField(_("stage"), max_length=12, choices=PhotoStage.choices, default=PhotoStage.REPORT)
    image = models.FileField(_("photo"), upload_to=photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.stage}"
