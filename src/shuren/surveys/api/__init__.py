"""REST API of surveys (/api/v1/surveys/): the surveys of my areas (staff) and those open to me
(residents), one survey with its questions, a response submitted with an ``Idempotency-Key``, and
the results for staff. Errors are problem+json; an answer refused names its question (``q_<id>``).

``reads`` (lists, detail, results), ``actions`` (the response), ``serializers``."""
