"""REST API of the governance list (/api/v1/governance/): items (list, one item, create), the
workflow (claim, release, progress with photos, submit, verify, return, cancel) with If-Match or
``version`` and Idempotency-Key, photos, and the completion figures.

``reads`` (the item list with its POST, one item, photos, figures), ``actions`` (the workflow's
steps), ``serializers`` (what goes out and comes in), ``base`` (what the views share)."""
