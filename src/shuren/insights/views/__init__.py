"""The console pages of insights: dashboards.py (the figures of an area, with a drill-down),
evaluation.py (the rankings and a community's history), reports.py (monthly reports) and config.py
(the evaluation indicators)."""
