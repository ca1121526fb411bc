"""The one redaction of personal data in text meant for the public (the board, Open311, exports
marked public, every public page to come).

``redact(text, names=...)`` finds phone numbers, ID numbers and other long numbers, vehicle plates,
WeChat and QQ ids, e-mail addresses, addresses below the estate (building, unit and room numbers,
in Arabic, full-width or Chinese numerals) and people's names, and replaces each with a
placeholder such as ``[电话]``. It returns the redacted text and the findings (kind and span in
the original), so that the desk can see both side by side before confirming a publication.

Detection runs on a normalised copy of the text (NFKC: full-width digits, letters, ``＠`` and
spaces become ASCII; every Unicode decimal digit becomes 0-9; dashes become ``-``), and numbers
may be written with separators (spaces, hyphens, dots, slashes, brackets) and with a
+86 / 86 / 0086 prefix. Spans found in the normalised copy are mapped back to the original, whose
other characters (Chinese punctuation) are kept as written.

The rules err on the side of hiding: any run of seven or more digits is hidden (whatever it is),
except a plain date such as 2026-03-02. Redacting is idempotent: placeholders contain no digits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext_lazy

PHONE = "phone"
ID_NUMBER = "id_number"
NUMBER = "number"
PLATE = "plate"
WECHAT = "wechat"
QQ = "qq"
EMAIL = "email"
ADDRESS = "address"
NAME = "name"

LABELS = {
    PHONE: pgettext_lazy("redacted", "phone"),
    ID_NUMBER: pgettext_lazy("redacted", "ID number"),
    NUMBER: pgettext_lazy("redacted", "number"),
    PLATE: pgettext_lazy("redacted", "plate"),
    WECHAT: pgettext_lazy("redacted", "WeChat"),
    QQ: pgettext_lazy("redacted", "QQ"),
    EMAIL: pgettext_lazy("redacted", "e-mail"),
    ADDRESS: pgettext_lazy("redacted", "door number"),
    NAME: pgettext_lazy("redacted", "name"),
}
# Which finding wins where two overlap (the first listed).
PRECEDENCE = (EMAIL, WECHAT, QQ, ID_NUMBER, PHONE, PLATE, ADDRESS, NUMBER, NAME)

# Characters that may stand between the digits of one number: spaces, hyphens and dashes, dots,
# middle dots, underscores, slashes and brackets ("(0757) 8123-4567", "139 1234 5678").
_SEP = r"[ \t\-_.·•/\\()\[\]]"
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−﹣－⁃"), "-")
_DOTS = dict.fromkeys(map(ord, "・･‧∙⋅•◦"), "·")
_MIN_DIGITS = 7

_NUMBER_RUN = re.compile(rf"(?<![0-9])(?:\+|00)?[0-9](?:{_SEP}{{0,5}}[0-9])+(?:{_SEP}{{0,2}}[xX](?![A-Za-z]))?")
_DATE = re.compile(rf"(?:19|20)[0-9]{{2}}{_SEP}{{1,2}}[0-9]{{1,2}}{_SEP}{{1,2}}[0-9]{{1,2}}")
_CHINESE_DIGITS = "〇零一二三四五六七八九幺两"
_CHINESE_NUMBER_RUN = re.compile(rf"[{_CHINESE_DIGITS}](?:{_SEP}{{0,2}}[{_CHINESE_DIGITS}]){{{_MIN_DIGITS - 1},}}")

_EMAIL = re.compile(
    r"[A-Za-z0-9_.%+\-]+\s*(?:@|\(at\)|\[at\])\s*[A-Za-z0-9\-]+(?:\s*[.。]\s*[A-Za-z0-9\-]+)*\s*[.。]\s*[A-Za-z]{2,}"
)
_AFTER_KEYWORD = r"\s*(?:号码|号|账号|帐号|id|ID){0,2}\s*[:：是为]?\s*"
_WECHAT_WORD = re.compile(r"微信|威信|薇信|v信|weixin|wechat|vx|wx", re.IGNORECASE)
_QQ_WORD = re.compile(r"qq|扣扣|企鹅", re.IGNORECASE)
_WECHAT = re.compile(
    f"(?:{_WECHAT_WORD.pattern})"
    + _AFTER_KEYWORD
    + rf"([A-Za-z][-_A-Za-z0-9]{{3,19}}|\+?[0-9](?:{_SEP}{{0,2}}[0-9]){{4,}})",
    re.IGNORECASE,
)
_QQ = re.compile(f"(?:{_QQ_WORD.pattern})" + _AFTER_KEYWORD + rf"([0-9](?:{_SEP}{{0,2}}[0-9]){{4,11}})", re.IGNORECASE)
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
_PLATE = re.compile(
    rf"[{_PROVINCES}]\s*[A-Za-z]\s*[·.\- ]?\s*(?=[A-Za-z0-9]{{0,5}}[0-9])[A-Za-z0-9]{{5,6}}(?![0-9])[挂学警港澳]?"
)
# Addresses below the estate: 3号楼2单元501室, 十二栋, A座, 五零一房, 3-2-501.
_NUM = rf"(?:[0-9]+|[{_CHINESE_DIGITS}十百]+|[A-Za-z](?![A-Za-z]))"
_UNIT = r"(?:号楼|栋|幢|座|单元|号房|房间|室|房|楼|层|号|门|户|梯|区)"
_STRONG_UNIT = re.compile(r"号楼|栋|幢|座|单元|室|房")
_ADDRESS = re.compile(rf"(?:{_NUM}\s*{_UNIT}\s*-?\s*)+(?:[0-9]{{2,4}}(?![0-9]))?")
_ADDRESS_PIECE = re.compile(rf"({_NUM})\s*({_UNIT})")
_DOOR_DASHES = re.compile(r"(?<![0-9])[0-9]{1,3}\s*-\s*[0-9]{1,2}\s*-\s*[0-9]{2,4}(?![0-9])")
# Someone named by a surname and a form of address (王先生, 李阿姨), or after 联系人/姓名/我叫.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "欧区麦甄冼伍佘温柯庞"
)
_TITLED = re.compile(rf"[{_SURNAMES}](?:先生|女士|小姐|阿姨|大爷|大妈|大姐|大哥|奶奶|爷爷|伯伯|叔叔|阿婆|阿伯|婆婆|姨)")
_LABELLED_NAME = re.compile(r"(?:联系人|姓名|我叫|名叫|户主|业主姓名)\s*[:：是为]?\s*([\u4e00-\u9fff]{2,3})")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])


@dataclass(frozen=True)
class Redaction:
    original: str
    text: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    def segments(self) -> list[tuple[str, str]]:
        """The original cut into pieces, each with the kind found there ("" for plain text), for
        showing the desk what will be hidden."""
        pieces: list[tuple[str, str]] = []
        at = 0
        for finding in self.findings:
            if finding.start > at:
                pieces.append((self.original[at : finding.start], ""))
            pieces.append((self.original[finding.start : finding.end], finding.kind))
            at = finding.end
        if at < len(self.original):
            pieces.append((self.original[at:], ""))
        return pieces

    def kinds(self) -> dict[str, int]:
        """How many of each kind were found (for the audit: the kinds, never the values)."""
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.kind] = counts.get(finding.kind, 0) + 1
        return counts


def placeholder(kind: str) -> str:
    """What stands in the text where something was hidden: [电话], [房号] ... in the site's
    language whatever the page's (the text is stored, and read by the public)."""
    return _placeholder(settings.LANGUAGE_CODE, kind)


@lru_cache(maxsize=64)
def _placeholder(language: str, kind: str) -> str:
    with translation.override(language):
        return "[" + str(LABELS[kind]) + "]"


_SIMPLE = {**_DASHES, **_DOTS, **dict.fromkeys(map(ord, "\n\r\t\f\v"), " ")}
_OTHER_DIGIT = re.compile(r"[^\D0-9]")


def normalise(text: str) -> tuple[str, list[int]]:
    """The text in the form detection reads (NFKC, ASCII digits, one kind of dash and of middle
    dot, spaces), and for each of its characters the index of the original character it came from."""
    simple = text.translate(_SIMPLE)
    whole = unicodedata.normalize("NFKC", simple)
    if len(whole) == len(simple):  # the common case: one character for one (full-width ones too)
        whole = _OTHER_DIGIT.sub(lambda match: str(unicodedata.decimal(match.group(), 0)), whole)
        return whole.translate(_SIMPLE), list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isdecimal() and not ("0" <= char <= "9"):
            mapped = str(unicodedata.decimal(char, 0))
        else:
            mapped = unicodedata.normalize("NFKC", char).translate(_SIMPLE)
            if mapped.isspace():
                mapped = " "
        out.append(mapped)
        origin.extend([index] * len(mapped))
    return "".join(out), origin


def _digits(value: str) -> str:
    return re.sub(r"[^0-9xX]", "", value)


def _number_kind(match: str) -> str | None:
    """What a run of digits is, or None when it is short enough (or a date) to be left alone."""
    digits = _digits(match)
    count = sum(c.isdigit() for c in digits)
    if count < _MIN_DIGITS or _DATE.fullmatch(match.strip()):
        return None
    bare = digits
    for prefix in ("0086", "86"):
        if bare.startswith(prefix) and len(bare) == len(prefix) + 11:
            bare = bare[len(prefix) :]
            break
    if len(bare) == 11 and bare[0] == "1" and bare[1] in "3456789":
        return PHONE
    if len(bare) == 18 or (len(bare) == 15 and bare.isdigit()):
        return ID_NUMBER
    return NUMBER


@lru_cache(maxsize=16)
def _name_index(names: tuple[str, ...]) -> tuple[frozenset[str], tuple[int, ...]]:
    """The names as looked up (normalised, lower case, without spaces), and their lengths, longest
    first. A set, not a pattern: a community registers thousands of people."""
    cleaned = set()
    for name in names:
        value = "".join(unicodedata.normalize("NFKC", name or "").split()).lower()
        if len(value) >= (3 if value.isascii() else 2):
            cleaned.add(value)
    return frozenset(cleaned), tuple(sorted({len(n) for n in cleaned}, reverse=True))


def _name_spans(normal: str, names: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Where the names occur, spaces between their characters or not (林 小 梅)."""
    known, lengths = _name_index(names)
    if not known:
        return []
    positions = [i for i, char in enumerate(normal) if not char.isspace()]
    compact = "".join(normal[i] for i in positions).lower()
    spans: list[tuple[int, int, str]] = []
    at = 0
    while at < len(compact):
        for length in lengths:
            candidate = compact[at : at + length]
            if len(candidate) == length and candidate in known and _stands_alone(normal, positions, at, length):
                spans.append((positions[at], positions[at + length - 1] + 1, NAME))
                at += length
                break
        else:
            at += 1
    return spans


def _stands_alone(normal: str, positions: list[int], at: int, length: int) -> bool:
    """A name in Latin letters must not be part of a longer word (Li in Lift)."""
    first, last = positions[at], positions[at + length - 1]
    if not normal[first].isascii():
        return True
    before = normal[first - 1] if first > 0 else " "
    after = normal[last + 1] if last + 1 < len(normal) else " "
    return not (before.isascii() and before.isalpha()) and not (after.isascii() and after.isalpha())


def _find(normal: str, names: tuple[str, ...]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for match in _EMAIL.finditer(normal):
        spans.append((match.start(), match.end(), EMAIL))
    # Tried at every keyword, so that an id that swallowed the next keyword ("微信ab_1vx cd_2")
    # does not hide the id after it.
    for word, pattern, kind in ((_WECHAT_WORD, _WECHAT, WECHAT), (_QQ_WORD, _QQ, QQ)):
        for keyword in word.finditer(normal):
            if (found := pattern.match(normal, keyword.start())) is not None:
                spans.append((found.start(1), found.end(1), kind))
    for match in _LABELLED_NAME.finditer(normal):
        spans.append((match.start(1), match.end(1), NAME))
    for match in _NUMBER_RUN.finditer(normal):
        number_kind = _number_kind(match.group())
        if number_kind is not None:
            spans.append((match.start(), match.end(), number_kind))
    for match in _CHINESE_NUMBER_RUN.finditer(normal):
        spans.append((match.start(), match.end(), NUMBER))
    for match in _PLATE.finditer(normal):
        spans.append((match.start(), match.end(), PLATE))
    for match in _ADDRESS.finditer(normal):
        if _is_address(match.group()):
            spans.append((match.start(), match.end(), ADDRESS))
    for match in _DOOR_DASHES.finditer(normal):
        spans.append((match.start(), match.end(), ADDRESS))
    for match in _TITLED.finditer(normal):
        spans.append((match.start(), match.end(), NAME))
    spans.extend(_name_spans(normal, names))
    return spans


def _is_address(chain: str) -> bool:
    """A chain of numbered parts is an address when one part is a building, unit or room; a room
    (室, 房) needs a number of two digits or more (一室一厅 is not an address)."""
    for number, unit in _ADDRESS_PIECE.findall(chain):
        if not _STRONG_UNIT.fullmatch(unit):
            continue
        if unit in ("室", "房") and len(number) < 2:
            continue
        return True
    return False


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1], PRECEDENCE.index(s[2]))):
        if start >= end:
            continue
        if merged and start < merged[-1][1]:
            last_start, last_end, last_kind = merged[-1]
            merged[-1] = (last_start, max(last_end, end), last_kind)
        else:
            merged.append((start, end, kind))
    return merged


def redact(text: str, *, names: Iterable[str] = ()) -> Redaction:
    """``text`` with personal data replaced by placeholders; ``names`` (the reporter's, the
    registry's people of the community) are hidden wherever they appear, spaces or not."""
    text = text or ""
    if not text:
        return Redaction(original="", text="")
    normal, origin = normalise(text)
    findings: list[Finding] = []
    for start, end, kind in _merge(_find(normal, tuple(name for name in names if name))):
        # Leading and trailing separators stay in the text.
        while end > start and normal[end - 1] in " \t":
            end -= 1
        while start < end and normal[start] in " \t":
            start += 1
        if start >= end:
            continue
        begin, finish = origin[start], origin[end - 1] + 1
        if findings and begin < findings[-1].end:  # both inside one expanded character
            previous = findings.pop()
            begin, kind = previous.start, previous.kind
        findings.append(Finding(kind, begin, finish))
    pieces: list[str] = []
    at = 0
    for finding in findings:
        pieces.append(text[at : finding.start])
        pieces.append(_placeholder(settings.LANGUAGE_CODE, finding.kind))
        at = finding.end
    pieces.append(text[at:])
    return Redaction(original=text, text="".join(pieces), findings=tuple(findings))


def redact_text(text: str, *, names: Iterable[str] = ()) -> str:
    """Only the redacted text (for rendering)."""
    return redact(text, names=names).text
