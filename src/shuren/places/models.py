"""The Area tree: district > subdistrict (town) > community > grid, with materialized paths."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuren.core.models import TimeStampedModel, VersionedModel


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
        expected_parent = PARENT_KIND.get(self.kind)
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
        return f"{self.parent.path}.{self.code}" if self.parent_id else self.code

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
