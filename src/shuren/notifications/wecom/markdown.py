"""Notices as WeCom robot markdown: staff's text made inert, personal data removed, within the limit.

WeCom's markdown interprets headings (``#``), bold (``**``), links (``[text](url)``), inline code,
quotes (``>``), ``<font color="…">`` and mentions (``<@userid>``), and clients turn a bare
``https://…`` into a link. A notice is written by staff for residents; it must arrive as written
text, never as a link to somewhere else or a mention of someone. Markdown has no escape WeCom
honours, so each interpreted character is replaced by its full-width twin (``[`` by ``［``, ``<`` by
``＜``…), which reads the same in Chinese text, and ``://`` by ``：//``.

A group message is seen by everyone in the group: ``group_safe`` passes every text through the
project's redaction (phone numbers, door numbers, names… become ``[电话]``, ``[房号]``…).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, urlsplit

from django.utils.translation import gettext as _

from shuren.core.redaction import redact_text

# WeCom refuses a markdown content longer than this many bytes of UTF-8 (errcode 40058).
CONTENT_LIMIT_BYTES = 4096
ELLIPSIS = "…"

_INERT = str.maketrans(
    {
        "<": "＜",
        ">": "＞",
        "[": "［",
        "]": "］",
        "*": "＊",
        "_": "＿",
        "`": "｀",
        "&": "＆",
        "#": "＃",
        "|": "｜",
    }
)
# Control characters other than the line break and tab (a notice is plain text).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SCHEME = re.compile(r"://")
_WWW = re.compile(r"(?i)\bwww\.")


def escape_markdown(text: str) -> str:
    """``text`` as inert WeCom markdown: shown as written, interpreted as nothing."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).translate(_INERT)
    text = _SCHEME.sub("：//", text)
    return _WWW.sub(lambda m: m.group(0)[:3] + "．", text)


def group_safe(text: str, *, names: Iterable[str] = ()) -> str:
    """``text`` with personal data replaced by placeholders (``shuren.core.redaction``), fit for a group
    of neighbours; ``names`` are people's names to hide wherever they appear."""
    return redact_text(text or "", names=names)


def fit_bytes(text: str, limit: int, *, ellipsis: str = ELLIPSIS) -> str:
    """``text`` if its UTF-8 fits in ``limit`` bytes, else its longest beginning that does with
    ``ellipsis`` added (cut between characters, never inside one)."""
    if len(text.encode("utf-8")) <= limit:
        return text
    room = limit - len(ellipsis.encode("utf-8"))
    if room <= 0:
        return ""
    return text.encode("utf-8")[:room].decode("utf-8", errors="ignore") + ellipsis


def link_target(url: str) -> str:
    """An http(s) ``url`` made safe inside ``[text](url)``: spaces, brackets and parentheses encoded."""
    if urlsplit(url).scheme not in ("https", "http"):
        raise ValueError("a notice link must be an http(s) URL")
    return quote(url, safe=":/?#@!$&'*+,;=%-._~")


def notice_markdown(*, title: str, body: str, url: str = "", names: Iterable[str] = ()) -> str:
    """A notice as one robot markdown message: the title in bold, the body, and a link to the whole
    notice. Title and body are redacted (``group_safe``) and made inert (``escape_markdown``); when
    the message would pass WeCom's limit, the body is cut on a character boundary, marked with "…",
    and the link (always kept) leads to the rest."""
    names = tuple(names)
    head = f"**{fit_bytes(escape_markdown(group_safe(title, names=names)).replace(chr(10), ' '), 300)}**\n"
    label = escape_markdown(_("Read the full notice"))
    foot = f"\n[{label}]({link_target(url)})" if url else ""
    text = escape_markdown(group_safe(body, names=names)).strip()
    room = CONTENT_LIMIT_BYTES - len(head.encode("utf-8")) - len(foot.encode("utf-8"))
    return head + fit_bytes(text, room) + foot
