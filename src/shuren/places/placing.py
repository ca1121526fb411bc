"""Where a governance object belongs: an area (community or grid) and, optionally, an estate, a
building or a stairwell unit inside it. Governance items, meetings, proposals, conventions and
ballots all say where they are in this one way; the most specific place decides the ``scope``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuren.core.models import ScopedModel
from shuren.core.scoping import path_covers

from .models import Area, AreaKind, Building, Estate, Unit


class PlacedModel(ScopedModel):
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind__in": [AreaKind.COMMUNITY, AreaKind.GRID]},
        verbose_name=_("community or grid"),
    )
    estate = models.ForeignKey(
        Estate, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("estate")
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("building")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("stairwell unit")
    )

    class Meta:
        abstract = True

    @property
    def place(self) -> Area | Estate | Building | Unit:
        return self.unit or self.building or self.estate or self.area

    @property
    def place_label(self) -> str:
        if self.unit_id:
            return str(self.unit)
        if self.building_id:
            return str(self.building)
        if self.estate_id:
            return f"{self.area.name} · {self.estate.name}" if self.area.kind == AreaKind.GRID else self.estate.name
        return self.area.name

    def fill_place(self) -> None:
        """Complete the place from its most specific part (a unit knows its building, and so on)."""
        if self.unit_id and not self.building_id:
            self.building = self.unit.building
        if self.building_id and not self.estate_id:
            self.estate = self.building.estate
        if not self.area_id:
            if self.building_id:
                self.area = self.building.grid
            elif self.estate_id:
                self.area = self.estate.community

    def clean_place(self) -> None:
        self.fill_place()
        errors: dict[str, str] = {}
        if self.area_id and self.area.kind not in (AreaKind.COMMUNITY, AreaKind.GRID):
            errors["area"] = _("Choose a community or a grid.")
        if self.unit_id and self.building_id and self.unit.building_id != self.building_id:
            errors["unit"] = _("The unit must be in the chosen building.")
        if self.building_id and self.estate_id and self.building.estate_id != self.estate_id:
            errors["building"] = _("The building must be in the chosen estate.")
        if self.estate_id and self.area_id:
            community = self.area if self.area.kind == AreaKind.COMMUNITY else self.area.parent
            if self.estate.community_id != community.pk:
                errors["estate"] = _("The estate must be in the chosen community.")
        if self.building_id and self.area_id and not path_covers(self.area.path, self.building.scope):
            errors["building"] = _("The building must be in the chosen grid.")
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        super().clean()
        self.clean_place()

    def placed_scope(self) -> str:
        if self.building_id:
            return self.building.scope
        return self.area.path

    def save(self, *args: object, **kwargs: object) -> None:
        self.fill_place()
        self.scope = self.placed_scope()
        super().save(*args, **kwargs)  # type: ignore[arg-type]
