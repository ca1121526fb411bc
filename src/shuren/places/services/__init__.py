"""Every write to the registry of places: the area tree, estates and buildings, and the dwellings'
spreadsheet import. Each function checks scope, writes in one transaction and audits."""

from .areas import EDITABLE_FIELDS, change_area, create_grid
from .estates import (
    create_building,
    create_estate,
    lay_out_dwellings,
    move_building_to_grid,
    update_building,
    update_dwelling,
    update_estate,
)
from .imports import import_dwellings

__all__ = [
    "EDITABLE_FIELDS",
    "change_area",
    "create_building",
    "create_estate",
    "create_grid",
    "import_dwellings",
    "lay_out_dwellings",
    "move_building_to_grid",
    "update_building",
    "update_dwelling",
    "update_estate",
]
