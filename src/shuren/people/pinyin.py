"""Names in pinyin, for search and ordering: "zengxiaoming" and "zxm" for 曾小明.

A name's first character (or two, for a compound surname) is read as a surname: 曾 is zeng, not
ceng; 单 shan, 解 xie, 仇 qiu, 区 ou, 查 zha, 朴 piao, 尉迟 yuchi (``SURNAMES``). The rest is read as
pypinyin reads it, words included (朝阳 zhaoyang, not chaoyang). pypinyin takes about 50 µs for a
name's two spellings, most of it cutting the name into words; a name in which no two characters
form a word of its dictionary reads character by character, and each character's reading is kept
once looked up, so an import of 100,000 mostly different names looks up a few thousand characters.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from functools import cache, lru_cache
from typing import Any

# Surnames whose reading differs from the character's everyday one (pypinyin's), by the standard
# dictionaries' 姓 entries. Characters with two common surname readings are left to pypinyin
# (覃 tan/qin, 乐 le/yue, 隗 kui/wei).
SURNAMES: dict[str, tuple[str, ...]] = {
    "曾": ("zeng",),
    "单": ("shan",),
    "解": ("xie",),
    "仇": ("qiu",),
    "区": ("ou",),
    "查": ("zha",),
    "朴": ("piao",),
    "翟": ("zhai",),
    "盖": ("ge",),
    "缪": ("miao",),
    "秘": ("bi",),
    "召": ("shao",),
    "员": ("yun",),
    "句": ("gou",),
    "繁": ("po",),
    "折": ("she",),
    "黑": ("he",),
    "能": ("nai",),
    "蕃": ("pi",),
    "洗": ("xian",),
    "种": ("chong",),
    "重": ("chong",),
    "颉": ("xie",),
    "薄": ("bo",),
    "祭": ("zhai",),
    "长": ("chang",),
    "都": ("du",),
    "卜": ("bu",),
    "阚": ("kan",),
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"),
    "单于": ("chan", "yu"),
    "乐正": ("yue", "zheng"),
}
_LONGEST_SURNAME = max(map(len, SURNAMES))


def split_surname(name: str) -> tuple[str, tuple[str, ...]]:
    """The name's surname if ``SURNAMES`` reads it, and its syllables; ("", ()) otherwise."""
    for length in range(min(_LONGEST_SURNAME, len(name)), 0, -1):
        syllables = SURNAMES.get(name[:length])
        if syllables is not None:
            return name[:length], syllables
    return "", ()


@lru_cache(maxsize=1)
def _pypinyin() -> tuple[Callable[..., list[str]], Any, Container[str]]:
    """pypinyin's converter, its initials style and its dictionary of words, imported on first use
    (loading the dictionary takes a while and much memory: processes that spell no name skip it)."""
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PHRASES_DICT

    return lazy_pinyin, Style.FIRST_LETTER, PHRASES_DICT


def _read(text: str) -> tuple[str, str]:
    """``text`` in pinyin and initials by pypinyin itself."""
    lazy_pinyin, first_letter, _words = _pypinyin()
    return "".join(lazy_pinyin(text)), "".join(lazy_pinyin(text, style=first_letter))


@cache  # a few thousand characters make nearly every name
def character_pinyin(character: str) -> tuple[str, str]:
    """One character's reading and initial as pypinyin gives them alone (a character without
    pinyin, such as a letter or "·", as itself)."""
    return _read(character)


_WORDS_CHECKED = 8  # a longer name (a transliteration) goes to pypinyin whole


def _may_hold_a_word(text: str) -> bool:
    """Whether two or more neighbouring characters of ``text`` are a word of pypinyin's dictionary,
    which it would read as a word (and maybe otherwise than character by character)."""
    if len(text) > _WORDS_CHECKED:
        return True
    words = _pypinyin()[2]
    return any(text[start:end] in words for start in range(len(text)) for end in range(start + 2, len(text) + 1))


def spelled(text: str) -> tuple[str, str]:
    """``text`` in pinyin and initials as ``lazy_pinyin`` reads it, words included (not lower-cased)."""
    if _may_hold_a_word(text):
        return _read(text)
    readings = [character_pinyin(character) for character in text]
    return "".join(full for full, _initial in readings), "".join(initial for _full, initial in readings)


@lru_cache(maxsize=65536)  # the same name is often spelled again (saves of one person)
def pinyin_of(name: str) -> tuple[str, str]:
    """A name's full pinyin and initials, lower case, for search ("zengxiaoming", "zxm")."""
    surname, syllables = split_surname(name)
    full, initials = spelled(name[len(surname) :])
    return (
        ("".join(syllables) + full).lower(),
        ("".join(syllable[0] for syllable in syllables) + initials).lower(),
    )
