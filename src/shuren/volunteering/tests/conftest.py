from shuren.volunteering.testing import vol_world  # noqa: F401  (fixture)
