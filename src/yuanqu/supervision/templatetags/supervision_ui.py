"""Template helpers for 督查督办 pages: state badges and deadline wording."""

import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from yuanqu.supervision.models import State

register = template.Library()

STATE_STYLE = {
    State.REGISTERED: "text-bg-secondary",
    State.ASSIGNED: "text-bg-info",
    State.IN_PROGRESS: "text-bg-primary",
    State.FEEDBACK: "text-bg-warning",
    State.CLOSED: "text-bg-success",
}


@register.simple_tag
def state_badge(state: str):
    try:
        state = State(state)
    except ValueError:
        return format_html('<span class="badge text-bg-light">—</span>')
    return format_html('<span class="badge {}">{}</span>', STATE_STYLE[state], state.label)


@register.simple_tag
def deadline_note(item, today: dt.date):
    """"逾期N天" / "今天到期" / "剩N天" for open items; nothing once closed."""
    if item.state == State.CLOSED:
        if item.closed_on and item.closed_on > item.deadline:
            return mark_safe('<span class="small text-danger">逾期办结</span>')
        return ""
    days = (item.deadline - today).days
    if days < 0:
        return format_html('<span class="badge text-bg-danger">逾期{}天</span>', -days)
    if days == 0:
        return format_html('<span class="badge text-bg-warning">今天到期</span>')
    if days <= 3:
        return format_html('<span class="small text-warning-emphasis">剩{}天</span>', days)
    return format_html('<span class="small text-muted">剩{}天</span>', days)
