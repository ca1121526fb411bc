from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from shuren.notifications.testing import APP_ID, APP_SECRET, WechatServer


@pytest.fixture
def wechat(settings: Any) -> Iterator[WechatServer]:
    """WeChat's API, local, with the mini program's credentials configured and an empty token cache."""
    with WechatServer() as server:
        settings.SHUREN_WECHAT_API_BASE = server.base
        settings.SHUREN_WECHAT_APP_ID = APP_ID
        settings.SHUREN_WECHAT_APP_SECRET = APP_SECRET
        settings.SHUREN_WECHAT_TIMEOUT = 1
        cache.clear()
        yield server
        cache.clear()
