"""The public board's filter form (estate, category, words). Its choices come from ``selectors``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.places.models import Estate

from ..models import Category, category_label
from ..selectors import board_categories, board_estates


class EstateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Estate) -> str:
        return f"{obj.name} · {obj.community.name}"


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        name = category_label(obj)
        return f"— {name}" if obj.parent_id else name


class BoardFilterForm(forms.Form):
    estate = EstateChoiceField(
        label=_("Estate"), queryset=Estate.objects.none(), required=False, empty_label=_("All estates")
    )
    category = CategoryChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, empty_label=_("All categories")
    )
    q = forms.CharField(label=_("Words"), max_length=50, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only estates that have something on the board: a district has thousands of estates.
        estate = self.fields["estate"]
        assert isinstance(estate, forms.ModelChoiceField)
        estate.queryset = board_estates()
        # Parents first, each followed by its children.
        field = self.fields["category"]
        assert isinstance(field, CategoryChoiceField)
        field.queryset = board_categories()
        categories = list(field.queryset)
        ordered = []
        for top in [c for c in categories if c.parent_id is None]:
            ordered.append(top)
            ordered.extend(c for c in categories if c.parent_id == top.pk)
        field.choices = [("", field.empty_label)] + [(c.pk, field.label_from_instance(c)) for c in ordered]
