"""Spreadsheet import of mediation cases and petitions from the 信访 system's export (or a 调委会's
ledger), by 来源编号. A row registers the case and walks it through the steps its dates show —
不予受理, 受理, 延期, 办理意见 or 调解结束, 回访, 办结 — through the services, so every clock and
every refusal is the page's. Each row is tried in a savepoint at preview (rolled back), so a date
out of order, an extension without approval or a step the kind does not have is named on its row
and column before anything is written."""

from __future__ import annotations

from yuanqu.core.errors import ApplicationError
from yuanqu.core.imports import (
    BoolColumn,
    DateColumn,
    EnumColumn,
    ForeignKeyColumn,
    Importer,
    TextColumn,
    register,
)
from yuanqu.core.imports.columns import differs
from yuanqu.org.models import OrgUnit

from . import services
from .models import DisputeCase, DisputeType, Kind, State


class DeclinedColumn(DateColumn):
    """不予受理日期: stored as the acceptance notice's day of a declined case."""

    def current(self, obj):
        return obj.accepted_on if obj.state == State.DECLINED else None


class DeclineReasonColumn(TextColumn):
    """不予受理理由: stored as the decision of a declined case."""

    def current(self, obj):
        return obj.decision if obj.state == State.DECLINED else ""


# Each step a row's dates may show, in the order taken: (action, its date column, the step's inputs
# → the columns giving them). 办理意见（调结）日期 is 出具办理意见 for a petition, 调解结束 for a mediation.
STEPS = [
    ("decline", "declined_on", {"comment": "decline_reason"}),
    ("accept", "accepted_on", {}),
    ("extend", "extended_on", {"approver": "extension_approver", "comment": "extension_reason"}),
    ("decide", "decided_on", {"comment": "decision", "agreement_reached": "agreement_reached",
                              "agreement_text": "agreement_text"}),
    ("follow_up", "followup_on", {"comment": "followup_result"}),
    ("close", "closed_on", {}),
]
STEP_FIELDS = {date: (action, inputs) for action, date, inputs in STEPS}
# A service's refusal names its own field; the row's column for it.
SERVICE_FIELDS = {"approver": "extension_approver", "agreement_reached": "agreement_reached",
                  "agreement_text": "agreement_text"}
TEXTS = ("title", "parties", "dispute_type", "content", "mediator", "committee")


def _refusal(exc: ApplicationError, step: tuple[str, str, dict] | None) -> tuple[str, str]:
    field = exc.field or ""
    if step is not None:
        _, date, inputs = step
        if field in ("on", "action", "extension", "case") or not field:
            field = date
        elif field == "comment":
            field = inputs.get("comment", date)
        else:
            field = SERVICE_FIELDS.get(field, field)
    return field or "source_number", exc.message.rstrip("。")


def _walk(*, actor, case: DisputeCase, values: dict) -> DisputeCase:
    """Take the steps the row's dates show, in order (a new case's: see check_row)."""
    for action, date, inputs in STEPS:
        on = values.get(date)
        if on is None:
            continue
        name = action if action != "decide" else ("conclude" if case.kind == Kind.MEDIATION else "answer")
        data = {key: values[column] for key, column in inputs.items() if values.get(column) not in (None, "")}
        if name == "answer" and data.pop("agreement_reached", None) is not None:
            raise ApplicationError("信访件不填写“达成协议”。", field="agreement_reached")
        try:
            case = services.case_step(actor=actor, case=case.pk, action=name, on=on, **data)
        except ApplicationError as exc:
            field, message = _refusal(exc, (action, date, inputs))
            raise ApplicationError(message, field=field) from exc
    return case


@register
class DisputeCaseImporter(Importer):
    key = "disputes.cases"
    title = "调解信访件"
    model = DisputeCase
    natural_key = "source_number"
    ability = "disputes.manage"  # besides the administrators: the 信访调解办 loads the 信访 system's export
    columns = [
        TextColumn("来源编号", "source_number", required=True, max_length=60, help="信访系统或调解台账中的编号，唯一",
                   sample="XF320684202609001"),
        EnumColumn("类型", "kind", choices=Kind.choices, required=True, sample="信访"),
        TextColumn("事由", "title", required=True, max_length=200, sample="反映征地补偿标准问题"),
        TextColumn("当事人/信访人", "parties", required=True, max_length=2000, sample="张某"),
        EnumColumn("纠纷类型", "dispute_type", choices=DisputeType.choices, sample="土地征收与拆迁"),
        TextColumn("基本情况", "content", max_length=10000),
        ForeignKeyColumn("承办单位", "assigned_unit", model=OrgUnit, lookup=("name", "short_name"), required=True,
                         sample="招商局"),
        DateColumn("收到日期", "received_on", required=True, sample="2026-09-01"),
        TextColumn("调解员", "mediator", max_length=100),
        TextColumn("调解委员会", "committee", max_length=100),
        DeclinedColumn("不予受理日期", "declined_on"),
        DeclineReasonColumn("不予受理理由", "decline_reason", max_length=10000),
        DateColumn("受理日期", "accepted_on", help="信访为受理告知日期", sample="2026-09-03"),
        DateColumn("延期批准日期", "extended_on"),
        TextColumn("延期批准人", "extension_approver", max_length=100),
        TextColumn("延期理由", "extension_reason", max_length=10000),
        DateColumn("办理意见（调结）日期", "decided_on", help="信访为出具办理意见日期，调解为调解结束日期"),
        TextColumn("办理意见（调解情况）", "decision", max_length=10000),
        BoolColumn("达成协议", "agreement_reached", help="人民调解件填写"),
        TextColumn("协议内容", "agreement_text", max_length=10000),
        DateColumn("回访日期", "followup_on", help="人民调解件填写"),
        TextColumn("回访情况", "followup_result", max_length=10000),
        DateColumn("办结日期", "closed_on", help="信访件出具办理意见后办结时填写"),
    ]
    notes = ("一行一件，按来源编号匹配已有件。各日期依次为办理过程：不予受理，或受理 → 延期（须填批准人和理由，只能一次，"
             "且在办理期限内）→ 出具办理意见（调解为调解结束，须填是否达成协议）→ 回访（调解）/ 办结（信访）。日期不能早于前一"
             "环节，不能晚于今天；时限按办理时限设置计算。已登记的办理过程不能由导入修改（请在页面上办理）；复查、复核在页面上登记。")

    def check_row(self, plan, ctx):
        obj = plan.obj
        if obj is not None:
            # A case already registered takes its next steps on the page: the import corrects its texts only.
            # The unit and the day received too: a change there is a 改派 or a new clock, done on the page.
            fixed = ("kind", "assigned_unit", "received_on",
                     *(f for date, (_, inputs) in STEP_FIELDS.items() for f in (date, *inputs.values())))
            for field in fixed:
                if field in plan.values and differs(self.column(field), plan.values[field], obj):
                    return [(field, f"{obj.number}已登记，类型、承办单位、收到日期和办理过程不能由导入修改，"
                                    "请在页面上办理（改派、办理）")]
        refused = self.trial(lambda: self.write(actor=None, obj=obj, values=plan.values))
        return [_refusal(refused, None)] if refused else []

    def write(self, *, actor, obj, values) -> DisputeCase:
        try:
            if obj is None:
                case = services.case_create(actor=actor, data={k: v for k, v in values.items()
                                                               if k in (*TEXTS, "kind", "source_number",
                                                                        "assigned_unit", "received_on")})
                return _walk(actor=actor, case=case, values=values)
            texts = {k: v for k, v in values.items() if k in TEXTS}
            return services.case_update(actor=actor, case=obj, data=texts) if texts else obj
        except ApplicationError as exc:
            raise ApplicationError(exc.message, field=exc.field or "source_number") from exc

    def undo_create(self, *, actor, obj):
        services.case_delete(actor=actor, case=obj)

    def restore(self, *, actor, obj, before):
        # Steps are taken only on the cases a batch creates, and those are deleted by the revert;
        # what is left to put back is the texts the batch corrected.
        texts = {k: v for k, v in before.items() if k in TEXTS}
        if texts:
            services.case_update(actor=actor, case=obj, data=texts)
