"""REST API of owners' ballots (/api/v1/ballots/): list, detail and drafting for staff, opening and
closing with If-Match or ``version``, online votes by owners, paper votes entered by staff, and the
tally with its arithmetic. Errors are problem+json.

``reads`` (ballots, matters, tally, rules), ``actions`` (steps and votes), ``serializers`` (what goes
out and comes in), ``base`` (what the views share)."""
