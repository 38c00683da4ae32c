"""The event list, declared once for the page and the .xlsx export."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core.tables import Column, DatedTable, Table, link
from yuanqu.core.text import shorten

TIME = {"width": 17, "number_format": "yyyy-mm-dd hh:mm", "td": "text-nowrap small"}


def _local(value):
    # The workbook has no time zones: the zone's own clock, naive.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


class EventTable(DatedTable):
    number = Column(_("编号"), width=14, td="text-nowrap small")
    category = Column(_("类别"), width=14)
    description = Column(_("事件描述"), width=50)
    grid = Column(_("网格"), width=16)
    address = Column(_("地址"), width=24, page=False)
    source = Column(_("来源"), "get_source_display", width=10, page=False)
    severity = Column(_("紧急程度"), "get_severity_display", width=8, td="text-nowrap")
    reported_at = Column(_("上报时间"), **TIME)
    assigned_unit = Column(_("承办单位"), width=16)
    due_at = Column(_("反馈期限"), **TIME)
    fed_back_at = Column(_("反馈时间"), page=False, **TIME)
    state = Column(_("状态"), "get_state_display", width=8, td="text-nowrap")
    overdue = Column(_("逾期"), "pk", width=6, td="text-nowrap")
    satisfaction = Column(_("满意度"), width=8, th="text-end", td="text-end", page=False)
    result = Column(_("处置结果"), width=40, page=False)

    class Meta(Table.Meta):
        empty_text = _("没有符合条件的网格事件。")

    def __init__(self, data, *, now, **kwargs):
        super().__init__(data, on=now, **kwargs)  # an event's limits run to the minute

    def render_number(self, record):
        return link("grid:event", record.pk, record.number)

    def render_description(self, record):
        return link("grid:event", record.pk, shorten(record.description, 40))

    def render_reported_at(self, record):
        return f"{timezone.localtime(record.reported_at):%Y-%m-%d %H:%M}"

    def render_due_at(self, record):
        return f"{timezone.localtime(record.due_at):%Y-%m-%d %H:%M}" if record.due_at else "—"

    def value_category(self, record):
        return record.category.name

    def value_grid(self, record):
        return record.grid.name

    def value_assigned_unit(self, record):
        return record.assigned_unit.name if record.assigned_unit_id else ""

    def value_reported_at(self, record):
        return _local(record.reported_at)

    def value_due_at(self, record):
        return _local(record.due_at)

    def value_fed_back_at(self, record):
        return _local(record.fed_back_at)
