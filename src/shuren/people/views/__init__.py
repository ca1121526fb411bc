"""The people registry's pages: console.py (the list, one page per person, registration, residences
and the export), affiliations.py (party and league records), visits.py (household visits),
imports.py (the residents' spreadsheet import)."""
