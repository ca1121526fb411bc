"""Masked display of personal data (SECURITY.md section 2). Masks never contain the hidden digits."""

from __future__ import annotations

import re

# Two-character surnames (复姓) keep both characters visible: 欧阳娜娜 -> 欧阳**.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 独孤 南宫 "
    "西门 闻人 万俟 澹台 公冶 太叔 申屠 濮阳 拓跋 百里 呼延 赫连 第五 左丘 东郭 南门 羊舌 微生".split()
)


def mask_id_number(value: str) -> str:
    """``440602199001011234`` -> ``4406**********1234``: hides county and birth date."""
    value = (value or "").strip().upper()
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """``+8613800138000`` or ``13800138000`` -> ``138****8000``."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(value: str) -> str:
    """``张三`` -> ``张*``; ``欧阳娜娜`` -> ``欧阳**``; Latin names keep their first letter."""
    value = (value or "").strip()
    if not value:
        return ""
    keep = 2 if value[:2] in COMPOUND_SURNAMES and len(value) > 2 else 1
    return value[:keep] + "*" * max(1, len(value) - keep)


ROOM_PATTERN = re.compile(r"(\d+\s*(?:室|号|户)?)\s*$")


def mask_address(value: str) -> str:
    """``3栋2单元1201`` -> ``3栋2单元****``: building and unit stay, the room is hidden."""
    value = (value or "").strip()
    match = ROOM_PATTERN.search(value)
    if not match or match.start() == 0:
        return value
    return value[: match.start()] + "****"


def display_name(value: str, *, full: bool) -> str:
    """A person's name as a viewer may see it: full for staff of the person's own grid, else masked."""
    return value if full else mask_name(value)
