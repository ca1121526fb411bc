"""Moved: the place chooser is ``places.forms.PlaceFieldsMixin``, its lists are in
``places.selectors``. This module only keeps the old import path working for the apps that still
use it; import from the new places instead."""

from .forms import PLACE_FIELDS, PlaceFieldsMixin
from .selectors import acting_areas, acting_buildings, acting_estates, by_number

__all__ = ["PLACE_FIELDS", "PlaceFieldsMixin", "acting_areas", "acting_buildings", "acting_estates", "by_number"]
