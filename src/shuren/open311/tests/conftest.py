"""Fixtures for the Open311 tests: a registered client of community A, and helpers that speak
GeoReport v2 to the test client (form-encoded POST, JSON or XML answers)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache

from shuren.appeals.models import Appeal
from shuren.appeals.services import dispatch_appeal, resolve_appeal, take_up_appeal
from shuren.appeals.testing import confirm_publication
from shuren.open311.models import Open311Client
from shuren.open311.services import create_client

BASE = "/open311/v2"


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    """The throttle counts in the cache; each test starts with a clean slate."""
    cache.clear()


@dataclass
class Registered:
    client: Open311Client
    key: str


@pytest.fixture
def registered(appeal_world: Any) -> Registered:
    """“街坊通” (a partner app) files into community A."""
    client, key = create_client(name="街坊通", area=appeal_world.tree["com_a"])
    return Registered(client=client, key=key)


def payload(response: Any) -> Any:
    """The body of a GeoReport answer as Python data (JSON as is; XML as a tree)."""
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content)
    return ET.fromstring(response.content)  # noqa: S314 (our own server's answer)


def xml_rows(response: Any, item: str) -> list[dict[str, str | None]]:
    """The ``<item>`` children of the root as dicts of their elements' text."""
    root = ET.fromstring(response.content)  # noqa: S314 (our own server's answer)
    return [{child.tag: child.text for child in element} for element in root.findall(item)]


def post_request(client: Any, key: str | None, fmt: str = "json", **fields: Any) -> Any:
    data = {"service_code": "lift", "lat": "23.0301", "long": "113.1501", "description": "3座电梯困人，按钮没反应"}
    if key is not None:
        data["api_key"] = key
    data.update({k: v for k, v in fields.items() if v is not None})
    for name in [k for k, v in fields.items() if v is None]:
        data.pop(name, None)
    return client.post(f"{BASE}/requests.{fmt}", data=data)


def resolve(
    world: Any, appeal: Appeal, resolution: str = "已更换电梯按钮，恢复运行。", *, publish: bool = True
) -> Appeal:
    """Dispatch to the property manager, take up, resolve; and (``publish``) the desk confirms the
    redacted text at the publication review."""
    appeal = dispatch_appeal(
        actor=world.users["staff"],
        appeal=appeal,
        version=appeal.version,
        organization=world.property_manager,
        reason="物业负责",
    )
    appeal = take_up_appeal(actor=world.users["handler"], appeal=appeal, version=appeal.version)
    appeal = resolve_appeal(actor=world.users["handler"], appeal=appeal, version=appeal.version, resolution=resolution)
    if publish and appeal.category.is_published:
        return confirm_publication(appeal, world.users["staff"])
    return appeal
