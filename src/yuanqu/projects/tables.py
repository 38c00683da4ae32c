"""The project list, declared once for the page and the .xlsx export."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yuanqu.core.tables import Column, Table, badge, link


class ProjectTable(Table):
    name = Column(_("项目名称"), width=30)
    investor = Column(_("投资方"), width=24, page=False)
    industry = Column(_("产业类别"), width=14, td="small")
    total_investment = Column(_("总投资（亿元）"), width=12, number_format="#,##0.00", td="text-end text-nowrap",
                              page_header=_("总投资"))
    fixed_investment = Column(_("固定资产投资（亿元）"), width=14, number_format="#,##0.00", page=False)
    band = Column(_("投资额档次"), "pk", width=10, td="small text-nowrap", page_header=_("档次"))
    level = Column(_("项目级别"), "get_level_display", width=10, td="text-nowrap small", page_header=_("级别"))
    lead_unit = Column(_("牵头单位"), width=14, td="text-nowrap")
    leader = Column(_("挂钩领导"), width=10, td="text-nowrap small")
    chain_node = Column(_("产业链节点"), width=16, page=False)
    stage = Column(_("当前阶段"), "get_stage_display", width=8, td="text-nowrap", page_header=_("阶段"))
    late_stage = Column(_("阶段滞后"), "pk", width=8, td="text-nowrap")
    late_return = Column(_("月报未报"), "pk", width=8, td="text-nowrap")

    class Meta(Table.Meta):
        empty_text = _("没有符合条件的重大项目。")

    def render_name(self, record):
        return link("projects:detail", record.pk, record.name)

    def render_band(self, record):
        return record.band.name if record.band else ""

    value_band = render_band

    def render_leader(self, record):
        return str(record.leader) if record.leader else ""

    value_leader = render_leader

    def value_lead_unit(self, record):
        return record.lead_unit.name

    def value_chain_node(self, record):
        return record.chain_node.name if record.chain_node else ""

    def render_late_stage(self, record):
        return badge("滞后") if record.late_stage else ""

    def value_late_stage(self, record):
        return "滞后" if record.late_stage else ""

    def render_late_return(self, record):
        return badge("未报", "warning") if record.late_return else ""

    def value_late_return(self, record):
        return "未报" if record.late_return else ""
