"""Small presentation helpers of the appeals console: rates with what they count."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(rate: float | None) -> str:
    """0.8512 -> "85.1%"; nothing to count -> "—" (never 0 % or 100 %)."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


@register.simple_tag
def rate(value: float | None, part: int, whole: int) -> SafeString:
    """A rate with its numerator and denominator, e.g. "85.0% (17/20)"."""
    if value is None:
        return format_html('<span title="{}">—</span>', _("Nothing to count in this period"))
    return format_html('{} <span class="small text-body-secondary">({}/{})</span>', f"{value * 100:.1f}%", part, whole)


@register.filter
def marked(segments: list[tuple[str, str]]) -> SafeString:
    """An original text in pieces, each hidden piece in a <mark> titled with its kind; line breaks
    kept. The pieces join with nothing between them, as in the original."""
    if not segments:
        return mark_safe('<span class="text-body-secondary">—</span>')  # noqa: S308 - a constant
    html = []
    for text, kind in segments:
        if kind:
            html.append(format_html('<mark title="{}">{}</mark>', kind, text))
        else:
            html.append(linebreaksbr(text))
    return mark_safe("".join(html))  # noqa: S308 - each piece is escaped by format_html or linebreaksbr
