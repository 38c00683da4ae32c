"""The 督办单 list, declared once for the page, the inbox export and the list export."""

from __future__ import annotations

import datetime as dt

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yuanqu.core.tables import Column, DatedTable, Table, link

from .models import State, SupervisionItem
from .templatetags.supervision_ui import deadline_note, state_badge


def overdue_days(item: SupervisionItem, on: dt.date) -> int | None:
    """Days past the deadline: until `on` while open, until the closing day once closed late."""
    end = on if item.state != State.CLOSED else item.closed_on
    days = (end - item.deadline).days if end else 0
    return days if days > 0 else None


class ItemTable(DatedTable):
    """督办单 as of `on` (overdue days are counted to that day)."""

    number = Column(_("编号"), width=16, td="text-nowrap small")
    title = Column(_("标题"), page_header=_("督办事项"), width=40)
    source_kind = Column(_("来源"), width=12, td="small text-nowrap")
    lead_unit = Column(_("牵头单位"), width=16, td="text-nowrap")
    assisting = Column(_("协办单位"), "pk", width=22, page=False)
    requirement = Column(_("要求"), width=40, page=False)
    deadline = Column(_("办理期限"), width=12, number_format="yyyy-mm-dd", td="text-nowrap")
    state = Column(_("状态"), width=10, td="text-nowrap")
    urge_count = Column(_("催办次数"), page_header=_("催办"), width=10, th="text-end", td="text-end yq-count")
    overdue = Column(_("是否逾期"), "pk", width=10, page=False)
    overdue_days = Column(_("逾期天数"), "pk", width=10, page=False)

    class Meta(Table.Meta):
        empty_text = _("没有符合条件的督办单。")

    def render_title(self, record):
        title = link("supervision:detail", record.pk, record.title)
        if record.target_id:
            return format_html(
                '{}<div class="small text-muted text-truncate" style="max-width: 32rem">{}：{}</div>',
                title, _("目标"), record.target.title,
            )
        return title

    def render_lead_unit(self, record):
        return record.lead_unit.label

    def value_lead_unit(self, record):
        return record.lead_unit.name

    def value_assisting(self, record):
        return "、".join(u.name for u in record.assisting_units.all())

    def render_deadline(self, record):
        return format_html("{} {}", f"{record.deadline:%Y-%m-%d}", deadline_note(record, self.on))

    def render_state(self, record):
        badge = state_badge(record.state)
        if record.state == State.IN_PROGRESS and record.return_count:
            return format_html('{} <span class="small text-danger">{}</span>', badge, _("已退回"))
        return badge

    def render_urge_count(self, value):
        return value or ""

    def value_overdue(self, record):
        # The list page's wording: "逾期N天" while open, "逾期办结" once closed after the deadline.
        if overdue_days(record, self.on) is None:
            return "否"
        return "是" if record.state != State.CLOSED else "逾期办结"

    def value_overdue_days(self, record):
        return overdue_days(record, self.on)
