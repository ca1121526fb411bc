from __future__ import annotations

from collections.abc import Iterator

import pytest

from shuren.notifications.testing import AliyunServer, TencentServer


@pytest.fixture
def aliyun_server() -> Iterator[AliyunServer]:
    with AliyunServer() as server:
        yield server


@pytest.fixture
def tencent_server() -> Iterator[TencentServer]:
    with TencentServer() as server:
        yield server
