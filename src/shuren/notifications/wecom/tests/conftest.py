from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from shuren.notifications.testing import WecomServer


@pytest.fixture
def wecom(settings: Any) -> Iterator[WecomServer]:
    """WeCom's robot webhook, local; addresses at it are the ones accepted."""
    with WecomServer() as server:
        settings.SHUREN_WECOM_WEBHOOK_BASE = server.base
        settings.SHUREN_WECOM_TIMEOUT = 1
        yield server
