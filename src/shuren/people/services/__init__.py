"""Every write to the people registry: registering and editing people, where they live, household
visits, party and league records, and the residents' spreadsheet import. Each write is
scope-checked, validated and audited in one transaction."""

from .affiliations import remove_party_membership, save_league_profile, save_party_membership
from .imports import import_residents
from .people import find_by_id_number, register_person, update_person
from .residences import add_residence, end_residence
from .visits import record_visit

__all__ = [
    "add_residence",
    "end_residence",
    "find_by_id_number",
    "import_residents",
    "record_visit",
    "register_person",
    "remove_party_membership",
    "save_league_profile",
    "save_party_membership",
    "update_person",
]
