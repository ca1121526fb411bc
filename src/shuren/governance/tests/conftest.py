from shuren.governance.testing import gov_world  # noqa: F401  (fixture)
