"""REST API of points: ``serializers``, ``reads`` (GET, and the collections and records that are also
edited) and ``actions`` (adjustments, reversals, redeeming, fulfilling and cancelling)."""
