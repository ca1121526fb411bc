"""People of the community (一人一档): residents with their dwellings, tags and memberships.

ID numbers and phones are encrypted; ``id_index`` and ``phone_index`` are keyed hashes for exact
lookup and de-duplication. A person's scope is that of their current dwelling (so grid workers see
the people of their grid), or of their community when no dwelling is recorded.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuren.core import crypto
from shuren.core.fields import EncryptedTextField
from shuren.core.masking import mask_id_number, mask_phone
from shuren.core.models import ScopedModel, TimeStampedModel, VersionedModel
from shuren.places.models import Area, Dwelling

from .pinyin import pinyin_of

ID_INDEX_PURPOSE = "people.id_number"
PHONE_INDEX_PURPOSE = "people.phone"


def id_index_of(number: str) -> str:
    """The de-duplication key of a normalised ID number."""
    return crypto.blind_index(number, purpose=ID_INDEX_PURPOSE)


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Person(TimeStampedModel, VersionedModel, ScopedModel):
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="people", verbose_name=_("community"))
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True, default="汉族")
    id_number = EncryptedTextField(_("ID number"), blank=True, default="")
    id_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    phone = EncryptedTextField(_("mobile number"), blank=True, default="")
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # The last four digits are what every mask shows anyway; they let staff find "尾号8000".
    phone_tail = models.CharField(max_length=4, blank=True, db_index=True, editable=False)
    name_pinyin = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    name_initials = models.CharField(max_length=50, blank=True, db_index=True, editable=False)
    # The account this resident signs in with, once they have one (building leaders, volunteers).
    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("account"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_pinyin", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def derive_fields(self) -> None:
        """Compute the lookup columns (blind indexes, phone tail, pinyin, scope) from the values.
        ``save`` calls it; bulk loads call it themselves before ``bulk_create``."""
        self.id_index = id_index_of(self.id_number) if self.id_number else None
        self.phone_index = crypto.blind_index(self.phone, purpose=PHONE_INDEX_PURPOSE) if self.phone else ""
        self.phone_tail = self.phone[-4:] if self.phone else ""
        self.name_pinyin, self.name_initials = pinyin_of(self.name)
        if not self.scope:
            self.scope = self.community.path

    def save(self, *args: object, **kwargs: object) -> None:
        self.derive_fields()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ResidenceRelation(models.TextChoices):
    OWNER = "owner", _("Owner")
    TENANT = "tenant", _("Tenant")
    FAMILY = "family", _("Family member")


class ResidenceStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered resident (户籍)")
    PERMANENT = "permanent", _("Permanent resident (常住)")
    FLOATING = "floating", _("Floating resident (流动)")


class Residence(TimeStampedModel, ScopedModel):
    """A person living in (or owning) a dwelling over a period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residences", verbose_name=_("person"))
    dwelling = models.ForeignKey(
        Dwelling, on_delete=models.PROTECT, related_name="residences", verbose_name=_("dwelling")
    )
    relation = models.CharField(_("relation"), max_length=10, choices=ResidenceRelation.choices)
    status = models.CharField(_("residence status"), max_length=12, choices=ResidenceStatus.choices)
    from_on = models.DateField(_("from"), null=True, blank=True)
    to_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("residence")
        verbose_name_plural = _("residences")
        constraints = [
            models.CheckConstraint(
                condition=Q(to_on__isnull=True) | Q(from_on__isnull=True) | Q(to_on__gte=models.F("from_on")),
                name="people_residence_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.dwelling}"

    @property
    def is_current(self) -> bool:
        return self.to_on is None

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.dwelling.scope
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class PersonTag(models.Model):
    """An admin-extensible label: veteran, elderly living alone, low income, newcomer, ...

    ``is_sensitive`` tags (health, low income, disability, ...) are shown only to roles allowed to
    see sensitive categories."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    is_sensitive = models.BooleanField(_("sensitive category"), default=False)

    class Meta:
        verbose_name = _("person tag")
        verbose_name_plural = _("person tags")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PersonTagging(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey(PersonTag, on_delete=models.PROTECT, related_name="taggings")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "tag"], name="people_tagging_unique")]

    def __str__(self) -> str:
        return f"{self.person} · {self.tag}"


class VisitPurpose(models.TextChoices):
    ROUTINE = "routine", _("Routine visit (入户走访)")
    CARE = "care", _("Care for the elderly or vulnerable")
    DOOR_KNOCK = "door_knock", _("Door-knocking campaign (敲门行动)")
    SURVEY = "survey", _("Survey or registration")
    DISPUTE = "dispute", _("Dispute or complaint")
    NOTICE = "notice", _("Notice or policy explanation")


class Visit(TimeStampedModel, ScopedModel):
    """A household visit: who went, when, why, what they found and what must follow."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="visits", null=True, blank=True, verbose_name=_("person")
    )
    dwelling = models.ForeignKey(
        Dwelling, on_delete=models.PROTECT, related_name="visits", null=True, blank=True, verbose_name=_("dwelling")
    )
    visitor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="visits", verbose_name=_("visitor")
    )
    visited_on = models.DateField(_("visited on"))
    purpose = models.CharField(_("purpose"), max_length=12, choices=VisitPurpose.choices)
    findings = models.TextField(_("findings"), max_length=2000, blank=True)
    follow_up = models.TextField(_("follow-up needed"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(dwelling__isnull=False), name="people_visit_has_a_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.person or self.dwelling}"

    def save(self, *args: object, **kwargs: object) -> None:
        place = self.dwelling if self.dwelling is not None else self.person
        assert place is not None, "a visit is to a person, a dwelling or both"
        self.scope = place.scope
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class VisitRule(models.Model):
    """'People tagged X are visited at least every N days', e.g. elderly living alone: 7 days."""

    tag = models.OneToOneField(PersonTag, on_delete=models.CASCADE, related_name="visit_rule", verbose_name=_("tag"))
    interval_days = models.PositiveSmallIntegerField(_("visit at least every (days)"))

    class Meta:
        verbose_name = _("visit rule")
        verbose_name_plural = _("visit rules")

    def __str__(self) -> str:
        return f"{self.tag}: {self.interval_days}"


# The kinds of organisation (orgs.OrganizationKind values) that a resident's party record or league
# profile may name as its branch. People sits below orgs, so orgs builds its PARTY_KINDS from these.
PARTY_BRANCH_KINDS = frozenset({"party_committee", "party_general_branch", "party_branch"})
LEAGUE_BRANCH_KINDS = frozenset({"league_branch"})


class PartyStatus(models.TextChoices):
    FORMAL = "formal", _("Full member (正式党员)")
    PROBATIONARY = "probationary", _("Probationary member (预备党员)")


class PartyRelation(models.TextChoices):
    """How the member relates to this community (党员 / 流动党员 / 在职党员报到)."""

    REGISTERED = "registered", _("Membership registered here (组织关系在本社区)")
    MOBILE = "mobile", _("Mobile member (流动党员)")
    IN_SERVICE = "in_service", _("In-service member reporting here (在职党员报到)")


class PartyMembership(TimeStampedModel):
    """A resident's party membership: a sensitive category, shown only with ``people.view_affiliation``.

    Its scope is the person's: it is always read through the person it belongs to."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="party_membership", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=12, choices=PartyStatus.choices)
    relation = models.CharField(_("relation to the community"), max_length=12, choices=PartyRelation.choices)
    branch = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_members",
        verbose_name=_("party branch"),
    )
    joined_on = models.DateField(_("joined the party on"), null=True, blank=True)
    workplace = models.CharField(
        _("workplace"),
        max_length=100,
        blank=True,
        help_text=_("For in-service members: the unit they work for and report from."),
    )
    reported_on = models.DateField(_("reported to the community on"), null=True, blank=True)

    class Meta:
        verbose_name = _("party membership")
        verbose_name_plural = _("party memberships")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"


class LeagueProfile(TimeStampedModel):
    """一团员一档案: a youth-league member's profile of traits, needs, abilities and willingness."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="league_profile", verbose_name=_("person")
    )
    branch = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="league_members",
        verbose_name=_("league branch"),
    )
    joined_on = models.DateField(_("joined the league on"), null=True, blank=True)
    traits = models.TextField(_("traits"), max_length=500, blank=True)
    needs = models.TextField(_("needs"), max_length=500, blank=True)
    abilities = models.TextField(_("abilities"), max_length=500, blank=True)
    willingness = models.TextField(_("willing to take part in"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("youth-league profile")
        verbose_name_plural = _("youth-league profiles")

    def __str__(self) -> str:
        return f"{self.person} · {_('youth-league profile')}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    CHECKING = "checking", _("Checking rows")
    WRITING = "writing", _("Writing")
    DONE = "done", _("Imported")
    CHECKED = "checked", _("Checked, nothing written")
    REJECTED = "rejected", _("Rejected: see the errors")
    FAILED = "failed", _("Failed")


class ImportJob(TimeStampedModel, ScopedModel):
    """A large spreadsheet import run by a worker, with its progress and outcome.

    The uploaded file is kept encrypted until the job ends (so that a job whose worker died can be
    run again, see people.tasks); it is wiped with the outcome."""

    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    file_name = models.CharField(_("file"), max_length=200)
    data = models.BinaryField(editable=False)
    dry_run = models.BooleanField(_("only check"), default=False)
    language = models.CharField(max_length=10, default="zh-hans", editable=False)  # of the error messages
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    created = models.PositiveIntegerField(_("people registered"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # Rows left out because the resident is already registered: [row, column, reason].
    duplicates = models.JSONField(_("rows already registered"), default=list, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.CHECKED, ImportStatus.REJECTED, ImportStatus.FAILED}

    @property
    def percent(self) -> int | None:
        if self.is_finished:
            return 100
        if not self.rows_total:
            return None
        checked = min(self.rows_checked, self.rows_total) * 80 // self.rows_total  # checking is ~80% of the work
        return checked + (10 if self.status == ImportStatus.WRITING else 0)

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.community.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]
