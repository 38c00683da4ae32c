"""Spreadsheet import of major projects (core.imports: template, row errors, preview, one
transaction, revert). Upsert by name; importing the same file twice changes nothing. The gates'
planned dates are columns of their own and must follow the gates' order."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from yuanqu.chains.models import ChainNode
from yuanqu.core.imports import (
    DateColumn,
    DecimalColumn,
    EnumColumn,
    ForeignKeyColumn,
    Importer,
    TextColumn,
    refusals,
    register,
)
from yuanqu.core.imports.columns import CellError, text_of
from yuanqu.org.models import OrgUnit, User

from . import services
from .models import GATES, Level, Project, Stage

YI = re.compile(r"^约?\s*([0-9][0-9,，.]*)\s*(亿元|亿|万元|万)?$")


class YiColumn(DecimalColumn):
    """An amount in 亿元: a number, or written with its unit (“12亿元”, “5000万元” = 0.5)."""

    type_label = "金额（亿元）"

    def parse(self, raw, ctx):
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return super().parse(raw, ctx)
        match = YI.match(text_of(raw).replace(" ", ""))
        if not match:
            raise CellError(f"“{text_of(raw)}”不是金额，请写数字（亿元），如 12.5 或 5000万元")
        try:
            number = Decimal(match.group(1).replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise CellError(f"“{text_of(raw)}”不是金额") from None
        if number < 0:
            raise CellError("金额不能为负数")
        return number / 10000 if (match.group(2) or "").startswith("万") else number

    def allowed(self):
        return "亿元，写数字即可（如 12.5）；也可写 5000万元"


class NodeColumn(ForeignKeyColumn):
    """A chain node by its name, or “产业链/节点” where a name repeats across chains."""

    def candidates(self):
        for node in ChainNode.objects.select_related("chain"):
            yield node.name, node
            yield f"{node.chain.name}/{node.name}", node

    def allowed(self):
        return "产业链节点名称；重名时写“产业链/节点”，如 豪华邮轮/邮轮设计"


class PlannedColumn(DateColumn):
    """A gate's planned date: compared with the project's stage row."""

    def current(self, obj):
        step = next((s for s in obj.steps.all() if f"planned_{s.stage}" == self.field), None)
        return step.planned_on if step else None


PLANNED = [PlannedColumn(f"{Stage(s).label}计划日期", f"planned_{s}", sample=f"2027-{i + 1:02d}-15")
           for i, s in enumerate(GATES)]


@register
class ProjectImporter(Importer):
    key = "projects.projects"
    title = "重大项目"
    model = Project
    natural_key = "name"
    columns = [
        TextColumn("项目名称", "name", required=True, max_length=200, help="用于匹配已登记的项目，请勿重复",
                   sample="某某高端装备制造项目"),
        TextColumn("投资方", "investor", required=True, max_length=200, sample="某某集团有限公司"),
        TextColumn("产业类别", "industry", max_length=100, sample="高端装备"),
        NodeColumn("产业链节点", "chain_node", model=ChainNode, lookup=("name",), sample=""),
        YiColumn("总投资（亿元）", "total_investment", required=True, sample=12.5),
        YiColumn("固定资产投资（亿元）", "fixed_investment", sample=10),
        EnumColumn("项目级别", "level", choices=Level.choices, sample="市重点"),
        ForeignKeyColumn("牵头单位", "lead_unit", model=OrgUnit, lookup=("name", "short_name"), required=True,
                         sample="招商局"),
        ForeignKeyColumn("挂钩领导", "leader", model=User, lookup=("username", "full_name"), help="登录名或姓名"),
        *PLANNED,
        TextColumn("备注", "note"),
    ]
    notes = ("金额以亿元计。各阶段计划日期须按 签约→注册→供地→开工→竣工→投产 的先后顺序填写，可留空。"
             "实际日期请在项目页面记录，以便留下推进记录和佐证材料。")

    def existing(self, keys):
        found = super().existing(keys)
        for project in Project.objects.filter(pk__in=[p.pk for p in found.values()]).prefetch_related("steps"):
            found[project.name]._prefetched_objects_cache = project._prefetched_objects_cache
        return found

    def check_row(self, plan, ctx):
        dates = {s: plan.values.get(f"planned_{s}") for s in GATES}
        if plan.obj is not None:  # blank cells keep the stored dates, which the order must respect too
            stored = {s.stage: s.planned_on for s in plan.obj.steps.all()}
            dates = {s: d if f"planned_{s}" in plan.values else stored.get(s) for s, d in dates.items()}
        return refusals(lambda: services.check_plan_order(dates))

    @staticmethod
    def _split(values: dict) -> tuple[dict, dict]:
        planned = {k.removeprefix("planned_"): v for k, v in values.items() if k.startswith("planned_")}
        return {k: v for k, v in values.items() if not k.startswith("planned_")}, planned

    def create(self, *, actor, values):
        data, planned = self._split(values)
        return services.project_create(actor=actor, data=data, planned=planned)

    def update(self, *, actor, obj, values):
        data, planned = self._split(values)
        if data:
            obj = services.project_update(actor=actor, project=obj, data=data)
        if planned:
            services.plan_update(actor=actor, project=obj, planned=planned, note="导入计划日期")
        return obj

    def undo_create(self, *, actor, obj):
        services.project_delete(actor=actor, project=obj)
