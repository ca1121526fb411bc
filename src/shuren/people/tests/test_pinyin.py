"""Names in pinyin for search and ordering (people.pinyin): surnames read as surnames, the rest as
pypinyin reads it, words included, whether the name is spelled character by character from the
cache or by pypinyin whole."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT

from shuren.people.pinyin import SURNAMES, pinyin_of, split_surname


def by_pypinyin(text: str) -> tuple[str, str]:
    """pypinyin alone on the whole text: what ``pinyin_of`` computed before surnames were read."""
    return "".join(lazy_pinyin(text)).lower(), "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()


def uncached(name: str) -> tuple[str, str]:
    """The surname's reading, then pypinyin on the rest of the name, with no cache or shortcut."""
    surname, syllables = split_surname(name)
    full, initials = by_pypinyin(name[len(surname) :])
    return "".join(syllables) + full, "".join(s[0] for s in syllables) + initials


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("曾小明", "zengxiaoming", "zxm"),
        ("单田芳", "shantianfang", "stf"),
        ("解缙", "xiejin", "xj"),
        ("仇英", "qiuying", "qy"),
        ("区小华", "ouxiaohua", "oxh"),
        ("查良镛", "zhaliangyong", "zly"),
        ("朴树", "piaoshu", "ps"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("万俟卨", "moqixie", "mqx"),
        ("长孙无忌", "zhangsunwuji", "zswj"),
        ("长江", "changjiang", "cj"),  # 长 alone, as a surname
        ("黄伯荣", "huangborong", "hbr"),
        ("张朝阳", "zhangzhaoyang", "zzy"),  # a word in the given name: 朝阳, not chaoyang
        ("曾朝阳", "zengzhaoyang", "zzy"),
        ("王朝阳", "wangchaoyang", "wcy"),  # as pypinyin cuts it, as before: 王朝 is a word
        ("曾", "zeng", "z"),
        ("Anna Lee", "anna lee", "anna lee"),
        ("阿依古丽·买买提", *by_pypinyin("阿依古丽·买买提")),
        ("", "", ""),
    ],
)
def test_names_are_spelled_with_their_surnames_read_as_surnames(name, full, initials):
    assert pinyin_of(name) == (full, initials)


_COMMON = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭萧田董潘袁蔡蒋余杜叶程苏魏吕丁任沈姚卢"
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文嘉浩宇欣怡子轩梓涵婉仪淑芬伯荣晓婷"
    + "朝阳长乐重行"
)
_WORDS = sorted(word for word in PHRASES_DICT if len(word) <= 3)  # pieces of given names that pypinyin reads as words
characters = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
given_part = st.lists(
    st.one_of(st.sampled_from(_GIVEN), characters, st.sampled_from(_WORDS), st.sampled_from(["·", " ", "A", "x"])),
    min_size=0,
    max_size=4,
).map("".join)
names = st.tuples(st.one_of(st.sampled_from(sorted(SURNAMES)), st.sampled_from(_COMMON), characters), given_part).map(
    "".join
)


@settings(deadline=None, max_examples=500)
@given(names)
def test_the_cached_spelling_is_pypinyins_on_the_name_after_its_surname(name: str) -> None:
    pinyin_of.cache_clear()
    assert pinyin_of(name) == uncached(name)
    assert pinyin_of(name) == uncached(name)  # from the caches too


@settings(deadline=None, max_examples=300)
@given(names)
def test_a_name_without_a_surname_of_the_table_is_spelled_as_before(name: str) -> None:
    assume(not split_surname(name)[0])
    assert pinyin_of(name) == by_pypinyin(name)
