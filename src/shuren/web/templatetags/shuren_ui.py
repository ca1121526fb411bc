"""The shared UI components: form rows, filter bars, tables with pagination, status badges,
timelines and chart cards. Pages compose these instead of writing their own markup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms, template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from shuren.core import charts

register = template.Library()

# status -> Bootstrap colour; labels come from the caller (already translated choices).
BADGE_COLOURS = {
    "success": "success",
    "active": "success",
    "done": "success",
    "resolved": "success",
    "closed": "secondary",
    "failure": "danger",
    "denied": "danger",
    "overdue": "danger",
    "rejected": "danger",
    "disabled": "secondary",
    "pending": "warning",
    "in_progress": "primary",
    "submitted": "info",
    "draft": "light",
}


def _widget_class(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):  # RadioSelect: also checkbox groups
        return "form-check-input me-1"
    return "form-select" if isinstance(widget, forms.Select) else "form-control"


@register.inclusion_tag("web/components/form_row.html")
def form_row(field: forms.BoundField) -> dict[str, Any]:
    """Label, widget, help text and inline errors; the widget keeps what the user typed."""
    widget = field.field.widget
    attrs: dict[str, str | bool] = {"class": _widget_class(field) + (" is-invalid" if field.errors else "")}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    counter = _counter(field)
    if counter:
        described.append(counter["id"])
    if field.errors:
        described.append(f"{field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
        "counter": counter,
    }


COUNTED_WIDGETS = (forms.TextInput, forms.Textarea, forms.EmailInput, forms.URLInput)


def _counter(field: forms.BoundField) -> dict[str, Any] | None:
    """The live character counter under a text field with a ``maxlength`` ("已输入 12/4000"):
    app.js keeps it up to date as the user types, from ``template``."""
    widget = field.field.widget
    limit = widget.attrs.get("maxlength")
    if not limit or not isinstance(widget, COUNTED_WIDGETS) or isinstance(widget, forms.PasswordInput):
        return None
    value = field.value()
    count = len(str(value)) if value not in (None, "") else 0
    words = _("%(count)s/%(limit)s characters")
    return {
        "id": f"{field.auto_id}_counter",
        "limit": int(limit),
        "count": count,
        "over": count > int(limit),
        "text": words % {"count": count, "limit": limit},
        "template": words % {"count": "{count}", "limit": "{limit}"},
    }


@register.inclusion_tag("web/components/filter_bar.html", takes_context=True)
def filter_bar(context: dict[str, Any], form: forms.Form, export_url: str = "") -> dict[str, Any]:
    fields = [(field, field.as_widget(attrs={"class": _widget_class(field)})) for field in form.visible_fields()]
    return {"form": form, "fields": fields, "export_url": export_url, "request": context.get("request")}


@register.inclusion_tag("web/components/pagination.html", takes_context=True)
def pagination(context: dict[str, Any], page: Any) -> dict[str, Any]:
    request = context.get("request")
    query = request.GET.copy() if request is not None else {}
    if hasattr(query, "pop"):
        query.pop("page", None)
    return {"page": page, "query": query.urlencode() if hasattr(query, "urlencode") else ""}


@register.simple_tag
def status_badge(status: str, label: Any = "") -> str:
    """A status as a coloured badge. Written out here rather than by a template: a list shows one
    per row."""
    return format_html(
        '<span class="badge text-bg-{}" data-status="{}">{}</span>',
        BADGE_COLOURS.get(str(status), "secondary"),
        status,
        label or status,
    )


@register.inclusion_tag("web/components/timeline.html")
def timeline(events: Sequence[Any]) -> dict[str, Any]:
    """``events``: objects or dicts with ``at`` (datetime), ``actor``, ``text`` and optional ``status``."""
    return {"events": events}


def _cell(value: charts.Value, chart: charts.Chart) -> str:
    """A figure as the table behind a chart writes it: "—" when absent, whole numbers for counts,
    at most two decimals otherwise (in the language's writing of numbers)."""
    if value is None:
        return "—"
    if chart.integer or float(value).is_integer():
        return str(int(value))
    return number_format(round(value, 2))


@register.inclusion_tag("web/components/chart_card.html")
def chart_card(
    chart_id: str,
    title: Any,
    chart_or_kind: charts.Chart | str,
    labels: Sequence[Any] = (),
    series: Sequence[dict[str, Any]] = (),
    unit: Any = "",
    measure: str = charts.COUNT,
) -> dict[str, Any]:
    """An ECharts chart with the same figures as a table behind it (accessible, printable): the
    table is what the page shows without JavaScript; a chart with nothing to show says so.

    ``{% chart_card "chart-rates" title chart %}`` with a ``core.charts.Chart`` built by the view, or
    ``{% chart_card "c1" title "bar" labels series "人" %}`` (counts; ``measure="percent"`` or
    ``"amount"`` otherwise). ``series``: [{"name": str, "data": [numbers aligned with labels]}].
    """
    if isinstance(chart_or_kind, charts.Chart):
        built = chart_or_kind
    else:
        built = charts.chart(chart_or_kind, labels, series, unit=unit, measure=measure)
    return {
        "chart_id": chart_id,
        "data_id": f"{chart_id}-data",
        "title": title,
        "chart": built,
        "payload": built.payload(),
        "rows": [(label, [_cell(v, built) for v in values]) for label, values in built.rows()],
        "show_table": _("Show table"),
        "show_chart": _("Show chart"),
    }


@register.filter
def width_step(percent: Any) -> int:
    """A share in percent as the nearest Bootstrap width step at or below it (0, 25, 50, 75 or 100),
    for progress bars drawn without inline styles (the CSP forbids them)."""
    try:
        value = float(percent)
    except (TypeError, ValueError):
        return 0
    return next(step for step in (100, 75, 50, 25, 0) if value >= step or step == 0)


@register.filter
def listing(items: Any, path: str = "") -> str:
    """Items written as a list in running text, separated as the active language writes one: "甲、乙、丙"
    in Chinese, "a, b, c" in English. ``path`` names what to show of each item ("address",
    "estate.name", "dwellings.0.address"); without it, the item itself. Blank entries are left out;
    nothing to list gives "" (follow with ``|default:"—"``). Autoescaping applies to the result."""
    if not items:
        return ""
    getter = template.Variable(path) if path else None
    shown = []
    for item in items:
        try:
            value = getter.resolve(item) if getter else item
        except template.VariableDoesNotExist:
            value = None
        text = str(value) if value is not None else ""
        if text:
            shown.append(text)
    # Translators: the separator between the items of a list in running text (Chinese: the 顿号 "、").
    return pgettext("list separator", ", ").join(shown)


SUBNAV_ITEMS = "_subnav_items"


class SubnavNode(template.Node):
    def __init__(self, nodelist: template.NodeList, extra: dict[str, Any]) -> None:
        self.nodelist, self.extra = nodelist, extra

    def render(self, context: template.Context) -> str:
        items: list[tuple[Any, ...]] = []
        with context.push({SUBNAV_ITEMS: items}):
            self.nodelist.render(context)  # the {% subnav_item %} tags inside fill ``items``
        values = {name: value.resolve(context) for name, value in self.extra.items()}
        included = context.template.engine.get_template("web/components/subnav.html")  # type: ignore[union-attr]
        with context.push(items=items, **values):
            return included.render(context)


@register.tag
def subnav(parser: template.base.Parser, token: template.base.Token) -> SubnavNode:
    """The sub-navigation of web/components/subnav.html, its items written in the template:

        {% subnav label=_("Governance pages") testid="governance-nav" %}
          {% url 'governance:item_list' as u %}{% subnav_item _("Items") u %}
          {% if may_manage %}{% subnav_item _("Policy") policy_url %}{% endif %}
        {% endsubnav %}

    Pages whose view builds the list include the component with ``items=`` instead."""
    bits = token.split_contents()[1:]
    extra = template.base.token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError("subnav takes only label=… and testid=…")
    nodelist = parser.parse(("endsubnav",))
    parser.delete_first_token()
    return SubnavNode(nodelist, extra)


@register.simple_tag(takes_context=True)
def subnav_item(
    context: template.Context,
    label: Any,
    url: str,
    active: bool | None = None,
    count: Any = None,
    key: Any = "",
    current: Any = None,
    tone: str = "",
) -> str:
    """One link of the enclosing {% subnav %}. It is the active one when ``active`` says so, else
    when ``current`` is given and equals ``key`` (a tab of a list: ``key="overdue" current=tab``),
    else when ``url`` is the page shown. ``tone`` ("danger", "warning") colours the count."""
    if active is None:
        if current is not None:
            active = str(key) == str(current)
        else:
            request = context.get("request")
            active = request is not None and request.path == url
    context[SUBNAV_ITEMS].append((label, url, bool(active), count, key, tone))
    return ""
