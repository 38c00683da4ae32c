"""Spreadsheet import of target companies and leads (core.imports: template, row errors, preview,
one transaction, revert). Both upsert by name; importing the same file twice changes nothing."""

from __future__ import annotations

from yuanqu.chains.models import ChainNode
from yuanqu.core.imports import (
    DateColumn,
    EnumColumn,
    ForeignKeyColumn,
    Importer,
    ManyToManyColumn,
    TextColumn,
    Writes,
    register,
)
from yuanqu.core.imports.columns import CellError, text_of
from yuanqu.org.models import OrgUnit, User

from . import services
from .amounts import AmountError, parse_amount
from .models import AttractionMode, CompanyTag, Lead, Stage, TargetCompany
from .regions import RegionError, city_key, normalise_province


class AmountColumn(TextColumn):
    """意向投资额 as written ("5000万元", "2.5亿元", "约五千万", "3000万美元"); a bare number is 万元.
    Compared by value, so "0.5亿元" over a stored "5000万元" changes nothing."""

    type_label = "金额"

    def parse(self, raw, ctx):
        try:
            amount = parse_amount(raw)
        except AmountError as exc:
            raise CellError(str(exc)) from None
        text = super().parse(raw, ctx)
        # A bare number from a numeric cell reads as 万元; keep what it means, not "5000".
        return text if not isinstance(raw, int | float) else str(amount)

    def comparable(self, value):
        try:
            amount = parse_amount(value or None)
        except AmountError:
            return value
        return None if amount is None else (amount.value, amount.currency, amount.approximate)

    def allowed(self):
        return "如 5000万元、2.5亿元、约五千万、3000万美元；只写数字按万元计；“面议”等请留空"


class ProvinceColumn(TextColumn):
    """“广东”, “广东省” → “广东省” (the stored form); anything else is refused on its row."""

    type_label = "省份"

    def parse(self, raw, ctx):
        try:
            return normalise_province(super().parse(raw, ctx))
        except RegionError as exc:
            raise CellError(str(exc)) from None

    def allowed(self):
        return "省、自治区、直辖市的名称，简称或全称均可（广东、广东省、内蒙古）"


class CityColumn(TextColumn):
    """Compared without its suffix: “深圳” over a stored “深圳市” changes nothing (the service
    writes the 市)."""

    type_label = "城市"

    def comparable(self, value):
        return city_key(value)


SEP = " › "


class ChainNodeColumn(ForeignKeyColumn):
    """A chain node named “产业链 › 编码”, “产业链 › 节点名称”, or by its name or code alone when
    that is unique. An unknown one is named in the row's error."""

    def candidates(self):
        for node in ChainNode.objects.select_related("chain").only("pk", "code", "name", "chain__name"):
            for text in (f"{node.chain.name}{SEP}{node.code}", f"{node.chain.name}{SEP}{node.name}", node.name,
                         node.code):
                yield text, node

    def parse(self, raw, ctx):
        # “豪华邮轮>A01”, “豪华邮轮 › A01”, “豪华邮轮/内装”: one separator, written any of these ways.
        text = text_of(raw)
        parts = [p.strip() for p in text.replace("›", "/").replace(">", "/").split("/") if p.strip()]
        return ctx.find(self, SEP.join(parts[:2]) if len(parts) >= 2 else text)

    def display(self, value):
        return f"{value.chain.name}{SEP}{value.code} {value.name}" if isinstance(value, ChainNode) else \
            super().display(value)

    def allowed(self):
        return "产业链图谱中的节点：“产业链 › 编码”或“产业链 › 节点名称”，名称唯一时可只写节点名称"


@register
class CompanyImporter(Importer):
    key = "investment.companies"
    title = "目标企业"
    model = TargetCompany
    natural_key = "name"
    writes = Writes(target="company", create=services.company_create, update=services.company_update,
                    delete=services.company_delete)
    columns = [
        TextColumn("企业名称", "name", required=True, max_length=200, help="全称，用于匹配已有企业",
                   sample="某某集团有限公司"),
        EnumColumn("企业类别", "kind", choices=TargetCompany.Kind.choices, required=True, sample="实力民企"),
        ManyToManyColumn("企业标签", "tags", model=CompanyTag, lookup=("name",), sample="龙头型、科技型"),
        ProvinceColumn("总部所在省份", "hq_province", max_length=30, sample="江苏省"),
        CityColumn("总部所在城市", "hq_city", max_length=30, sample="苏州市"),
        TextColumn("所属行业", "industry", max_length=100, sample="船舶海工"),
        ChainNodeColumn("产业链节点", "chain_node", model=ChainNode, help="企业所处的产业链环节", sample=""),
        TextColumn("招引价值", "significance", sample="产业链龙头，可带动配套企业落户"),
    ]


@register
class LeadImporter(Importer):
    key = "investment.leads"
    title = "招商线索"
    model = Lead
    natural_key = "name"
    columns = [
        TextColumn("项目名称", "name", required=True, max_length=200, help="用于匹配已登记的线索，请勿重复",
                   sample="某某高端装备制造项目"),
        TextColumn("投资方", "investor", required=True, max_length=200, sample="某某集团有限公司"),
        ForeignKeyColumn("目标企业", "company", model=TargetCompany, lookup=("name",),
                         help="目标企业库中的企业名称；库外企业留空", sample=""),
        TextColumn("产业类别", "industry", max_length=100, sample="高端装备"),
        ChainNodeColumn("产业链节点", "chain_node", model=ChainNode, help="项目所属的产业链环节", sample=""),
        AmountColumn("意向投资额", "amount_text", max_length=50, sample="2.5亿元"),
        ForeignKeyColumn("招商方式", "mode", model=AttractionMode, lookup=("name",), sample="产业链招商"),
        ProvinceColumn("来源省份", "source_province", max_length=30, sample="上海"),
        CityColumn("来源城市", "source_city", max_length=30, help="境外来源只填城市或国家", sample=""),
        ForeignKeyColumn("责任单位", "unit", model=OrgUnit, lookup=("name", "short_name"), required=True,
                         sample="招商局"),
        ForeignKeyColumn("责任人", "owner", model=User, lookup=("username", "full_name"), help="登录名或姓名"),
        EnumColumn("阶段", "stage", choices=Stage.choices, help="新线索按此阶段登记；已登记线索的阶段请在线索页面推进",
                   sample="信息"),
        TextColumn("终止原因", "termination_reason", help="阶段为“终止”时必填"),
        TextColumn("下一步工作", "next_action", max_length=200, sample="月底前赴企业总部拜访"),
        DateColumn("下一步日期", "next_action_on", sample="2026-10-20"),
        TextColumn("备注", "note"),
    ]
    notes = ("意向投资额照写即可（5000万元、2.5亿元、约五千万、3000万美元），外币按原币种保存不折算。"
             "阶段只对新线索生效；已登记线索的阶段变化请在线索页面操作，以便留下推进记录。")

    def check_row(self, plan, ctx):
        errors = []
        stage = plan.values.get("stage")
        if plan.obj is not None and stage and stage != plan.obj.stage:
            errors.append(("stage", f"该线索当前阶段为“{plan.obj.get_stage_display()}”，导入不能改变已登记线索的阶段，"
                                    "请在线索页面推进或终止"))
        if plan.obj is None and stage == Stage.TERMINATED and not text_of(plan.values.get("termination_reason")):
            errors.append(("termination_reason", "阶段为“终止”时请填写终止原因"))
        if plan.obj is not None and "termination_reason" in plan.values \
                and plan.values["termination_reason"] != plan.obj.termination_reason:
            errors.append(("termination_reason", "终止原因随终止操作填写，导入不能修改已登记线索的终止原因"))
        return errors

    def create(self, *, actor, values):
        return self.create_many(actor=actor, rows=[values])[0]

    def create_many(self, *, actor, rows):
        # A new lead enters at its stage through the same steps a person would take, so its
        # timeline and history say how it got there; all rows at once (services.lead_create_many).
        return services.lead_create_many(actor=actor, items=rows)

    def update(self, *, actor, obj, values):
        values = {k: v for k, v in values.items() if k not in ("stage", "termination_reason")}
        return services.lead_update(actor=actor, lead=obj, data=values)

    def undo_create(self, *, actor, obj):
        services.lead_delete(actor=actor, lead=obj)

    def restore(self, *, actor, obj, before):
        services.lead_update(actor=actor, lead=obj, data=before)
