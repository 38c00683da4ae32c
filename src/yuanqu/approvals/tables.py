"""The case list, declared once for the page and the .xlsx export."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yuanqu.core import clock
from yuanqu.core.tables import Column, Table, badge, link

DATE = {"width": 12, "number_format": "yyyy-mm-dd", "td": "text-nowrap small"}
DAYS = {"width": 10, "th": "text-end", "td": "text-end"}


class CaseTable(Table):
    number = Column(_("办件编号"), width=18, td="text-nowrap small")
    item = Column(_("事项"), width=30)
    item_code = Column(_("事项编码"), "item", width=18, page=False)
    applicant = Column(_("申请人"), width=28)
    handling_unit = Column(_("办理单位"), width=16, page=False)
    received_on = Column(_("收件日期"), **DATE)
    accepted_on = Column(_("受理日期"), **DATE)
    decided_on = Column(_("办结日期"), **DATE)
    delivered_on = Column(_("送达日期"), page=False, **DATE)
    due_on = Column(_("承诺期限"), **DATE)
    days_accepted_decided = Column(_("受理至办结（工作日）"), page_header=_("用时"), **DAYS)
    days_received_delivered = Column(_("收件至送达（工作日）"), page=False, **DAYS)
    suspended_days = Column(_("中止（工作日）"), page_header=_("中止"), **DAYS)
    suspensions_text = Column(_("中止时段"), width=40, page=False)
    late = Column(_("超承诺期限"), width=10, page_header=_("状态"), td="text-nowrap")

    class Meta(Table.Meta):
        empty_text = _("没有符合条件的办件。")

    def render_number(self, record):
        return link("approvals:case", record.pk, record.number)

    def render_item(self, record):
        return record.item.name

    def value_item(self, record):
        return record.item.name

    def value_item_code(self, record):
        return record.item.code

    def value_handling_unit(self, record):
        return record.handling_unit.name if record.handling_unit else ""

    def value_late(self, record):
        if record.late is None:
            return "逾期未办结" if record.due_on and record.due_on < clock.today() else "办理中"
        return "是" if record.late else "否"

    def render_late(self, record):
        if record.late is None:
            overdue = record.due_on and record.due_on < clock.today()
            return format_html('<span class="badge text-bg-{}">{}</span>', *(
                ("warning", "逾期未办结") if overdue else ("secondary", "办理中")))
        if record.late:
            return badge("超期")
        return badge("按时", "success")

    def render_days_accepted_decided(self, record):
        return "—" if record.days_accepted_decided is None else record.days_accepted_decided

    def render_suspended_days(self, record):
        return record.suspended_days or ""

    def render_received_on(self, value):
        return value.isoformat() if value else "—"

    render_accepted_on = render_decided_on = render_due_on = render_received_on
