"""Every date field of every form renders its value as ISO 8601 (YYYY-MM-DD, YYYY-MM-DDTHH:MM or
YYYY-MM), in Chinese as in English: the browser's date fields reject any other writing and then show
an empty "年/月/日"."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.utils import timezone, translation

import shuren

DAY = dt.date(2026, 12, 1)
MOMENT = dt.datetime(2026, 12, 1, 9, 30)
ISO = {"date": "2026-12-01", "datetime-local": "2026-12-01T09:30", "month": "2026-12", "hidden": None}
SRC = Path(shuren.__file__).parent


def _form_modules() -> Iterator[str]:
    for module in pkgutil.walk_packages([str(SRC)], prefix="shuren."):
        name = module.name
        if ".tests" in name or ".migrations" in name:
            continue
        if name.rsplit(".", 1)[-1] in {"forms", "admin_forms"} or ".forms." in name:
            yield name


def _form_classes() -> list[type[forms.BaseForm]]:
    for name in _form_modules():
        importlib.import_module(name)
    found: set[type[forms.BaseForm]] = set()
    todo: list[type[Any]] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("shuren.") and ".tests" not in sub.__module__:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _date_fields(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    """The date fields a form declares, and those its constructor adds when it can be built bare."""
    fields = dict(form_class.base_fields)
    with contextlib.suppress(Exception):  # a form that needs its user or object: its declared fields
        fields.update(form_class().fields)
    return {
        name: field
        for name, field in fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField) and not isinstance(field, forms.SplitDateTimeField)
    }


FORMS = _form_classes()


def test_the_walk_finds_the_forms_with_date_fields():
    names = {f"{c.__module__}.{c.__qualname__}" for c in FORMS}
    assert "shuren.appeals.forms.console.KpiPeriodForm" in names
    assert len(FORMS) > 50


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_field_of_every_form_renders_iso_whatever_the_language(language):
    wrong = []
    checked = 0
    with translation.override(language), timezone.override("Asia/Shanghai"):
        for form_class in FORMS:
            for name, field in _date_fields(form_class).items():
                value = MOMENT if isinstance(field, forms.DateTimeField) else DAY
                if isinstance(field, forms.DateTimeField):
                    value = timezone.make_aware(MOMENT)
                html = field.widget.render(name, field.prepare_value(value))
                kind = re.search(r'type="([^"]+)"', html)
                shown = re.search(r'value="([^"]*)"', html)
                where = f"{form_class.__module__}.{form_class.__qualname__}.{name}"
                checked += 1
                if kind is None or kind.group(1) not in ISO:
                    wrong.append(f"{where}: a {kind.group(1) if kind else '?'} input, not a date picker")
                elif ISO[kind.group(1)] and (shown is None or shown.group(1) != ISO[kind.group(1)]):
                    wrong.append(f"{where}: {shown.group(1) if shown else 'no value'}")
    assert checked >= 20
    assert wrong == [], "\n".join(wrong)


def test_no_template_writes_a_date_field_by_hand_without_an_iso_value():
    """A date input written in a template writes each value it shows with ``|date:'Y-m-d'``."""
    wrong = []
    for path in SRC.rglob("templates/**/*.html"):
        text = path.read_text()
        for tag in re.findall(r"<input\b[^>]*>", text, flags=re.S):
            if not re.search(r'type="(date|datetime-local|month)"', tag):
                continue
            value = re.search(r'value="(.*?)"\s*(?:\w|>|/)', tag, flags=re.S)
            shown = re.findall(r"\{\{(.*?)\}\}", value.group(1)) if value else []
            for expression in shown:
                if not re.search(r"""\|date:['"](Y-m-d|Y-m-d\\TH:i|Y-m)['"]\s*$""", expression):
                    wrong.append(f"{path.relative_to(SRC)}: {expression.strip()}")
    assert wrong == []
