"""Hypothesis strategies for personal data in the many ways people write it, embedded in Chinese
sentences; and the check that none of it shows in a text (used on redacted text and on the
rendered public pages)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from hypothesis import strategies as st

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
CHINESE_DIGITS = dict(zip("0123456789", "零一二三四五六七八九", strict=True))
SEPARATORS = ["", " ", "-", ".", "　", "－", " - ", "·"]
_STRIP = re.compile(r"[\s\-_.·•/\\()\[\]]")


@dataclass(frozen=True)
class Secret:
    kind: str
    written: str  # as it appears in the text
    core: str  # what must never be readable, compared after normalising and dropping separators


def normalised(text: str) -> str:
    """NFKC, dashes as ``-``, separators removed, lower case: how the check compares."""
    text = unicodedata.normalize("NFKC", text).translate(dict.fromkeys(map(ord, "‐‑‒–—―−﹣－"), "-"))
    return _STRIP.sub("", text).lower()


def _grouped(digits: str, sizes: tuple[int, ...], sep: str) -> str:
    parts, at = [], 0
    for size in sizes:
        parts.append(digits[at : at + size])
        at += size
    if at < len(digits):
        parts.append(digits[at:])
    return sep.join(part for part in parts if part)


@st.composite
def phones(draw: st.DrawFn) -> Secret:
    digits = "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    sep = draw(st.sampled_from(SEPARATORS))
    written = _grouped(digits, draw(st.sampled_from([(3, 4, 4), (3, 8), (11,), (4, 4, 3)])), sep)
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "86", "86-", "0086", "0086 ", "(+86)", "+86-"]))
    written = prefix + written
    if draw(st.booleans()):
        written = written.translate(FULL_WIDTH)
    return Secret("phone", written, digits)


@st.composite
def id_numbers(draw: st.DrawFn) -> Secret:
    body = draw(st.sampled_from("123456")) + draw(st.text("0123456789", min_size=16, max_size=16))
    check = draw(st.sampled_from("0123456789Xx"))
    digits = body + check
    sep = draw(st.sampled_from(["", " ", "  ", "-", "　"]))
    written = _grouped(digits, draw(st.sampled_from([(6, 8, 4), (4, 4, 4, 4, 2), (3, 3, 4, 4, 4), (18,)])), sep)
    if draw(st.booleans()):
        written = written.translate(FULL_WIDTH)
    return Secret("id_number", written, digits.lower())


def _numeral(number: int, style: str) -> str:
    if style == "arabic":
        return str(number)
    if style == "full":
        return str(number).translate(FULL_WIDTH)
    if style == "digits":  # 五零一
        return "".join(CHINESE_DIGITS[d] for d in str(number))
    # 十二, 二十三 (buildings and units are small)
    tens, ones = divmod(number, 10)
    if number < 10:
        return CHINESE_DIGITS[str(number)]
    return ("" if tens == 1 else CHINESE_DIGITS[str(tens)]) + "十" + (CHINESE_DIGITS[str(ones)] if ones else "")


@st.composite
def rooms(draw: st.DrawFn) -> Secret:
    """An address below the estate: building, unit and room in any numerals, or 3-2-501."""
    building = draw(st.integers(1, 39))
    unit = draw(st.integers(1, 6))
    room = draw(st.integers(1, 32)) * 100 + draw(st.integers(1, 8))
    if draw(st.booleans()):
        written = f"{building}-{unit}-{room}"
        return Secret("address", written, f"{building}-{unit}-{room}")
    style = draw(st.sampled_from(["arabic", "full", "chinese"]))
    room_style = draw(st.sampled_from(["arabic", "full", "digits"]))
    building_word = draw(st.sampled_from(["号楼", "栋", "座", "幢"]))
    room_word = draw(st.sampled_from(["室", "房", "号房"]))
    parts = [_numeral(building, style) + building_word]
    if draw(st.booleans()):
        parts.append(_numeral(unit, style) + "单元")
    parts.append(_numeral(room, room_style) + room_word)
    written = "".join(parts)
    return Secret("address", written, written)


@st.composite
def plates(draw: st.DrawFn) -> Secret:
    province = draw(st.sampled_from("粤京沪苏浙川鄂湘"))
    letter = draw(st.sampled_from("ABCDEFGHJK"))
    tail = draw(st.text("0123456789", min_size=5, max_size=5))
    if draw(st.booleans()):
        tail += draw(st.sampled_from("DF"))  # a new-energy vehicle
    written = province + letter + draw(st.sampled_from(["", "·", " ", "•"])) + tail
    return Secret("plate", written, province + letter + tail)


@st.composite
def wechat_ids(draw: st.DrawFn) -> Secret:
    handle = (
        draw(st.text("abcdefghijkmnpqrstuvwxyz", min_size=2, max_size=6))
        + draw(st.sampled_from(["_", "-", ""]))
        + draw(st.text("0123456789", min_size=3, max_size=6))
    )
    keyword = draw(st.sampled_from(["微信", "微信号", "vx", "VX", "wx", "WX", "Vx", "weixin"]))
    glue = draw(st.sampled_from(["", " ", "：", ":", "号：", "是"]))
    return Secret("wechat", keyword + glue + handle, handle)


@st.composite
def qq_numbers(draw: st.DrawFn) -> Secret:
    number = draw(st.sampled_from("123456789")) + draw(st.text("0123456789", min_size=6, max_size=9))
    keyword = draw(st.sampled_from(["QQ", "qq", "扣扣", "QQ号", "Q Q"]))
    glue = draw(st.sampled_from(["", " ", "：", ":", "是"]))
    written = number.translate(FULL_WIDTH) if draw(st.booleans()) else number
    return Secret("qq", keyword + glue + written, number)


@st.composite
def emails(draw: st.DrawFn) -> Secret:
    local = draw(st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8)) + draw(
        st.text("0123456789", min_size=1, max_size=4)
    )
    domain = draw(st.sampled_from(["qq", "163", "example", "foxmail", "sina"]))
    tld = draw(st.sampled_from(["com", "cn", "net", "com.cn"]))
    at = draw(st.sampled_from(["@", "＠", " @ "]))
    dot = draw(st.sampled_from([".", "．"]))
    written = local + at + domain + dot + tld.replace(".", dot)
    return Secret("email", written, f"{local}@{domain}")


PREFIXES = ["", "我的联系方式：", "请联系", "麻烦打", "住在", "车牌", "家里是", "业主说"]
SUFFIXES = ["", "，谢谢。", "的楼道灯坏了。", "，请尽快处理！", "。已处理", "门口有垃圾"]


def secrets() -> st.SearchStrategy[Secret]:
    return st.one_of(phones(), id_numbers(), rooms(), plates(), wechat_ids(), qq_numbers(), emails())


@st.composite
def sentences(draw: st.DrawFn, *, max_secrets: int = 4) -> tuple[str, list[Secret]]:
    """A Chinese text carrying one to ``max_secrets`` pieces of personal data."""
    found = draw(st.lists(secrets(), min_size=1, max_size=max_secrets))
    text = "".join(draw(st.sampled_from(PREFIXES)) + s.written + draw(st.sampled_from(SUFFIXES)) for s in found)
    return text, found


def leaked(text: str, found: list[Secret]) -> list[Secret]:
    """The secrets still readable in ``text`` (as written, or once normalised)."""
    plain = normalised(text)
    return [s for s in found if s.written in text or normalised(s.core) in plain]
