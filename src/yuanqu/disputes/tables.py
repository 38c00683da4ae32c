"""The case list, declared once for the page and the .xlsx export."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from yuanqu.core.tables import Column, DatedTable, Table, link

DATE = {"width": 12, "number_format": "yyyy-mm-dd", "td": "text-nowrap small"}
BADGE = {"green": "text-bg-success", "amber": "text-bg-warning", "red": "text-bg-danger"}


class CaseTable(DatedTable):
    number = Column(_("编号"), "number", width=8, td="text-nowrap small")
    kind = Column(_("类型"), "get_kind_display", width=8, td="text-nowrap")
    title = Column(_("事由"), width=36)
    parties = Column(_("当事人/信访人"), width=24, td="small")
    dispute_type = Column(_("纠纷类型"), "get_dispute_type_display", width=12, td="small")
    assigned_unit = Column(_("承办单位"), width=16)
    received_on = Column(_("收到日期"), **DATE)
    state = Column(_("状态"), "get_state_display", width=12, td="text-nowrap")
    clocks = Column(_("时限"), "pk", width=40, td="small")
    overdue = Column(_("逾期"), "pk", width=6, td="text-nowrap", page=False)
    agreement = Column(_("达成协议"), "pk", width=8, page=False)
    decided_on = Column(_("办结（调结）日期"), page=False, **DATE)

    class Meta(Table.Meta):
        empty_text = _("没有符合条件的调解信访件。")

    def render_number(self, record):
        return link("disputes:case", record.pk, record.number)

    def render_title(self, record):
        return link("disputes:case", record.pk, record.title)

    def value_assigned_unit(self, record):
        return record.assigned_unit.name

    def render_clocks(self, record):
        return format_html_join(" ", '<span class="badge {}" title="{}">{} {}</span>', (
            (BADGE[c.light], c.state_text, c.label, f"{c.due:%m-%d}") for c in record.clocks(self.on)
            if not c.superseded))

    def value_clocks(self, record):
        return "；".join(f"{c.label} {c.due:%Y-%m-%d} {c.state_text}" for c in record.clocks(self.on))

    def value_agreement(self, record):
        return {True: "是", False: "否"}.get(record.agreement_reached, "")


class FiguresTable(Table):
    """Per-unit (or per-committee) figures, for the statistics page and its export."""

    rank = Column(_("排名"), width=8, td="text-nowrap")
    name = Column(_("承办单位"), width=24)
    total = Column(_("件数"), width=8, td="text-end", th="text-end")
    handled = Column(_("已办理"), width=8, td="text-end", th="text-end")
    on_time = Column(_("按期"), width=8, td="text-end", th="text-end")
    on_time_share = Column(_("按期率"), width=10, number_format="0.0%", td="text-end", th="text-end")
    overdue = Column(_("逾期"), width=8, td="text-end text-danger", th="text-end")
    open_overdue = Column(_("其中未办结逾期"), width=14, td="text-end", th="text-end")

    class Meta(Table.Meta):
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}
        empty_text = _("所选年度没有调解信访件。")

    def render_rank(self, record):
        return record.rank or format_html('<span class="text-muted small">{}</span>', "样本不足")

    def value_rank(self, record):
        return record.rank or "样本不足"

    def render_on_time_share(self, record):
        share = record.on_time_share
        return "—" if share is None else f"{share:.1%}"


class CommitteeFiguresTable(FiguresTable):
    name = Column(_("调解委员会"), width=24)

    class Meta(FiguresTable.Meta):
        empty_text = _("所选年度的调解件没有填写调解委员会。")
