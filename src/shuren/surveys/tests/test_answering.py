"""What each kind of question accepts, and the words of each refusal (in Chinese by default)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from shuren.surveys.answering import TEXT_LIMIT, clean_answers, describe
from shuren.surveys.models import Question


def q(pk: int, kind: str, **fields) -> Question:
    return Question(pk=pk, position=pk, kind=kind, text=f"问题{pk}", is_required=fields.pop("required", True), **fields)


SINGLE = q(1, "single", options=["是", "否", "不确定"])
MULTIPLE = q(2, "multiple", options=["停车", "保洁", "照明"])
SCALE = q(3, "scale")
TEXT = q(4, "text", required=False)
NUMBER = q(5, "number", min_value=Decimal("5"), max_value=Decimal("30"))
MATRIX = q(6, "matrix", rows=["保安", "保洁", "绿化"])


def errors(questions, raw) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        clean_answers(questions, raw)
    return caught.value.message_dict


def test_a_valid_answer_of_every_kind_is_kept_in_its_stored_form():
    cleaned = clean_answers(
        [SINGLE, MULTIPLE, SCALE, TEXT, NUMBER, MATRIX],
        {
            "q_1": "2",
            "q_2": ["2", "0", "2"],
            "q_3": 5,
            "q_4": "  很好  ",
            "q_5": "12.50",
            "q_6": {"0": 5, "1": "4", "2": 3},
        },
    )
    stored = {c.question.pk: (c.value, c.text) for c in cleaned}
    assert stored == {
        1: (2, ""),
        2: ([0, 2], ""),
        3: (5, ""),
        4: (None, "很好"),
        5: ("12.5", ""),
        6: ([5, 4, 3], ""),
    }


def test_every_problem_is_named_at_once_beside_its_question():
    found = errors(
        [SINGLE, MULTIPLE, SCALE, NUMBER, MATRIX],
        {"q_1": "7", "q_2": ["1", "9"], "q_3": "6", "q_5": "abc", "q_6": [5, "", 3]},
    )
    assert set(found) == {"q_1", "q_2", "q_3", "q_5", "q_6"}


@pytest.mark.parametrize(
    ("question", "raw", "chinese", "english"),
    [
        (SINGLE, None, "请回答此题。", "Please answer this question."),
        (SINGLE, "3", "请从选项中选择一项。", "Choose one of the options."),
        (SCALE, "0", "请给出1到5星。", "Give from 1 to 5 stars."),
        (NUMBER, "3", "请输入5到30之间的数。", "Enter a number from 5 to 30."),
        (NUMBER, "十二", "请输入一个数，例如3或2.5。", "Enter a number, such as 3 or 2.5."),
        (NUMBER, "12.345", "最多保留两位小数。", "Use at most two decimal places."),
        (MATRIX, [5, None, 4], "请为每一行打分，尚缺：保洁。", "Rate every row; missing: 保洁."),
    ],
)
def test_refusals_are_worded_for_the_reader(question, raw, chinese, english):
    with translation.override("zh-hans"):
        assert errors([question], {question.field_name: raw})[question.field_name] == [chinese]
    with translation.override("en"):
        assert errors([question], {question.field_name: raw})[question.field_name] == [english]


def test_an_optional_question_may_be_left_empty_but_not_a_required_one():
    assert clean_answers([TEXT], {"q_4": "   "}) == []
    assert clean_answers([q(7, "matrix", rows=["a", "b"], required=False)], {"q_7": [None, ""]}) == []
    assert "q_3" in errors([SCALE], {"q_3": ""})
    assert "q_2" in errors([MULTIPLE], {"q_2": []})


def test_an_optional_matrix_keeps_the_rows_that_were_rated():
    optional = q(8, "matrix", rows=["a", "b", "c"], required=False)
    [cleaned] = clean_answers([optional], {"q_8": ["", "4"]})
    assert cleaned.value == [None, 4, None]


def test_a_text_longer_than_the_limit_is_refused_with_its_length():
    with translation.override("en"):
        found = errors([TEXT], {"q_4": "好" * (TEXT_LIMIT + 1)})
    assert found["q_4"] == [f"Write at most {TEXT_LIMIT} characters (you wrote {TEXT_LIMIT + 1})."]


def test_a_number_with_only_one_bound_says_which():
    low_only = q(9, "number", min_value=Decimal("0"))
    with translation.override("en"):
        assert errors([low_only], {"q_9": "-1"})["q_9"] == ["Enter a number of at least 0."]
    [cleaned] = clean_answers([low_only], {"q_9": "1,200"})
    assert cleaned.value == "1200"


def test_answers_to_questions_the_survey_does_not_have_are_refused():
    assert "q_99" in errors([SCALE], {"q_3": 4, "q_99": "x"})


def test_booleans_and_lists_where_a_choice_is_expected_are_refused():
    assert "q_1" in errors([SINGLE], {"q_1": True})
    assert "q_3" in errors([SCALE], {"q_3": [4]})
    assert "q_5" in errors([NUMBER], {"q_5": ["12"]})
    assert "q_6" in errors([MATRIX], {"q_6": "5"})


def test_answers_are_described_in_words():
    assert describe(SINGLE, 1) == "否"
    assert describe(MULTIPLE, [0, 2]) == "停车、照明"
    assert describe(SCALE, 3) == "★★★"
    assert describe(MATRIX, [5, None, 2]) == "保安：★★★★★；绿化：★★"
    assert describe(TEXT, None, "很好") == "很好"
