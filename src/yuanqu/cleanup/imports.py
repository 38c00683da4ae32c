"""Spreadsheet import of clean-up cases (僵尸企业 / 散乱污): one row per enterprise, category and year,
认定 or 排除 with the reason, and optionally the disposal method, responsible unit and note.

A new row is decided through `case_decide` (so the enterprise must meet a criterion of the category
that year, as on the candidate page); a row of a case already decided changes only its disposal
details (`case_update`). One transaction: a row the services refuse fails the whole file, named."""

from __future__ import annotations

from yuanqu.core.imports import EnumColumn, ForeignKeyColumn, Importer, IntColumn, TextColumn, register
from yuanqu.core.imports.columns import text_of
from yuanqu.enterprises.credit_code import normalise
from yuanqu.enterprises.imports import enterprise_columns, enterprise_problems, enterprises_by_code
from yuanqu.org.models import OrgUnit

from . import selectors, services
from .models import Case, Category, Method, State

DECISIONS = [("confirm", "认定"), ("dismiss", "排除")]
_CATEGORY = {**{str(label): value for value, label in Category.choices}, **{v: v for v in Category.values}}


class CaseState:
    """A stored case as a row of the file reads it (decision, not state)."""

    def __init__(self, case: Case):
        self.case = case
        self.credit_code = case.enterprise.credit_code
        self.name = case.enterprise.name
        self.category, self.year, self.reason = case.category, case.year, case.reason
        self.decision = "dismiss" if case.state == State.DISMISSED else "confirm"
        self.method, self.unit, self.note = case.method, case.unit, case.note


@register
class CaseImporter(Importer):
    key = "cleanup.cases"
    title = "企业清理案件"
    model = Case
    natural_key = "credit_code"
    ability = "cleanup.manage"  # the 经发局 and the 生态环境 unit
    notes = ("按「统一社会信用代码」「清理类别」「评估年度」匹配案件：新的一行即认定或排除（须填理由，企业须符合该类别的"
             "认定标准）；已有案件只更新处置方式、责任单位和备注，认定结果和理由不能通过导入改变。")

    columns = [
        *enterprise_columns("某某纺织有限公司"),
        EnumColumn("清理类别", "category", required=True, choices=Category.choices, sample="僵尸企业"),
        IntColumn("评估年度", "year", required=True, sample=2025),
        EnumColumn("处理结果", "decision", required=True, choices=DECISIONS, sample="认定"),
        TextColumn("认定或排除理由", "reason", required=True, sample="连续两年亏损、停产"),
        EnumColumn("处置方式", "method", choices=Method.choices, sample="破产清算"),
        ForeignKeyColumn("责任单位", "unit", model=OrgUnit, lookup=("name", "short_name"), sample="经发局"),
        TextColumn("备注", "note"),
    ]

    def key_of(self, cells):
        code = normalise(text_of(cells.get("credit_code")))
        category = _CATEGORY.get(text_of(cells.get("category")), "")
        year = text_of(cells.get("year"))
        return f"{code}·{category}·{year}" if code and category and year else ""

    def existing(self, keys):
        wanted = {}
        for key in keys:
            code, category, year = key.split("·")
            if year.isdigit():
                wanted[(code, category, int(year))] = key
        codes = {c for c, _, _ in wanted}
        # Every row's enterprise, read once for the file (check_row names the unknown ones).
        self.enterprises = enterprises_by_code(codes)
        cases = Case.objects.filter(enterprise__credit_code__in=codes,
                                    year__in={y for _, _, y in wanted}).select_related("enterprise", "unit")
        return {wanted[k]: CaseState(c) for c in cases
                if (k := (c.enterprise.credit_code, c.category, c.year)) in wanted}

    def check_row(self, plan, ctx):
        values = plan.values
        enterprise, problems = enterprise_problems(values, getattr(self, "enterprises", {}))
        if enterprise is None:
            return problems
        if not 1990 <= values["year"] <= 2100:
            problems.append(("year", f"“{values['year']}”不是有效年度"))
        state: CaseState | None = plan.obj
        if state is not None:
            if values["decision"] != state.decision:
                problems.append(("decision", f"该案件已{dict(DECISIONS)[state.decision]}，不能通过导入改为"
                                             f"{dict(DECISIONS)[values['decision']]}"))
            if values.get("reason") and values["reason"] != state.reason:
                problems.append(("reason", "已处理案件的理由不能通过导入修改"))
            if state.case.state in (State.DISMISSED, State.DONE) and any(
                    values.get(f) not in (None, "") and values[f] != getattr(state, f) for f in ("method", "unit", "note")):
                problems.append(("method", f"案件状态为“{state.case.get_state_display()}”，不能修改处置信息"))
        elif not problems and values["category"] in Category.values and not selectors.criteria_met(
                enterprise, values["category"], values["year"]):
            # The decision would refuse it at apply and fail the file: say so in the preview.
            problems.append(("credit_code", f"{enterprise.name}{values['year']}年不符合任何"
                                            f"{Category(values['category']).label}认定标准，不在候选名单中"))
        values["enterprise"] = enterprise
        return problems

    def create(self, *, actor, values):
        case = services.case_decide(actor=actor, enterprise=values["enterprise"], category=values["category"],
                                    decision=values["decision"], reason=values["reason"], year=values["year"],
                                    unit=values.get("unit"))
        details = {f: values[f] for f in ("method", "note") if values.get(f)}
        if details and case.state != State.DISMISSED:
            services.case_update(actor=actor, case=case, data=details)
        return case

    def update(self, *, actor, obj: CaseState | Case, values):
        case = obj.case if isinstance(obj, CaseState) else obj  # a revert restores the stored case
        details = {f: values[f] for f in ("method", "unit", "note") if f in values}
        if details:
            services.case_update(actor=actor, case=case, data=details)
        return case

    def undo_create(self, *, actor, obj: Case):
        services.case_withdraw(actor=actor, case=obj)

