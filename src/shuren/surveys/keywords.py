"""The words residents use most in free-text answers: each text is cut into words with jieba, common
words (stopwords) and numbers are dropped, and each word counts once per answer that uses it.

Callers pass texts already redacted (``core.redaction``): a phone number or a door number never
becomes a keyword, and the placeholders (``[电话]``) are dropped like stopwords."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

STOPWORDS = frozenset(
    "的 了 在 是 我 有 和 就 不 人 都 一 一个 上 也 很 到 说 要 去 你 会 着 没有 看 好 自己 这 那 里 们 他 她 它 "
    "吗 吧 呢 啊 呀 哦 嗯 请 把 被 让 给 从 对 还 又 与 及 等 已经 现在 一直 每天 多次 非常 希望 觉得 感觉 "
    "建议 能否 能 可以 尽快 帮忙 麻烦 谢谢 我们 你们 他们 小区 这里 那里 经常 总是 比较 一些 有点 一下 "
    "没 无 暂无 其他 其它 以及 或者 因为 所以 但是 如果 还是 什么 怎么 这个 那个 这些 那些 可能 应该 "
    "需要 问题 情况 方面 东西 时候 大家 挺 太 更 最 多 少 些 点".split()
)
# Words of community life that jieba's dictionary would cut in two (充电 + 桩): taken whole before
# the rest is cut (jieba's shared dictionary, which the appeals' duplicate finder uses, is left as is).
WORDS = ("充电桩", "快递柜", "老年食堂", "长者饭堂", "物业费", "消防通道", "电动车", "垃圾分类", "楼道灯", "送餐上门")
_PLACEHOLDER = re.compile(r"\[[^\]]{1,12}\]")
_HAS_WORD = re.compile(r"[\w\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words_of(text: str) -> set[str]:
    """The distinct meaningful words of one text."""
    text = _PLACEHOLDER.sub(" ", text or "")
    found: set[str] = set()
    for word in WORDS:
        if word in text:
            found.add(word)
            text = text.replace(word, " ")
    for word in _jieba().lcut(text):
        word = word.strip().lower()
        if not word or word in STOPWORDS or not _HAS_WORD.search(word) or word.isdigit():
            continue
        if len(word) == 1:  # a single character (Chinese or Latin) says too little on its own
            continue
        found.add(word)
    return found


def top_terms(texts: Iterable[str], *, limit: int = 10) -> list[tuple[str, int]]:
    """The ``limit`` words used in most answers, with how many answers use each (ties in the
    order of the characters, so that the list is the same on every run)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(words_of(text))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
