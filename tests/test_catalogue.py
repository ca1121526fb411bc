"""The Chinese catalogue reads as Chinese: full-width punctuation, placeholders kept, nothing left open.

`catalogue_problems` is the checker; the tests below hold the shipped catalogue to it and hold the
checker to finding each kind of mistake in a planted entry.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import polib
import pytest

CATALOGUE = Path(__file__).resolve().parents[1] / "src" / "shuren" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# Han ideographs and the full-width / CJK punctuation that sits among them.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019"
NAMED = re.compile(r"%\((?P<name>[A-Za-z0-9_]+)\)[-#0 +]*\d*(?:\.\d+)?[sdifrxX]")
POSITIONAL = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdifrxX]")
BRACED = re.compile(r"\{[A-Za-z0-9_.]*\}")
# What is not prose: placeholders, URLs, inline code, HTML tags, and command lines or code in quotes.
NOT_PROSE = re.compile(
    r"%\([A-Za-z0-9_]+\)[-#0 +]*\d*(?:\.\d+)?[sdifrxX]"
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifrxX]"
    r"|\{[A-Za-z0-9_.]*\}"
    r"|https?://\S+"
    r"|`[^`]*`"
    r"|<[^>]+>"
)
ASCII_PUNCTUATION = ":;(),?!"
BESIDE_HAN = re.compile(rf"[{HAN}]\s*[{re.escape(ASCII_PUNCTUATION)}]|[{re.escape(ASCII_PUNCTUATION)}]\s*[{HAN}]")
SPACE_BETWEEN_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff] +[\u3400-\u4dbf\u4e00-\u9fff]")


def _placeholders(text: str) -> tuple[frozenset[str], Counter[str], frozenset[str]]:
    """Named placeholders (a name may repeat), positional ones (counted) and braced ones."""
    without_named = NAMED.sub("", text.replace("%%", ""))
    return (
        frozenset(m.group("name") for m in NAMED.finditer(text.replace("%%", ""))),
        Counter(POSITIONAL.findall(without_named)),
        frozenset(BRACED.findall(text)),
    )


def _translations(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) pairs of an entry; a plural translation answers to the plural source."""
    if entry.msgid_plural:
        return [(entry.msgid_plural, text) for _, text in sorted(entry.msgstr_plural.items())]
    return [(entry.msgid, entry.msgstr)]


def catalogue_problems(entries: Iterable[polib.POEntry]) -> list[str]:
    """Every problem of the entries, one line each, naming the entry."""
    problems: list[str] = []
    for entry in entries:
        if entry.obsolete or not entry.msgid:
            continue
        name = f"[{entry.msgctxt}] {entry.msgid!r}" if entry.msgctxt else repr(entry.msgid)
        if "fuzzy" in entry.flags:
            problems.append(f"{name}: fuzzy")
        for source, text in _translations(entry):
            if not text.strip():
                problems.append(f"{name}: empty translation")
                continue
            if _placeholders(source) != _placeholders(text):
                problems.append(f"{name}: placeholders differ in {text!r}")
            prose = NOT_PROSE.sub("\x00", text)
            for match in BESIDE_HAN.finditer(prose):
                problems.append(f"{name}: ASCII punctuation beside Chinese ({match.group()!r}) in {text!r}")
            for match in SPACE_BETWEEN_HAN.finditer(prose):
                problems.append(f"{name}: a space between Chinese characters ({match.group()!r}) in {text!r}")
    return problems


def _entry(msgid: str, msgstr: str, *, fuzzy: bool = False) -> polib.POEntry:
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
    if fuzzy:
        entry.flags.append("fuzzy")
    return entry


def test_the_chinese_catalogue_has_no_problem():
    assert catalogue_problems(polib.pofile(str(CATALOGUE))) == []


@pytest.mark.parametrize(
    ("msgid", "msgstr", "problem"),
    [
        ("Resolved: %(note)s", "已办结: %(note)s", "ASCII punctuation"),
        ("Walk-in (%(name)s)", "临时到会 (%(name)s)", "ASCII punctuation"),
        ("Note (optional)", "备注(选填)", "ASCII punctuation"),
        ("Really?", "确定吗?", "ASCII punctuation"),
        ("Done; thanks", "已完成;谢谢", "ASCII punctuation"),
        ("Yes, no", "是,否", "ASCII punctuation"),
        ("Stop!", "停止!", "ASCII punctuation"),
        ("Appeal %(ref)s", "诉求", "placeholders differ"),
        ("Appeal", "诉求 %(ref)s", "placeholders differ"),
        ("Appeal %(ref)s", "诉求 %(reference)s", "placeholders differ"),
        ("%s of %s", "%s", "placeholders differ"),
        ("Page {page}", "第 {pages} 页", "placeholders differ"),
        ("Hello", "", "empty translation"),
        ("Hello", "你 好", "a space between Chinese"),
    ],
)
def test_the_checker_finds_a_planted_mistake(msgid, msgstr, problem):
    found = catalogue_problems([_entry(msgid, msgstr)])
    assert found and all(problem in line for line in found), found


def test_the_checker_finds_a_fuzzy_entry():
    found = catalogue_problems([_entry("Hello", "你好", fuzzy=True)])
    assert found == ["'Hello': fuzzy"]


def test_the_checker_finds_an_empty_plural_form():
    entry = polib.POEntry(msgid="%(n)s item", msgid_plural="%(n)s items", msgstr_plural={0: ""})
    assert catalogue_problems([entry]) == ["'%(n)s item': empty translation"]


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Resolved: %(note)s", "已办结：%(note)s"),
        ("%(name)s (walk-in)", "%(name)s（临时到会）"),
        # Placeholders, URLs, code and tags are not prose: their brackets and colons stay ASCII.
        ("Send %(name)s", "发送%(name)s"),
        ("Copy (https://example.cn/send?key=…)", "复制（https://example.cn/send?key=…）"),
        ("Run `shuren audit verify`: it checks", "运行 `shuren audit verify(x)` 即可校验"),
        ("Header: Authorization: Token <key>.", "请求头：Authorization: Token <密钥>。"),
        ("Rate %(rate)s%%", "比率 %(rate)s%%"),
        ("Used twice %(floor)s and %(floor)s", "两次 %(floor)s 与 %(floor)s"),
        ("At most %(count)d photos.", "最多 %(count)d 张照片。"),
    ],
)
def test_the_checker_accepts_good_chinese(msgid, msgstr):
    assert catalogue_problems([_entry(msgid, msgstr)]) == []
