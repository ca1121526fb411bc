"""Form helpers shared by every app's pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .validators import clean_text, compact_identifier, normalize_phone, number_text, parse_id_number

_original_char_to_python = forms.CharField.to_python
NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)
_original_number_to_python: dict[type[forms.Field], Callable[..., Any]] = {
    klass: klass.to_python for klass in NUMBER_FIELDS
}


def _cleaned_char_to_python(self: forms.CharField, value: Any) -> Any:
    """Every text field of every form: ``clean_text`` before Django's own conversion. Fields with
    ``strip=False`` (passwords and other exact secrets) are left exactly as typed."""
    if isinstance(value, str) and self.strip:
        value = clean_text(value, multiline=isinstance(self.widget, forms.Textarea))
    return _original_char_to_python(self, value)


def _number_to_python(klass: type[forms.Field]) -> Any:
    original = _original_number_to_python[klass]

    def to_python(self: forms.Field, value: Any) -> Any:
        """Integer, decimal and float fields: full-width digits, signs and points as ASCII (NFKC)."""
        if isinstance(value, str):
            value = number_text(value)
        return original(self, value)

    return to_python


# Our words for a text that is too long, in place of Django's "Ensure this value has at most …".
LENGTH_MESSAGE = ngettext_lazy(
    "At most %(limit_value)d character can be entered; this has %(show_value)d.",
    "At most %(limit_value)d characters can be entered; this has %(show_value)d.",
    "limit_value",
)


def install_length_message() -> None:
    """Every ``max_length`` of every form (and of every model, checked by ``full_clean``) answers in
    our words (called once, from the core app's ``ready``). Django builds the check from
    ``MaxLengthValidator`` wherever a field has a ``max_length``, so the message is set there, under
    the plain Django forms the apps write, rather than in a base class each would have to use."""
    MaxLengthValidator.message = LENGTH_MESSAGE


def install_input_cleaning() -> None:
    """Make every form's text and number fields clean their input (called once, from the core
    app's ``ready``): the project's forms are plain Django forms, so the cleaning sits under them
    rather than in a base class each form would have to remember to use."""
    forms.CharField.to_python = _cleaned_char_to_python  # type: ignore[method-assign]
    for klass in NUMBER_FIELDS:
        klass.to_python = _number_to_python(klass)  # type: ignore[method-assign]


_SELECT_TEMPLATE = forms.Select.template_name
_OPTION_TEMPLATE = forms.Select.option_template_name
_template_select_render = forms.Select.render


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """Attributes as Django's widgets/attrs.html writes them: in order, True as a bare name, False
    left out."""
    return mark_safe(  # noqa: S308  (names and values escaped by format_html)
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


def _select_render(
    self: forms.Select, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
) -> SafeString:
    """Django's ``<select>`` markup written out in Python. The template version includes one template
    per option, which made a filter bar of a few hundred options (categories, estates, organisations)
    cost more than the table under it. A widget with its own templates is rendered by them."""
    if self.template_name != _SELECT_TEMPLATE or self.option_template_name != _OPTION_TEMPLATE:
        return _template_select_render(self, name, value, attrs, renderer)
    widget = self.get_context(name, value, attrs)["widget"]
    parts: list[str] = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('<optgroup label="{}">', group_name))
        parts.extend(
            format_html(
                '<option value="{}"{}>{}</option>', str(option["value"]), _attrs(option["attrs"]), option["label"]
            )
            for option in options
        )
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return mark_safe("\n".join(parts))  # noqa: S308  (every part above is escaped by format_html)


def install_fast_select() -> None:
    """Every ``Select`` (and ``SelectMultiple``, ``NullBooleanSelect``) rendered by ``_select_render``
    (called once, from the core app's ``ready``)."""
    forms.Select.render = _select_render  # type: ignore[assignment,method-assign]


class _TypedNumberField(forms.CharField):
    """A number people type with spaces or dashes between digit groups: ``max_length`` applies to
    the compacted number, so the browser lets them type a longer text."""

    TYPED_MAX = 40

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if "maxlength" in attrs:
            attrs["maxlength"] = str(self.TYPED_MAX)
        return attrs


class IdNumberField(_TypedNumberField):
    """A resident ID number: typed with full-width digits, spaces or dashes, it is cleaned to the
    18 characters and validated (``parse_id_number``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return compact_identifier(value).upper() if value else value

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value not in self.empty_values:
            parse_id_number(value)


class PhoneField(_TypedNumberField):
    """A mainland mobile number, typed in any usual way; cleaned to E.164 (``normalize_phone``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return compact_identifier(value) if value else value

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return normalize_phone(value) if value not in self.empty_values else value


class MaskedValueField(forms.CharField):
    """A personal value the viewer may change but not see (SECURITY.md PII): the form shows the
    masked value; left as shown (or left empty) it is kept, typed anew it replaces the stored one,
    and a separate "remove" box clears it. Seeing the full value is a reveal, never a form.

    ``clean`` answers ``MaskedValueField.UNCHANGED`` when the value is to be kept; ``mask`` is the
    masked value shown as the initial one."""

    UNCHANGED = object()

    def __init__(self, *, mask: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mask = mask

    def clean(self, value: Any) -> Any:
        text = clean_text(value) if isinstance(value, str) else ""
        if not text or (self.mask and text == self.mask):
            return self.UNCHANGED
        if "*" in text:
            raise ValidationError(
                _("Type the whole new number, or leave the masked number as it is to keep it."), code="partial"
            )
        return super().clean(value)


class MaskedPhoneField(MaskedValueField, PhoneField):
    pass


def add_validation_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: each field's messages beside that field, the
    rest (and errors not tied to a field) above the form. What the user typed stays in the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class SpreadsheetImportForm(forms.Form):
    """Upload of an xlsx file into a community, optionally only to check it."""

    MAX_BYTES = 50 * 1024 * 1024

    community: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Community"), queryset=None)  # set per user
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"), help_text=_("Use the template; the first sheet is read."))
    dry_run = forms.BooleanField(label=_("Only check, do not import"), required=False)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["community"]).queryset = communities

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


# --- photos -----------------------------------------------------------------------------------------


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input (Django's documented pattern for ``multiple``); the service checks
    and re-encodes each with ``core.photos.clean_photo``. ``capture=True`` lets a phone open its
    camera directly (the residents' pages)."""

    def __init__(self, *args: Any, capture: bool = False, **kwargs: Any) -> None:
        attrs = {"accept": "image/*", "multiple": True}
        if capture:
            attrs["capture"] = "environment"
        kwargs.setdefault("widget", MultiplePhotoInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


# --- dates ------------------------------------------------------------------------------------------
# The browser's date fields take and give their value as ISO 8601 whatever the page's language: a
# value written the locale's way ("2026/12/01" in Chinese) is rejected and the field shows empty
# ("年/月/日"). Every date, date-and-time and month input of the project uses these widgets; a test
# walks every form of every app and fails on a date field that would not render ISO.


class DateInput(forms.DateInput):
    """A date picker whose value is always YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A date-and-time picker (local time) whose value is always YYYY-MM-DDTHH:MM."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MonthInput(forms.DateInput):
    """A month picker whose value is always YYYY-MM (its field takes ``input_formats=["%Y-%m"]``)."""

    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m")
