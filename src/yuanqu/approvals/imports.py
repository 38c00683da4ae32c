"""Spreadsheet imports: the service-item catalogue (by 事项编码) and cases from the approval
system's export (by 办件编号). A case's dates and suspensions are checked for every row before
anything is written; the clocks are computed by the services as each row is applied."""

from __future__ import annotations

from yuanqu.core import clock as core_clock
from yuanqu.core.errors import ApplicationError
from yuanqu.core.imports import (
    BoolColumn,
    CellError,
    DateColumn,
    EnumColumn,
    ForeignKeyColumn,
    Importer,
    IntColumn,
    TextColumn,
    Writes,
    refusals,
    register,
)
from yuanqu.org.models import OrgUnit

from . import clock, services
from .models import Case, CaseKind, HandlingDepth, ItemType, ServiceItem


@register
class ServiceItemImporter(Importer):
    key = "approvals.items"
    title = "事项目录"
    model = ServiceItem
    natural_key = "code"
    writes = Writes(target="item", create=services.item_create, update=services.item_update,
                    delete=services.item_delete)
    ability = "approvals.edit"  # besides the administrators: the 行政审批局 keeps the catalogue
    columns = [
        TextColumn("事项编码", "code", required=True, max_length=60, help="唯一，用于匹配已有事项",
                   sample="320684-XK-0001"),
        TextColumn("事项名称", "name", required=True, max_length=200, sample="企业设立登记"),
        EnumColumn("事项类型", "item_type", choices=ItemType.choices, required=True, sample="行政许可"),
        EnumColumn("网上办理深度", "depth", choices=HandlingDepth.choices, required=True, sample="不见面审批"),
        EnumColumn("办件类型", "kind", choices=CaseKind.choices, required=True, sample="承诺件"),
        IntColumn("法定办结时限", "statutory_days", required=True, help="工作日", sample=15),
        IntColumn("承诺办结时限", "promised_days", required=True, help="工作日；即办件填 0", sample=2),
        BoolColumn("适用告知承诺", "commitment", sample="否"),
        IntColumn("审后核查期限", "inspection_days", help="工作日，告知承诺事项办结后多少个工作日内核查", sample=20),
        BoolColumn("启用", "is_active", sample="是"),
    ]

    def check_row(self, plan, ctx):
        values = {f: plan.values.get(f, getattr(plan.obj, f, None)) for f in ServiceItem.WRITABLE_FIELDS}
        probe = ServiceItem(**{k: v for k, v in values.items() if v is not None})
        return refusals(lambda: services._check_item(probe))


class PausesColumn(TextColumn):
    """中止时段 as the approval system writes them: “专家评审 2026-03-04至2026-03-09；公示 …”.
    Two writings of the same intervals are the same value (re-importing changes nothing)."""

    def parse(self, raw, ctx):
        try:
            return clock.format_pauses(clock.parse_pauses(super().parse(raw, ctx)))
        except ApplicationError as exc:
            raise CellError(exc.message.rstrip("。")) from None

    def allowed(self):
        kinds = "、".join(clock.KINDS)
        return f"类型 开始日期至结束日期，多段用“；”分隔（类型：{kinds}；首尾两日均不计时）"


@register
class CaseImporter(Importer):
    key = "approvals.cases"
    title = "办件"
    model = Case
    natural_key = "number"
    writes = Writes(target="case", create=services.case_create, update=services.case_update,
                    delete=services.case_delete)
    ability = "approvals.edit"  # besides the administrators: the 行政审批局 loads its cases
    columns = [
        TextColumn("办件编号", "number", required=True, max_length=60, help="唯一，用于匹配已有办件",
                   sample="SP20260105001"),
        ForeignKeyColumn("事项编码", "item", model=ServiceItem, lookup=("code",), required=True,
                         sample="320684-XK-0001"),
        TextColumn("申请人", "applicant", required=True, max_length=200, sample="某某科技有限公司"),
        ForeignKeyColumn("办理单位", "handling_unit", model=OrgUnit, lookup=("name", "short_name"),
                         help="承办的单位；不填为行政审批局直接办理"),
        DateColumn("收件日期", "received_on", required=True, sample="2026-01-05"),
        DateColumn("补正告知日期", "correction_notice_on"),
        DateColumn("补正完成日期", "correction_done_on"),
        DateColumn("受理日期", "accepted_on", sample="2026-01-05"),
        DateColumn("办结日期", "decided_on", sample="2026-01-07"),
        DateColumn("送达日期", "delivered_on", sample="2026-01-08"),
        PausesColumn("中止时段", "suspensions_text"),
        TextColumn("备注", "note", max_length=1000),
    ]
    notes = ("日期按工作日历计时：承诺期限为受理后第 N 个工作日（N 为事项的承诺办结时限），中止时段（听证、专家评审、"
             "公示、补正、检验检测，首尾两日均含）不计。受理不能晚于办结，办结不能晚于送达，中止时段须在收件与办结"
             "（或送达）之间。")

    def check_row(self, plan, ctx):
        values = {name: plan.values.get(name, getattr(plan.obj, name, None)) for name, _ in clock.EVENTS}
        today = core_clock.today()
        text = plan.values.get("suspensions_text", getattr(plan.obj, "suspensions_text", ""))

        def check():
            clock.check_dates(values, today)
            clock.check_pauses(values, clock.parse_pauses(text), today)

        return refusals(check)
