"""Notices made into group messages: personal data removed, staff's markup inert, within 4096 bytes."""

from __future__ import annotations

import pytest
from django.utils import translation

from shuren.notifications.testing import WecomServer
from shuren.notifications.wecom import (
    CONTENT_LIMIT_BYTES,
    escape_markdown,
    fit_bytes,
    group_safe,
    notice_markdown,
    send_markdown,
)

# What WeCom's markdown would turn into a link, a mention, a colour, a heading or bold.
MARKUP = (
    "# 紧急通知\n"
    "请点击[领取补贴](https://evil.example/phish)或访问 https://evil.example/a 与 www.evil.example，"
    '<@zhangsan> <@all> <font color="warning">重要</font> **加粗** `代码` > 引用 ![图](https://evil.example/p.png)'
)


def interpreted(content: str) -> list[str]:
    """What WeCom markdown would act on in ``content`` (besides our own title and link)."""
    found = []
    for marker in ("[", "](", "<@", "<font", "**", "`", "://", "www.", "\n#", "\n>"):
        if marker in content:
            found.append(marker)
    return found


def test_markup_in_a_notice_arrives_inert(wecom: WecomServer) -> None:
    content = notice_markdown(title="通知", body=MARKUP)
    send_markdown(webhook_url=wecom.webhook(), content=content)
    [delivered] = wecom.delivered
    body = delivered.split("\n", 1)[1]  # after our bold title
    assert interpreted("\n" + body) == []
    # Still readable: the words are there, in full-width brackets.
    assert "［领取补贴］（https：//evil.example/phish）" in body.replace("(", "（").replace(")", "）")
    assert "＜@zhangsan＞" in body
    assert "＜@all＞" in body


def test_a_title_cannot_break_out_of_its_bold() -> None:
    content = notice_markdown(title="**通知**\n# [点我](https://evil.example)", body="正文")
    title_line, body = content.split("\n", 1)
    assert title_line.startswith("**") and title_line.endswith("**")
    assert "**" not in title_line[2:-2]
    assert "[" not in title_line and "://" not in title_line
    assert body == "正文"


def test_only_our_link_to_the_full_notice_is_a_link() -> None:
    with translation.override("zh-hans"):
        content = notice_markdown(title="通知", body=MARKUP, url="https://sq.example.cn/notices/7 (copy)")
    assert content.count("](") == 1
    assert content.endswith("[阅读全文](https://sq.example.cn/notices/7%20%28copy%29)")


def test_a_link_that_is_not_http_is_refused() -> None:
    with pytest.raises(ValueError, match="http"):
        notice_markdown(title="通知", body="正文", url="javascript:alert(1)")


def test_nothing_personal_goes_into_a_group_message(wecom: WecomServer) -> None:
    notice = "3号楼2单元501室的王建国（电话13912345678）家漏水，请楼下住户留意。"
    content = notice_markdown(title="漏水提醒：3号楼2单元501室", body=notice, names=["王建国"])
    send_markdown(webhook_url=wecom.webhook(), content=content)
    [delivered] = wecom.delivered
    for personal in ("13912345678", "501", "王建国", "2单元"):
        assert personal not in delivered
    assert "请楼下住户留意" in delivered


def test_group_safe_uses_the_projects_redaction() -> None:
    text = group_safe("联系人：李四 139 1234 5678，6栋1203室", names=["李四"])
    assert "1234" not in text and "1203" not in text and "李四" not in text
    assert text.startswith("联系人：")


def test_a_long_notice_is_cut_on_a_character_boundary_and_links_to_the_rest(wecom: WecomServer) -> None:
    body = "各位居民：" + "本小区将于下周进行消防演练，请大家积极配合。" * 300  # ~20 KB
    with translation.override("zh-hans"):
        content = notice_markdown(title="消防演练", body=body, url="https://sq.example.cn/notices/8")
    encoded = content.encode("utf-8")
    assert len(encoded) <= CONTENT_LIMIT_BYTES
    assert len(encoded) > CONTENT_LIMIT_BYTES - 3  # cut at the limit, not well before it
    encoded.decode("utf-8")  # no broken character
    assert content.endswith("…\n[阅读全文](https://sq.example.cn/notices/8)")
    send_markdown(webhook_url=wecom.webhook(), content=content)
    assert wecom.delivered == [content]


@pytest.mark.parametrize("text", ["a" * 10, "通" * 10, "😀" * 10, "a通😀" * 5])
def test_fit_bytes_never_splits_a_character(text: str) -> None:
    for limit in range(0, 45):
        cut = fit_bytes(text, limit)
        assert len(cut.encode("utf-8")) <= limit
        assert text.startswith(cut.removesuffix("…"))
        if len(text.encode("utf-8")) <= limit:
            assert cut == text


def test_escaping_keeps_line_breaks_and_drops_control_characters() -> None:
    assert escape_markdown("第一行\r\n第二行\x1b[31m\x00") == "第一行\n第二行［31m"
