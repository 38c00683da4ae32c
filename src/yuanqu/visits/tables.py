"""The visit and request lists, declared once for the page and the .xlsx export."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yuanqu.core.tables import Column, DatedTable, Table, link

DATE = {"width": 12, "number_format": "yyyy-mm-dd", "td": "text-nowrap small"}


class VisitTable(Table):
    visited_on = Column(_("走访日期"), **DATE)
    enterprise = Column(_("企业"), width=30)
    visitors = Column(_("走访领导/干部"), width=20)
    unit = Column(_("走访单位"), width=16)
    findings = Column(_("走访发现"), width=50, td="small")
    request_count = Column(_("诉求数"), width=8, th="text-end", td="text-end")

    class Meta(Table.Meta):
        empty_text = _("没有走访记录。")

    def render_enterprise(self, record):
        return link("visits:visit", record.pk, record.enterprise.name)

    def value_enterprise(self, record):
        return record.enterprise.name

    def value_unit(self, record):
        return record.unit.name


class RequestTable(DatedTable):
    number = Column(_("编号"), "pk", width=8, td="text-nowrap small")
    enterprise = Column(_("企业"), width=28)
    category = Column(_("类别"), width=10)
    text = Column(_("诉求内容"), width=50)
    assigned_unit = Column(_("承办单位"), width=16)
    received_on = Column(_("受理日期"), **DATE)
    due_on = Column(_("办理期限"), **DATE)
    replied_on = Column(_("答复日期"), page=False, **DATE)
    state = Column(_("状态"), "get_state_display", width=8, td="text-nowrap")
    overdue = Column(_("逾期"), "pk", width=6, td="text-nowrap")
    satisfaction = Column(_("满意度"), width=8, th="text-end", td="text-end")
    reply = Column(_("答复内容"), width=40, page=False)

    class Meta(Table.Meta):
        empty_text = _("没有符合条件的诉求。")

    def render_number(self, record):
        return format_html('<a href="{}">#{}</a>', reverse("visits:request", args=[record.pk]), record.pk)

    def render_text(self, record):
        text = record.text if len(record.text) <= 40 else record.text[:40] + "…"
        return link("visits:request", record.pk, text)

    def value_enterprise(self, record):
        return record.enterprise.name

    def value_category(self, record):
        return record.category.name

    def value_assigned_unit(self, record):
        return record.assigned_unit.name
