"""Where a governance object belongs: an area (community or grid) and, optionally, an estate, a
building or a stairwell unit inside it. Governance items, meetings, proposals, conventions and
ballots all say where they are in this one way; the most specific place decides the ``scope``.
"""

from __future__ import annotations

from typing import Any

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
        if self.unit is not None:
            return str(self.unit)
        if self.building is not None:
            return str(self.building)
        if self.estate is not None:
            return f"{self.area.name} · {self.estate.name}" if self.area.kind == AreaKind.GRID else self.estate.name
        return self.area.name

    def fill_place(self) -> None:
        """Complete the place from its most specific part (a unit knows its building, and so on)."""
        if self.unit is not None and self.building is None:
            self.building = self.unit.building
        if self.building is not None and self.estate is None:
            self.estate = self.building.estate
        if not self.area_id:
            if self.building is not None:
                self.area = self.building.grid
            elif self.estate is not None:
                self.area = self.estate.community

    def clean_place(self) -> None:
        self.fill_place()
        errors: dict[str, Any] = {}
        area = self.area if self.area_id else None
        unit, building, estate = self.unit, self.building, self.estate
        if area is not None and area.kind not in (AreaKind.COMMUNITY, AreaKind.GRID):
            errors["area"] = _("Choose a community or a grid.")
        if unit is not None and building is not None and unit.building_id != building.pk:
            errors["unit"] = _("The unit must be in the chosen building.")
        if building is not None and estate is not None and building.estate_id != estate.pk:
            errors["building"] = _("The building must be in the chosen estate.")
        if estate is not None and area is not None:
            community = area if area.kind == AreaKind.COMMUNITY else area.parent
            if community is None or estate.community_id != community.pk:
                errors["estate"] = _("The estate must be in the chosen community.")
        if building is not None and area is not None and not path_covers(area.path, building.scope):
            errors["building"] = _("The building must be in the chosen grid.")
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        super().clean()
        self.clean_place()

    def placed_scope(self) -> str:
        if self.building is not None:
            return self.building.scope
        return self.area.path

    def save(self, *args: object, **kwargs: object) -> None:
        self.fill_place()
        self.scope = self.placed_scope()
        super().save(*args, **kwargs)  # type: ignore[arg-type]
