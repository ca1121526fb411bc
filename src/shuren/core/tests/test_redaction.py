"""core.redaction: personal data in the many ways residents write it never survives redaction,
the text around it is kept, and the desk is told what was hidden where."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuren.core.redaction import ADDRESS, EMAIL, ID_NUMBER, NAME, PHONE, PLATE, QQ, WECHAT, redact, redact_text

from .pii_strategies import leaked, secrets, sentences


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sentences())
def test_no_personal_data_survives_in_any_written_form(sample):
    text, found = sample
    redacted = redact_text(text)
    assert leaked(redacted, found) == [], (text, redacted)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sentences(max_secrets=3))
def test_redacting_twice_changes_nothing(sample):
    once = redact_text(sample[0])
    assert redact_text(once) == once


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(secrets())
def test_each_finding_spans_the_original_text(secret):
    text = "居民反映：" + secret.written + "，请处理。"
    result = redact(text)
    assert result.findings, text
    assert result.text.startswith("居民反映：") and result.text.endswith("，请处理。")
    hidden = "".join(piece for piece, kind in result.segments() if kind)
    assert secret.written.strip() in hidden or hidden in secret.written


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("电话139-1234-5678，谢谢", PHONE),
        ("电话 139 1234 5678。", PHONE),
        ("手机１３９１２３４５６７８", PHONE),
        ("+86 139 1234 5678", PHONE),
        ("0086-13912345678", PHONE),
        ("身份证4406 0519 9001 0112 3x号", ID_NUMBER),
        ("车牌粤A·12345停在门口", PLATE),
        ("粤A12345D占道", PLATE),
        ("加微信abc_123456", WECHAT),
        ("vx: Lin_xm88", WECHAT),
        ("QQ 12345", QQ),
        ("扣扣：987654321", QQ),
        ("邮箱 lin＠qq．com", EMAIL),
        ("3号楼2单元501室漏水", ADDRESS),
        ("十二栋三单元五零一室", ADDRESS),
        ("A座1203房", ADDRESS),
        ("住在3-2-501", ADDRESS),
        ("王先生反映", NAME),
        ("联系人：张伟", NAME),
    ],
)
def test_each_kind_is_recognised(text, kind):
    result = redact(text)
    assert [f.kind for f in result.findings] == [kind], (text, result.text)


def test_names_from_the_registry_are_hidden_with_or_without_spaces():
    result = redact("林小梅说，林 小 梅的邻居陈大文也同意。", names=["林小梅", "陈大文", "李"])
    assert "林" not in result.text and "陈大文" not in result.text
    assert result.text == "[姓名]说，[姓名]的邻居[姓名]也同意。"


@pytest.mark.parametrize(
    "text",
    ["2026-03-02已处理完毕", "3楼楼道的灯坏了", "一室一厅的出租屋", "处理了12个问题", "已于3月2日更换了电梯按钮"],
)
def test_ordinary_words_dates_and_small_numbers_are_kept(text):
    assert redact_text(text) == text


def test_the_chinese_punctuation_around_a_finding_is_kept():
    assert redact_text("请拨１３９ １２３４ ５６７８，谢谢！") == "请拨[电话]，谢谢！"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_redacted_without_error(text):
    result = redact(text)
    assert all(0 <= f.start < f.end <= len(text) for f in result.findings)
