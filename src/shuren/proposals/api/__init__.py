"""REST API of proposals (/api/v1/proposals/): list, detail, submit, co-sign, withdraw, answer,
publish the answer, mark not admissible. Staff (proposals.view) see the proposals of their areas;
residents (proposals.propose) those of the places they live in and their own. Co-signers' names
are masked. Versioned writes take If-Match or ``version``; every POST accepts an Idempotency-Key.

``reads`` (the list, places, one proposal), ``actions`` (what is done to a proposal),
``serializers`` (what goes out and comes in), ``base`` (what the views share)."""
