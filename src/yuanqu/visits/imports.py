"""Spreadsheet import of 走帮服 visits, each with at most one request raised on it: for the visits a
unit kept in its own workbook before the platform. A row is one visit (enterprise, date, visitors,
unit, findings) and, when its 诉求 columns are filled, the request raised on it; the request then
runs its lifecycle on the platform (受理 → 办理 → 答复 …) from its 受理日期."""

from __future__ import annotations

from yuanqu.core import clock
from yuanqu.core.imports import DateColumn, ForeignKeyColumn, Importer, TextColumn, register
from yuanqu.core.imports.columns import parse_date, text_of
from yuanqu.enterprises.credit_code import normalise
from yuanqu.enterprises.imports import enterprise_columns, enterprise_problems, enterprises_by_code
from yuanqu.org.models import OrgUnit

from . import services
from .models import EnterpriseRequest, RequestCategory, Visit

REQUEST_FIELDS = ("category", "text", "assigned_unit", "received_on")


def _day(raw) -> str:
    try:
        return f"{parse_date(raw):%Y-%m-%d}" if raw not in (None, "") else ""
    except Exception:  # a bad date is the column's error, not the key's
        return ""


class VisitState:
    """A stored visit and the first request raised on it, as a row of the file reads them."""

    def __init__(self, visit: Visit, request: EnterpriseRequest | None):
        self.visit = visit
        self.credit_code, self.name = visit.enterprise.credit_code, visit.enterprise.name
        self.visited_on, self.visitors, self.unit, self.findings = (visit.visited_on, visit.visitors, visit.unit,
                                                                    visit.findings)
        for field in REQUEST_FIELDS:
            setattr(self, field, getattr(request, field) if request else None)


@register
class VisitImporter(Importer):
    key = "visits.visits"
    title = "走访和企业诉求"
    model = Visit
    natural_key = "credit_code"
    ability = "visits.manage"  # the 经发局
    notes = ("一行一次走访，按「统一社会信用代码」「走访日期」「走访领导/干部」匹配；填写诉求各列即在该次走访中提出一项诉求"
             "（诉求类别、诉求内容、承办单位须同时填写，受理日期默认为走访日期，不得早于走访日期）。已导入的诉求请在诉求页面办理。")

    columns = [
        *enterprise_columns("某某机械有限公司"),
        DateColumn("走访日期", "visited_on", required=True, sample="2026-03-12"),
        TextColumn("走访领导/干部", "visitors", required=True, max_length=200, sample="张三、李四"),
        ForeignKeyColumn("走访单位", "unit", required=True, model=OrgUnit, lookup=("name", "short_name"),
                         sample="经发局"),
        TextColumn("走访发现", "findings", sample="订单饱满，缺熟练工"),
        ForeignKeyColumn("诉求类别", "category", model=RequestCategory, lookup=("name", "code"), sample="用工"),
        TextColumn("诉求内容", "text", sample="协调招聘熟练焊工20名"),
        ForeignKeyColumn("承办单位", "assigned_unit", model=OrgUnit, lookup=("name", "short_name"), sample="人社局"),
        DateColumn("受理日期", "received_on", help="默认为走访日期"),
    ]

    def key_of(self, cells):
        code = normalise(text_of(cells.get("credit_code")))
        day, visitors = _day(cells.get("visited_on")), text_of(cells.get("visitors"))
        return f"{code}·{day}·{visitors}" if code and day and visitors else ""

    def existing(self, keys):
        keys = set(keys)
        codes = {k.split("·")[0] for k in keys}
        # Every row's enterprise, read once for the file (check_row names the unknown ones).
        self.enterprises = enterprises_by_code(codes)
        visits = (Visit.objects.filter(enterprise__credit_code__in=codes)
                  .select_related("enterprise", "unit").prefetch_related("requests"))
        out = {}
        for visit in visits:
            key = f"{visit.enterprise.credit_code}·{visit.visited_on:%Y-%m-%d}·{visit.visitors}"
            if key in keys:
                out[key] = VisitState(visit, min(visit.requests.all(), key=lambda r: r.pk, default=None))
        return out

    def check_row(self, plan, ctx):
        values = plan.values
        enterprise, problems = enterprise_problems(values, getattr(self, "enterprises", {}))
        if enterprise is None:
            return problems
        today = clock.today()
        if values["visited_on"] > today:
            problems.append(("visited_on", f"走访日期（{values['visited_on']:%Y-%m-%d}）不能晚于今天"))
        asked = [f for f in ("category", "text", "assigned_unit") if values.get(f) not in (None, "")]
        if asked or values.get("received_on"):
            for field, label in (("category", "诉求类别"), ("text", "诉求内容"), ("assigned_unit", "承办单位")):
                if field not in asked:
                    problems.append((field, f"填写诉求时须同时填写诉求类别、诉求内容和承办单位，缺少{label}"))
        received = values.get("received_on")
        if received and received < values["visited_on"]:
            problems.append(("received_on", f"受理日期（{received:%Y-%m-%d}）早于走访日期"
                                            f"（{values['visited_on']:%Y-%m-%d}），日期先后有误"))
        elif received and received > today:
            problems.append(("received_on", f"受理日期（{received:%Y-%m-%d}）不能晚于今天"))
        state: VisitState | None = plan.obj
        if state is not None and any(values.get(f) not in (None, "") and values[f] != getattr(state, f)
                                     for f in REQUEST_FIELDS):
            problems.append(("text", "该次走访已导入诉求；诉求的修改和新增请在诉求页面办理"))
        values["enterprise"] = enterprise
        return problems

    def create(self, *, actor, values):
        visit = services.visit_create(actor=actor, data={
            "enterprise": values["enterprise"], "visited_on": values["visited_on"], "visitors": values["visitors"],
            "unit": values["unit"], "findings": values.get("findings", "")})
        if values.get("text"):
            services.request_create(actor=actor, data={
                "visit": visit, "category": values["category"], "text": values["text"],
                "assigned_unit": values["assigned_unit"], "received_on": values.get("received_on")})
        return visit

    def update(self, *, actor, obj: VisitState | Visit, values):
        visit = obj.visit if isinstance(obj, VisitState) else obj  # a revert restores the stored visit
        data = {f: values[f] for f in ("unit", "findings") if f in values}
        if data:
            services.visit_update(actor=actor, visit=visit, data=data)
        return visit

    def undo_create(self, *, actor, obj: Visit):
        services.visit_withdraw(actor=actor, visit=obj)
