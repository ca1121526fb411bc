"""A text that is too long is refused in our words ("最多可输入 4000 个字，现在是 4001 个字。"),
whichever app's form it is, and a text field with a limit shows a live counter under it."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from shuren.conventions.forms import CommentForm
from shuren.conventions.forms import ReasonForm as RepealForm
from shuren.governance.forms import ListForm, ProgressForm
from shuren.places.models import Area


def _errors(form: forms.BaseForm, field: str) -> list[str]:
    with translation.override("zh-hans"):
        assert not form.is_valid()
        return [str(error) for error in form.errors[field]]


@pytest.mark.parametrize(
    ("make", "field", "limit"),
    [
        (lambda data: CommentForm(data), "text", 2000),
        (lambda data: RepealForm(data), "reason", 300),
        (lambda data: ProgressForm(data), "text", 2000),
    ],
    ids=["convention comment", "convention repeal", "governance progress"],
)
def test_a_text_over_the_limit_is_refused_in_our_words(make, field, limit):
    errors = _errors(make({field: "字" * (limit + 1)}), field)
    assert errors == [f"最多可输入 {limit} 个字，现在是 {limit + 1} 个字。"]


@pytest.mark.django_db
def test_a_model_forms_limit_from_the_model_speaks_our_words_too():
    form = ListForm({"title": "清" * 101}, communities=Area.objects.none())
    assert "最多可输入 100 个字，现在是 101 个字。" in _errors(form, "title")


def test_the_limit_is_worded_in_english_too():
    form = CommentForm({"text": "x" * 2001})
    with translation.override("en"):
        form.is_valid()
        assert form.errors["text"] == ["At most 2000 characters can be entered; this has 2001."]


def test_djangos_stock_words_are_gone():
    with translation.override("zh-hans"):
        field = forms.CharField(max_length=3)
        with pytest.raises(forms.ValidationError) as refused:
            field.clean("四个汉字")
    assert "确保" not in refused.value.messages[0] and "最多可输入 3 个字" in refused.value.messages[0]


class _Form(forms.Form):
    short = forms.CharField(max_length=20, help_text="help")
    long = forms.CharField(max_length=4000, widget=forms.Textarea)
    secret = forms.CharField(max_length=50, widget=forms.PasswordInput)
    free = forms.CharField(widget=forms.Textarea)


def _row(form: forms.Form, name: str) -> str:
    with translation.override("zh-hans"):
        return Template("{% load shuren_ui %}{% form_row field %}").render(Context({"field": form[name]}))


def test_a_limited_text_field_has_a_counter_the_field_is_described_by():
    html = _row(_Form({"long": "一二三"}), "long")
    assert 'id="id_long_counter"' in html and 'data-counter-for="id_long"' in html
    assert 'data-limit="4000"' in html and 'data-template="已输入 {count}/{limit}"' in html
    assert "已输入 3/4000</div>" in html
    assert 'aria-describedby="id_long_counter"' in html
    assert "aria-live" not in html  # the page makes it a live region only near the limit
    short = _row(_Form(), "short")
    assert 'aria-describedby="id_short_help id_short_counter"' in short and "已输入 0/20" in short


def test_a_text_kept_over_the_limit_shows_its_count_in_red():
    html = _row(_Form({"long": "字" * 4001}), "long")
    assert "已输入 4001/4000" in html and "text-danger" in html


def test_no_counter_without_a_limit_or_on_a_password():
    assert "_counter" not in _row(_Form(), "free")
    assert "_counter" not in _row(_Form(), "secret")
