"""The shell's pages: home.py (home routing by role, the residents' portal, the staff dashboard)
and errors.py (the error pages)."""
