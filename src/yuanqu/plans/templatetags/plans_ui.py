"""Small template helpers for the plan pages: status badges, numbers, the review count."""


from django import template
from django.utils.html import format_html

from yuanqu.plans import display
from yuanqu.plans import status as lights

register = template.Library()


def _status(value) -> lights.Status | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, lights.Status) else lights.Status(value)
    except ValueError:
        return None


@register.simple_tag
def status_badge(value):
    status = _status(value)
    if status is None:
        return format_html('<span class="badge st-badge st-none">—</span>')
    return format_html('<span class="badge st-badge st-{}">{}</span>', status.value, status.label)


@register.filter
def status_label(value) -> str:
    status = _status(value)
    return status.label if status else "—"


@register.filter
def num(value) -> str:
    """A Decimal without trailing zeros (150.0000 → 150); floats to two places at most."""
    return display.num(value, empty="—")


@register.filter
def pct(value) -> str:
    """A percentage for display: one decimal place, '—' when unknown."""
    return display.pct(value)


@register.simple_tag
def figure(target, facts) -> str:
    """The latest figure as the target reads it (metric, ledger count or report), as exports say it."""
    return display.figure_display(target, facts)


@register.filter
def clamp100(value) -> float:
    """A width for a progress bar: between 0 and 100."""
    if value is None:
        return 0.0
    return max(0.0, min(100.0, float(value)))


@register.simple_tag
def report_figure(report, target) -> str:
    return display.report_figure(report, target)
