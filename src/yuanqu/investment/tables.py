"""The lead and target-company lists, declared once for the page and the .xlsx export."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yuanqu.core.tables import Column, Table, link


class LeadTable(Table):
    name = Column(_("项目名称"), width=30)
    investor = Column(_("投资方"), width=24)
    company = Column(_("目标企业"), width=20, page=False)
    industry = Column(_("产业类别"), width=14, td="small")
    amount_text = Column(_("意向投资额"), width=14, td="text-nowrap", page_header=_("投资额"))
    amount = Column(_("投资额（万）"), width=14, number_format="#,##0.00", page=False)
    currency = Column(_("币种"), "get_currency_display", width=8, page=False)
    amount_approximate = Column(_("约数"), width=6, page=False)
    mode = Column(_("招商方式"), width=12, td="small text-nowrap")
    chain_node = Column(_("产业链节点"), width=20, page=False)
    source_province = Column(_("来源省份"), width=12, page=False)
    source_city = Column(_("来源城市"), width=12, page=False)
    unit = Column(_("责任单位"), width=14, td="text-nowrap")
    owner = Column(_("责任人"), width=10, page=False)
    stage = Column(_("阶段"), "get_stage_display", width=8, td="text-nowrap")
    termination_reason = Column(_("终止原因"), width=24, page=False)
    next_action = Column(_("下一步工作"), width=24, td="small")
    next_action_on = Column(_("下一步日期"), width=12, number_format="yyyy-mm-dd", td="text-nowrap small")

    class Meta(Table.Meta):
        empty_text = _("没有符合条件的招商线索。")

    def render_name(self, record):
        return link("investment:lead_detail", record.pk, record.name)

    def render_next_action_on(self, record):
        return record.next_action_on.isoformat() if record.next_action_on else ""

    def value_company(self, record):
        return record.company.name if record.company else ""

    def value_chain_node(self, record):
        node = record.chain_node
        return f"{node.chain.name} › {node.code} {node.name}" if node else ""

    def value_mode(self, record):
        return record.mode.name if record.mode else ""

    def value_unit(self, record):
        return record.unit.name

    def value_owner(self, record):
        return str(record.owner) if record.owner else ""

    def value_amount_approximate(self, record):
        return "是" if record.amount_approximate else ""


class CompanyTable(Table):
    name = Column(_("企业名称"), width=30)
    kind = Column(_("企业类别"), "get_kind_display", width=10, td="text-nowrap")
    tags = Column(_("企业标签"), "pk", width=20)
    hq_province = Column(_("总部所在省份"), width=12, page_header=_("总部"))
    hq_city = Column(_("总部所在城市"), width=12, page=False)
    industry = Column(_("所属行业"), width=16)
    chain_node = Column(_("产业链节点"), width=20, page=False)
    significance = Column(_("招引价值"), width=40, td="small")

    class Meta(Table.Meta):
        empty_text = _("没有符合条件的目标企业。")

    def __init__(self, data, *, editable: bool = False, **kwargs):
        super().__init__(data, **kwargs)
        self.editable = editable

    def render_name(self, record):
        if not self.editable:
            return record.name
        return link("investment:company_edit", record.pk, record.name)

    def render_tags(self, record):
        return "、".join(t.name for t in record.tags.all())

    value_tags = render_tags

    value_chain_node = LeadTable.value_chain_node

    def render_hq_province(self, record):
        return record.headquarters
