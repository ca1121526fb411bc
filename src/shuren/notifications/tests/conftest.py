from __future__ import annotations

import pytest

from shuren.notifications import kinds
from shuren.notifications.testing import FlakyChannel, RecordingChannel, RecordingSms


@pytest.fixture(autouse=True)
def _registered_kinds():
    """Two kinds as an app would register them, alone in the registry (the apps' own kinds are
    tested with their apps); the registry is left as it was."""
    saved = dict(kinds._KINDS)
    kinds._KINDS.clear()
    kinds.register(
        kinds.Kind("tests.resolved", "An appeal of mine was resolved", channels=("inapp", "email", "sms")),
        kinds.Kind("tests.reminder", "A reminder", channels=("inapp",), optional=("email", "sms")),
    )
    for channel in (RecordingChannel, RecordingSms, FlakyChannel):
        channel.reset()
    FlakyChannel.arm(0)
    yield
    kinds._KINDS.clear()
    kinds._KINDS.update(saved)


@pytest.fixture
def resident(make_user, tree):
    from shuren.accounts.roles import Role

    user = make_user(Role.RESIDENT, tree["grid_a1"], phone="13800138000")
    user.email = "resident@example.com"
    user.save()
    return user


@pytest.fixture
def neighbour(make_user, tree):
    from shuren.accounts.roles import Role

    user = make_user(Role.RESIDENT, tree["grid_a1"], phone="13900139000")
    user.email = "neighbour@example.com"
    user.save()
    return user
