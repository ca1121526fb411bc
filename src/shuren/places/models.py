"""The Area tree: district > subdistrict (town) > community > grid, with materialized paths."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuren.core.models import ScopedModel, TimeStampedModel, VersionedModel


class AreaKind(models.TextChoices):
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Subdistrict / town")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")


KIND_DEPTH = {AreaKind.DISTRICT: 0, AreaKind.SUBDISTRICT: 1, AreaKind.COMMUNITY: 2, AreaKind.GRID: 3}
PARENT_KIND = {
    AreaKind.SUBDISTRICT: AreaKind.DISTRICT,
    AreaKind.COMMUNITY: AreaKind.SUBDISTRICT,
    AreaKind.GRID: AreaKind.COMMUNITY,
}

code_validator = RegexValidator(r"^[0-9A-Za-z]{1,12}$", _("Use 1-12 letters or digits."))


class Area(TimeStampedModel, VersionedModel):
    """A place in the administrative tree. ``path`` joins the codes from the root, e.g.
    ``4406.05.017.03``; every scoped row stores the path of its area as ``scope``."""

    scope_field = "path"

    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    code = models.CharField(_("code"), max_length=12, validators=[code_validator])
    name = models.CharField(_("name"), max_length=80)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "code"], name="places_area_unique_code_in_parent"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(parent__isnull=True), name="places_area_unique_root_code"
            ),
        ]
        indexes = [models.Index(fields=["kind", "path"], name="places_area_kind_path")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        expected_parent = PARENT_KIND.get(AreaKind(self.kind))
        if expected_parent is None and self.parent_id:
            raise ValidationError({"parent": _("A district has no parent area.")})
        if expected_parent is not None:
            if self.parent is None:
                raise ValidationError({"parent": _("Choose the area this one belongs to.")})
            if self.parent.kind != expected_parent:
                raise ValidationError(
                    {
                        "parent": _("A %(kind)s belongs to a %(parent)s.")
                        % {"kind": self.get_kind_display(), "parent": AreaKind(expected_parent).label}
                    }
                )

    def compute_path(self) -> str:
        return f"{self.parent.path}.{self.code}" if self.parent is not None else self.code

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = self.compute_path()
        self.depth = self.path.count(".")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def ancestors(self) -> models.QuerySet[Area]:
        parts = self.path.split(".")
        prefixes = [".".join(parts[: i + 1]) for i in range(len(parts) - 1)]
        return Area.objects.filter(path__in=prefixes).order_by("depth")

    def descendants(self, include_self: bool = False) -> models.QuerySet[Area]:
        query = Q(path__startswith=self.path + ".")
        if include_self:
            query |= Q(pk=self.pk)
        return Area.objects.filter(query)


class Estate(TimeStampedModel, VersionedModel, ScopedModel):
    """A residential estate (小区) in a community, e.g. 富丰新城 with 20 buildings."""

    community = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="estates",
        limit_choices_to={"kind": AreaKind.COMMUNITY},
        verbose_name=_("community"),
    )
    name = models.CharField(_("name"), max_length=80)
    address = models.CharField(_("address"), max_length=200, blank=True)
    built_year = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)

    class Meta:
        verbose_name = _("estate")
        verbose_name_plural = _("estates")
        ordering = ["scope", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="places_estate_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.community_id and self.community.kind != AreaKind.COMMUNITY:
            raise ValidationError({"community": _("An estate belongs to a community.")})

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.community.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Building(TimeStampedModel, VersionedModel, ScopedModel):
    """A building (楼栋) of an estate. Its grid decides who looks after it: grid boundaries are sets
    of buildings, and every unit and dwelling inside carries the grid's path as its scope."""

    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("estate"))
    grid = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="buildings",
        limit_choices_to={"kind": AreaKind.GRID},
        verbose_name=_("grid"),
    )
    number = models.CharField(_("building number"), max_length=20, help_text=_("As written on the building, e.g. 5座"))
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    has_lift = models.BooleanField(_("has a lift"), default=False)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["estate", "number"]
        constraints = [models.UniqueConstraint(fields=["estate", "number"], name="places_building_unique_number")]

    def __str__(self) -> str:
        return f"{self.estate.name} {self.number}"

    def clean(self) -> None:
        if self.grid_id and self.grid.kind != AreaKind.GRID:
            raise ValidationError({"grid": _("Choose a grid.")})
        if self.grid_id and self.estate_id and self.grid.parent_id != self.estate.community_id:
            raise ValidationError({"grid": _("The grid must belong to the estate's community.")})

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.grid.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Unit(TimeStampedModel, ScopedModel):
    """A stairwell unit (单元): the electorate for a lift in an old building."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="units", verbose_name=_("building"))
    number = models.CharField(_("unit number"), max_length=20)

    class Meta:
        verbose_name = _("stairwell unit")
        verbose_name_plural = _("stairwell units")
        ordering = ["building", "number"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="places_unit_unique_number")]

    def __str__(self) -> str:
        return f"{self.building} {self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.building.scope
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Dwelling(TimeStampedModel, VersionedModel, ScopedModel):
    """A dwelling (户): room number, floor and exclusive floor area, which weighs owners' votes."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dwellings", verbose_name=_("unit"))
    room = models.CharField(_("room"), max_length=20)
    floor = models.SmallIntegerField(_("floor"))
    exclusive_area = models.DecimalField(
        _("exclusive floor area (m²)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1.00"))],
    )
    # 建设单位尚未出售或虽已出售但尚未交付: such dwellings vote together as one owner (SPC interpretation
    # on building co-ownership, art. 9), whoever the registry lists.
    held_by_developer = models.BooleanField(
        _("unsold or undelivered (held by the developer)"),
        default=False,
        help_text=_("The developer's unsold or undelivered dwellings count together as one owner in owners' votes."),
    )

    class Meta:
        verbose_name = _("dwelling")
        verbose_name_plural = _("dwellings")
        ordering = ["unit", "floor", "room"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "room"], name="places_dwelling_unique_room"),
            models.CheckConstraint(
                condition=Q(exclusive_area__isnull=True) | Q(exclusive_area__gt=0),
                name="places_dwelling_area_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}{self.room}"

    @property
    def address(self) -> str:
        return f"{self.unit.building.estate.name}{self.unit.building.number}{self.unit.number}{self.room}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.unit.scope
        super().save(*args, **kwargs)  # type: ignore[arg-type]
