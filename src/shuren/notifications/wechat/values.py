"""Template values cut to what each kind of keyword accepts.

A subscribe message template's keywords are named by kind and number (``thing1``, ``time2``,
``character_string3``…); WeChat refuses the whole message (errcode 47003) when one value passes its
kind's limit. Limits from WeChat's "订阅消息参数值内容限制说明", counted in characters:

    thing             20 characters (any)       character_string  32 digits, letters or symbols
    number            32 digits                 letter            32 letters
    symbol            5 symbols                 phrase            5 Chinese characters
    name              10 Chinese characters, or 20 letters when there is no Chinese character
    phone_number      17 digits and symbols     car_number        8 characters
    amount, time, date, enum: a format, not a length; passed as they are.

Text (``thing``) is cut with "…" in the last place; the other kinds are cut without (an ellipsis is
not a digit or a letter, and would make the value invalid).
"""

from __future__ import annotations

import re

ELLIPSIS = "…"
LIMITS = {
    "thing": 20,
    "number": 32,
    "letter": 32,
    "symbol": 5,
    "character_string": 32,
    "phrase": 5,
    "phone_number": 17,
    "car_number": 8,
}
NAME_CHINESE_LIMIT = 10
NAME_LATIN_LIMIT = 20
_KEYWORD = re.compile(r"(?P<kind>[a-z_]+?)(?P<number>\d+)")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def keyword_kind(keyword: str) -> str:
    """``thing`` for ``thing1``, ``character_string`` for ``character_string12``; "" if not a keyword."""
    match = _KEYWORD.fullmatch(keyword)
    return match.group("kind") if match else ""


def limit_for(keyword: str, value: str) -> int | None:
    kind = keyword_kind(keyword)
    if kind == "name":
        return NAME_CHINESE_LIMIT if _CJK.search(value) else NAME_LATIN_LIMIT
    return LIMITS.get(kind)


def fit_value(keyword: str, value: str) -> str:
    """``value`` on one line, within the limit of ``keyword``'s kind."""
    value = " ".join(str(value).split())
    limit = limit_for(keyword, value)
    if limit is None or len(value) <= limit:
        return value
    if keyword_kind(keyword) == "thing":
        return value[: limit - 1] + ELLIPSIS
    return value[:limit]
