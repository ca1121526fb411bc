"""Form helpers shared by every app's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def add_validation_errors(form: forms.Form, exc: ValidationError) -> None:
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

    community = forms.ModelChoiceField(label=_("Community"), queryset=None)  # set per user
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"), help_text=_("Use the template; the first sheet is read."))
    dry_run = forms.BooleanField(label=_("Only check, do not import"), required=False)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload
