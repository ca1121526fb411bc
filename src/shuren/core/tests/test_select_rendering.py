"""Every <select> is written out by core.forms._select_render instead of Django's per-option
templates: the markup must stay what Django's templates write, for any labels, values, groups,
selections and attributes."""

from __future__ import annotations

import re

from django import forms
from hypothesis import given, settings
from hypothesis import strategies as st

from shuren.core.forms import _select_render, _template_select_render


def _tags(html: str) -> str:
    """The markup without the line breaks and indentation between tags."""
    return re.sub(r">\s+<", "><", html.strip())


def _both(widget: forms.Select, name: str, value: object, attrs: dict | None = None) -> tuple[str, str]:
    return _tags(_select_render(widget, name, value, attrs)), _tags(_template_select_render(widget, name, value, attrs))


text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
values = st.one_of(st.integers(-5, 10**6), text)


@settings(max_examples=150, deadline=None)
@given(
    options=st.lists(st.tuples(values, text), max_size=8),
    pick=st.integers(0, 9),
    grouped=st.booleans(),
    required=st.booleans(),
)
def test_the_python_select_writes_what_djangos_templates_write(options, pick, grouped, required):
    choices: list = list(options)
    if grouped and options:
        choices = [("甲组 <&> \"'", options[: len(options) // 2]), ("乙组", options[len(options) // 2 :])]
    selected = options[pick % len(options)][0] if options else ""
    widget = forms.Select(choices=choices, attrs={"class": "form-select", "data-x": 'a"b<c', "required": required})
    mine, django = _both(widget, "category", selected, {"id": "id_category"})
    assert mine == django


def test_several_selected_options_a_blank_choice_and_lazy_labels():
    from django.utils.translation import gettext_lazy

    widget = forms.SelectMultiple(choices=[("", gettext_lazy("All")), (1, "一号楼"), (2, "二号楼"), (3, "3 < 4")])
    mine, django = _both(widget, "buildings", [1, 3], {"id": "id_b", "disabled": True})
    assert mine == django and mine.count(" selected") == 2 and " multiple" in mine
    boolean = forms.NullBooleanSelect()
    assert _both(boolean, "shared", True) == _both(boolean, "shared", True)[::-1]


def test_a_widget_with_templates_of_its_own_is_rendered_by_them():
    class Tagged(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Tagged(choices=[(1, "一")])
    assert "<option" not in widget.render("x", 1) and widget.render("x", 1) == _template_select_render(widget, "x", 1)


def test_a_form_field_renders_through_the_python_select():
    class Filter(forms.Form):
        status = forms.ChoiceField(choices=[("open", "办理中"), ("closed", "已办结 & 归档")], required=False)

    html = str(Filter({"status": "closed"})["status"])
    assert forms.Select.render is _select_render
    assert '<option value="closed" selected>已办结 &amp; 归档</option>' in html
