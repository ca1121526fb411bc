"""The registry's pages: console.py (the area tree), estates.py (estates, buildings, dwellings and
their import), options.py (the place chooser's option lists)."""
