"""REST API of volunteering: ``serializers``, ``reads`` (GET, and the collections that also create)
and ``actions`` (the steps that change an activity, a sign-up, a record or a profile)."""
