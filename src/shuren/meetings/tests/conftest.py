from shuren.meetings.testing import meeting_world  # noqa: F401  (fixture)
