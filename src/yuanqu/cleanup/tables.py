"""The case and candidate lists, declared once for the page and the .xlsx export."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yuanqu.core.tables import Column, Table, link

DATE = {"width": 12, "number_format": "yyyy-mm-dd", "td": "text-nowrap small"}


class CaseTable(Table):
    number = Column(_("编号"), "pk", width=8, td="text-nowrap small")
    enterprise = Column(_("企业"), width=30)
    category = Column(_("类别"), "get_category_display", width=10, td="text-nowrap")
    year = Column(_("评估年度"), width=8)
    state = Column(_("状态"), "get_state_display", width=8, td="text-nowrap")
    method = Column(_("处置方式"), "get_method_display", width=10, td="text-nowrap")
    unit = Column(_("责任单位"), width=16)
    steps = Column(_("步骤进度"), "pk", width=10, td="text-nowrap small")
    land_released_mu = Column(_("释放土地（亩）"), width=12, number_format="0.00", th="text-end", td="text-end")
    decided_on = Column(_("认定日期"), **DATE)
    completed_on = Column(_("处置完成日期"), **DATE)
    reason = Column(_("认定或排除理由"), width=40, page=False)
    criteria = Column(_("符合的认定标准"), "pk", width=50, page=False)

    class Meta(Table.Meta):
        empty_text = _("没有符合条件的清理案件。")

    def render_number(self, record):
        return format_html('<a href="{}">#{}</a>', reverse("cleanup:case", args=[record.pk]), record.pk)

    def render_enterprise(self, record):
        return link("cleanup:case", record.pk, record.enterprise.name)

    def value_enterprise(self, record):
        return record.enterprise.name

    def value_unit(self, record):
        return record.unit.name if record.unit_id else ""

    def render_unit(self, record):
        return record.unit.name if record.unit_id else "—"

    def render_steps(self, record):
        text = f"{record.steps_done}/{record.step_count}"
        if record.steps_late:
            return format_html('{} <span class="badge text-bg-danger">{}</span>', text, f"逾期 {record.steps_late}")
        return text

    def value_steps(self, record):
        text = f"{record.steps_done}/{record.step_count}"
        return text + (f"（逾期 {record.steps_late}）" if record.steps_late else "")

    def value_criteria(self, record):
        return "；".join(f"{m['name']}（{m['detail']}）" for m in record.criteria_met)


class CandidateTable(Table):
    """Rows are selectors.CandidateRow (computed, not stored); the page adds the decision forms."""

    enterprise = Column(_("企业"), width=30)
    credit_code = Column(_("统一社会信用代码"), "enterprise__credit_code", width=20, td="small text-nowrap")
    category = Column(_("类别"), "category_label", width=10, td="text-nowrap")
    met = Column(_("符合的认定标准"), "met_text", width=60, td="small")
    liaison_unit = Column(_("挂钩单位"), "enterprise__liaison_unit", width=16)
    decision = Column(_("处理情况"), "case", width=10, td="text-nowrap")
    decide = Column(_("认定或排除"), "enterprise__pk", export=False, cell="cleanup/_decide_cell.html")

    class Meta(Table.Meta):
        empty_text = _("没有候选企业。")

    def render_enterprise(self, record):
        return link("enterprises:detail", record.enterprise.pk, record.enterprise.name)

    def value_enterprise(self, record):
        return record.enterprise.name

    def value_liaison_unit(self, record):
        return record.enterprise.liaison_unit.name if record.enterprise.liaison_unit_id else ""

    def render_liaison_unit(self, record):
        return self.value_liaison_unit(record) or "—"

    def render_decision(self, record):
        if record.case is None:
            return "待认定"
        return link("cleanup:case", record.case.pk, record.case.get_state_display())

    def value_decision(self, record):
        return record.case.get_state_display() if record.case else "待认定"
