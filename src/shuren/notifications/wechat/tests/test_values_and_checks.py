from __future__ import annotations

from typing import Any

import pytest

from shuren.notifications.wechat import fit_value
from shuren.notifications.wechat.checks import check_wechat_for_production, check_wechat_settings
from shuren.notifications.wechat.values import keyword_kind


@pytest.mark.parametrize(
    ("keyword", "kind"),
    [("thing1", "thing"), ("character_string12", "character_string"), ("phone_number3", "phone_number"), ("x", "")],
)
def test_the_kind_of_a_keyword(keyword: str, kind: str) -> None:
    assert keyword_kind(keyword) == kind


@pytest.mark.parametrize(
    ("keyword", "value", "expected"),
    [
        ("thing1", "一二三四五六七八九十一二三四五六七八九十", "一二三四五六七八九十一二三四五六七八九十"),
        ("thing1", "一二三四五六七八九十一二三四五六七八九十一", "一二三四五六七八九十一二三四五六七八九…"),
        ("thing2", "停水\n通知", "停水 通知"),
        ("name3", "Zhang Wei-Ming Alexander", "Zhang Wei-Ming Alexa"),
        ("name3", "欧阳张王李赵刘陈杨黄吴", "欧阳张王李赵刘陈杨黄"),
        ("phrase4", "正在紧急抢修", "正在紧急抢"),
        ("car_number5", "粤A8Z888挂X", "粤A8Z888挂"),
        ("phone_number6", "+86-0757-8123-4567-89", "+86-0757-8123-456"),
        ("symbol7", "!!!!!!", "!!!!!"),
        ("time8", "2026年12月9日 09:00~2026年12月9日 15:00", "2026年12月9日 09:00~2026年12月9日 15:00"),
    ],
)
def test_values_are_cut_to_their_kinds_limit(keyword: str, value: str, expected: str) -> None:
    assert fit_value(keyword, value) == expected


def test_the_defaults_pass_the_checks(settings: Any) -> None:
    assert check_wechat_settings(None) == []
    assert check_wechat_for_production(None) == []


def test_half_configured_or_invalid_settings_are_reported(settings: Any) -> None:
    settings.SHUREN_WECHAT_APP_ID = "wx5f3c0a9e1b2d4c6e"
    settings.SHUREN_WECHAT_MINIPROGRAM_STATE = "beta"
    settings.SHUREN_WECHAT_API_BASE = "api.weixin.qq.com"
    settings.SHUREN_WECHAT_TIMEOUT = 0
    assert [e.id for e in check_wechat_settings(None)] == ["shuren.E053", "shuren.E054", "shuren.E055", "shuren.E056"]


def test_production_wants_https_and_the_released_mini_program(settings: Any) -> None:
    settings.SHUREN_WECHAT_APP_ID = "wx5f3c0a9e1b2d4c6e"
    settings.SHUREN_WECHAT_APP_SECRET = "secret"
    settings.SHUREN_WECHAT_API_BASE = "http://127.0.0.1:8000"
    settings.SHUREN_WECHAT_MINIPROGRAM_STATE = "trial"
    assert [e.id for e in check_wechat_for_production(None)] == ["shuren.E057", "shuren.E058"]
