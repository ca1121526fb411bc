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

    def save(self, *args: object, **kwargs: object) -> None:
        from pypinyin import Style, lazy_pinyin

        self.id_index = id_index_of(self.id_number) if self.id_number else None
        self.phone_index = crypto.blind_index(self.phone, purpose=PHONE_INDEX_PURPOSE) if self.phone else ""
        self.phone_tail = self.phone[-4:] if self.phone else ""
        self.name_pinyin = "".join(lazy_pinyin(self.name)).lower()
        self.name_initials = "".join(lazy_pinyin(self.name, style=Style.FIRST_LETTER)).lower()
        if not self.scope:
            self.scope = self.community.path
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
        self.scope = self.dwelling.scope if self.dwelling_id else self.person.scope
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
