"""REST API of insights (/api/v1/insights/), read-only: serializers.py (the period parameters and
the shapes of areas and evaluations) and reads.py (the GET views)."""
