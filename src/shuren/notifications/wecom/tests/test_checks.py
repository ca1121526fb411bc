from __future__ import annotations

from typing import Any

from shuren.notifications.wecom.checks import check_wecom_for_production, check_wecom_settings


def ids(errors: list) -> list[str]:
    return [error.id for error in errors]


def test_the_defaults_pass(settings: Any) -> None:
    assert check_wecom_settings(None) == []
    assert check_wecom_for_production(None) == []


def test_a_base_with_a_path_or_a_bad_timeout_is_reported(settings: Any) -> None:
    settings.SHUREN_WECOM_WEBHOOK_BASE = "https://qyapi.weixin.qq.com/cgi-bin"
    settings.SHUREN_WECOM_TIMEOUT = 0
    assert ids(check_wecom_settings(None)) == ["shuren.E050", "shuren.E051"]


def test_production_accepts_only_wecoms_server(settings: Any) -> None:
    settings.SHUREN_WECOM_WEBHOOK_BASE = "http://127.0.0.1:8025"
    assert ids(check_wecom_for_production(None)) == ["shuren.E052"]
