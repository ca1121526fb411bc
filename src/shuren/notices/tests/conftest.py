from shuren.notices.testing import notice_actions, notice_world  # noqa: F401  (fixtures)
