"""Spreadsheet import of inspections with their hazards, one row per hazard (by 隐患编号), the rows
of one inspection grouped by 检查编号. A row with a 整改期限 also issues the rectification notice,
dated the 通知日期 (else the inspection's day). Each row is tried through the services in a
savepoint at preview (rolled back), so a hazard level other than 一般/重大, a deadline before the
finding or an unknown unit is named on its row and column before anything is written."""

from __future__ import annotations

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError
from yuanqu.core.imports import (
    DateColumn,
    EnumColumn,
    ForeignKeyColumn,
    Importer,
    TextColumn,
    register,
)
from yuanqu.core.imports.columns import differs
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit

from . import services
from .models import Domain, Hazard, Inspection, Level


class _OfInspection:
    """A column of the hazard's inspection (the row's group), read from it when matching."""

    attr = ""

    def current(self, obj):
        return getattr(obj.inspection, self.attr or self.field)


class InspectionText(_OfInspection, TextColumn):
    pass


class InspectionDate(_OfInspection, DateColumn):
    pass


class InspectionEnum(_OfInspection, EnumColumn):
    pass


class InspectionUnit(_OfInspection, ForeignKeyColumn):
    pass


class InspectionNumber(InspectionText):
    attr = "source_number"


class NoticeColumn(DateColumn):
    def current(self, obj):
        return getattr(obj, self.field)


# The inspection's columns (the same on every row of a group) and the notice's.
INSPECTION_FIELDS = ("domain", "enterprise", "site", "village", "inspected_on", "inspecting_unit", "inspectors",
                     "findings")
NOTICE_FIELDS = ("deadline", "requirement", "notice_on")
HAZARD_FIELDS = ("description", "level", "responsible_unit", "responsible_person")


def _cells_equal(column, a, b) -> bool:
    return column.comparable(a) == column.comparable(b)


@register
class HazardImporter(Importer):
    key = "inspections.hazards"
    title = "检查与隐患"
    model = Hazard
    natural_key = "source_number"
    columns = [
        TextColumn("隐患编号", "source_number", required=True, max_length=60, help="台账中的隐患编号，唯一",
                   sample="AJ2026-031-1"),
        InspectionNumber("检查编号", "inspection_number", required=True, max_length=60,
                         help="同一次检查的各条隐患填同一编号", sample="AJ2026-031"),
        InspectionEnum("检查类别", "domain", choices=Domain.choices, required=True, sample="安全生产"),
        InspectionUnit("被检查企业", "enterprise", model=Enterprise, lookup=("name", "credit_code"),
                       help="检查企业时填写（名称或统一社会信用代码）"),
        InspectionText("检查地点", "site", max_length=200, help="检查场所而非企业时填写"),
        InspectionUnit("所在村（社区）", "village", model=OrgUnit, lookup=("name", "short_name")),
        InspectionDate("检查日期", "inspected_on", required=True, sample="2026-09-01"),
        InspectionUnit("检查单位", "inspecting_unit", model=OrgUnit, lookup=("name", "short_name"), required=True,
                       sample="安监与环保"),
        InspectionText("检查人员", "inspectors", required=True, max_length=200, sample="郑刚、李明"),
        InspectionText("检查情况", "findings", max_length=10000),
        TextColumn("隐患描述", "description", required=True, max_length=10000, sample="消防通道堵塞"),
        EnumColumn("隐患等级", "level", choices=Level.choices, required=True, sample="一般"),
        ForeignKeyColumn("责任单位", "responsible_unit", model=OrgUnit, lookup=("name", "short_name"), required=True,
                         sample="招商局"),
        TextColumn("责任人", "responsible_person", max_length=60),
        NoticeColumn("整改期限", "deadline", help="填写即下达整改通知"),
        TextColumn("整改要求", "requirement", max_length=10000),
        NoticeColumn("通知日期", "notice_on", help="整改通知下达日期，不填为检查日期"),
    ]
    notes = ("一行一条隐患，按隐患编号匹配已有隐患；同一检查编号的各行为同一次检查，其检查类别、企业或地点、检查日期、检查单位、"
             "检查人员须一致。隐患等级为“一般”或“重大”。填写整改期限即下达整改通知：整改期限不能早于检查日期和通知日期，"
             "通知日期不能早于检查日期、不能晚于今天。已登记的隐患只更正描述、等级、责任单位和责任人；检查和整改过程在页面上修改和办理。")

    def existing(self, keys):
        return {h.source_number: h for h in Hazard.objects.filter(source_number__in=keys).select_related(
            "inspection", "inspection__enterprise", "inspection__village", "inspection__inspecting_unit",
            "responsible_unit")}

    # -- checks

    def check_rows(self, plans, ctx):
        """The rows of one inspection agree on its fields, and with the inspection already stored."""
        out, first = [], {}
        stored = {i.source_number: i for i in Inspection.objects.filter(
            source_number__in={p.values.get("inspection_number") for p in plans})}
        for plan in plans:
            number = plan.values.get("inspection_number")
            if number in stored:
                inspection = stored[number]
                for field in INSPECTION_FIELDS:
                    column = self.column(field)
                    if field in plan.values and not _cells_equal(column, plan.values[field],
                                                                 getattr(inspection, field)):
                        out.append((plan, field, f"检查“{number}”已登记，其「{column.header}」不同；检查记录请在页面上修改"))
                        break
                continue
            if number not in first:
                first[number] = plan
                continue
            head = first[number]
            for field in INSPECTION_FIELDS:
                column = self.column(field)
                if not _cells_equal(column, plan.values.get(field), head.values.get(field)):
                    out.append((plan, field, f"与第{head.row}行（同一检查编号“{number}”）不一致"))
                    break
        return out

    def check_row(self, plan, ctx):
        obj = plan.obj
        if obj is not None:
            if plan.values.get("inspection_number") != obj.inspection.source_number:
                return [("inspection_number", f"该隐患属于检查“{obj.inspection.source_number}”，不能移到另一次检查")]
            for field in NOTICE_FIELDS:
                if field in plan.values and differs(self.column(field), plan.values[field], obj):
                    return [(field, "该隐患已登记，整改过程请在页面上办理")]
        refused = self.trial(lambda: self.write(actor=None, obj=obj, values=plan.values))
        if refused is None:
            return []
        return [(refused.field if refused.field in {c.field for c in self.columns} else "source_number",
                 refused.message.rstrip("。"))]

    # -- writes

    def _inspection(self, *, actor, values) -> Inspection:
        number = values["inspection_number"]
        found = Inspection.objects.filter(source_number=number).first()
        if found is not None:
            return found
        data = {f: values[f] for f in INSPECTION_FIELDS if f in values}
        return services.inspection_create(actor=actor, data={**data, "source_number": number})

    def write(self, *, actor, obj, values) -> Hazard:
        if obj is not None:
            data = {f: values[f] for f in HAZARD_FIELDS if f in values}
            return services.hazard_update(actor=actor, hazard=obj, data=data) if data else obj
        inspection = self._inspection(actor=actor, values=values)
        hazard = services.hazard_create(actor=actor, inspection=inspection, data={
            **{f: values[f] for f in HAZARD_FIELDS if f in values}, "source_number": values["source_number"]})
        if values.get("deadline") is None:
            for field in ("requirement", "notice_on"):
                if values.get(field) not in (None, ""):
                    raise ApplicationError("填写了整改要求或通知日期，须同时填写整改期限。", field="deadline")
            return hazard
        notice_on = values.get("notice_on") or inspection.inspected_on
        if notice_on < inspection.inspected_on:
            raise ApplicationError(f"通知日期（{notice_on:%Y-%m-%d}）不能早于检查日期（{inspection.inspected_on:%Y-%m-%d}）。",
                                   field="notice_on")
        if notice_on > clock.today():
            raise ApplicationError(f"通知日期（{notice_on:%Y-%m-%d}）不能晚于今天。", field="notice_on")
        return services.hazard_step(actor=actor, hazard=hazard.pk, action="notify", today=notice_on,
                                    deadline=values["deadline"], comment=values.get("requirement", ""))

    def undo_create(self, *, actor, obj):
        services.hazard_delete(actor=actor, hazard=obj)

    def restore(self, *, actor, obj, before):
        # Notices are issued only on the hazards a batch creates, and those are deleted by the
        # revert; what is left to put back is what the batch corrected.
        data = {k: v for k, v in before.items() if k in HAZARD_FIELDS}
        if data:
            services.hazard_update(actor=actor, hazard=obj, data=data)
