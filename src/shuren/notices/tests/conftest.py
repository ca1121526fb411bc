from shuren.notices.testing import notice_world  # noqa: F401  (fixtures)
