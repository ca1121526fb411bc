"""The style guide: every component of the theme on one page, for whoever builds or reviews a page
(staff only). The browser tests screenshot it and check it for Bootstrap's default colours."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from shuren.core.permissions import requires

TOKENS = (
    # (token, swatch class, what it is for)
    ("--sr-primary", "swatch-primary", gettext_lazy("Primary actions, the active tab, the header")),
    ("--sr-primary-dark", "swatch-primary-dark", gettext_lazy("Links, hover and focus")),
    ("--sr-primary-subtle", "swatch-primary-subtle", gettext_lazy("Selected rows, pressed toggles")),
    ("--sr-surface", "swatch-surface", gettext_lazy("Page and card background")),
    ("--sr-surface-muted", "swatch-surface-muted", gettext_lazy("Table headings, side bars, muted panels")),
    ("--sr-border", "swatch-border", gettext_lazy("Borders and rules")),
    ("--sr-text", "swatch-text", gettext_lazy("Body text")),
    ("--sr-text-muted", "swatch-text-muted", gettext_lazy("Secondary text, hints, dates")),
    ("--sr-success", "swatch-success", gettext_lazy("Done, resolved, approved")),
    ("--sr-warning", "swatch-warning", gettext_lazy("Due soon, waiting")),
    ("--sr-danger", "swatch-danger", gettext_lazy("Overdue, refused, destructive actions")),
    ("--sr-info", "swatch-info", gettext_lazy("Submitted, for information")),
)
STATUSES = ("draft", "submitted", "pending", "in_progress", "resolved", "closed", "overdue", "rejected")


class SampleForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Full name"), help_text=gettext_lazy("As on the ID card."))
    phone = forms.CharField(label=gettext_lazy("Mobile number"))
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        choices=[("", "—"), ("env", gettext_lazy("Environment")), ("safety", gettext_lazy("Safety"))],
    )
    text = forms.CharField(label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    agree = forms.BooleanField(label=gettext_lazy("I agree to be contacted"), required=False)


@requires("web.view_dashboard")
def styleguide(request: HttpRequest) -> HttpResponse:
    form = SampleForm(
        {
            "name": pgettext("style guide sample", "Zhang San"),
            "phone": "1380013",
            "category": "env",
            "text": "",
            "agree": True,
        }
    )
    form.is_valid()  # shows the errors as a page shows them
    if "phone" in form.fields and not form.has_error("phone"):
        form.add_error("phone", _("Enter a valid mobile number."))
    # Sample names that belong to no real community or person (the page is shown to every staff role).
    sample = [
        pgettext("style guide sample", "Community A"),
        pgettext("style guide sample", "Community B"),
        pgettext("style guide sample", "Community C"),
        pgettext("style guide sample", "Community D"),
    ]
    rows = [
        {"name": sample[0], "category": _("Environment"), "status": "resolved", "count": 128},
        {"name": sample[1], "category": _("Safety"), "status": "in_progress", "count": 96},
        {"name": sample[2], "category": _("Environment"), "status": "overdue", "count": 7},
    ]
    page = Paginator(list(range(45)), 15).get_page(2)
    context: dict[str, Any] = {
        "tokens": TOKENS,
        "statuses": STATUSES,
        "form": form,
        "rows": rows,
        "page": page,
        "subnav_items": [
            (_("All"), "#subnav", True, 45, "all", ""),
            (_("Overdue"), "#subnav", False, 3, "overdue", "danger"),
            (_("Due soon"), "#subnav", False, 5, "due_soon", "warning"),
            (_("Closed"), "#subnav", False, None, "closed", ""),
        ],
        "chart_labels": sample,
        "chart_series": [{"name": _("Appeals"), "data": [12, 9, 4, 0]}],
    }
    return render(request, "web/styleguide.html", context)
