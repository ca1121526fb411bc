"""Insights: roll-ups, dashboards per scope, the evaluation index and monthly reports (M12)."""
