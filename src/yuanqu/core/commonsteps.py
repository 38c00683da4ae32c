"""Workflow hooks several registers share, so a step that means the same says the same everywhere.

Raising a record to a 督办单 once (提请督办) is a step of disputes, visits, grid and inspections
alike; reassigning it to another unit (改派) one of disputes and visits; the 1–5 satisfaction
rating one of visits and grid. Each register keeps only its own words and the 督办单's text:

    Transition(Action.REASSIGN, …, check=partial(check_reassign, held="诉求"), apply=reassign,
               describe=describe_reassign, fields=("assigned_unit",))
    Transition(Action.RAISE, …, check=partial(check_not_raised, noun="诉求"), apply=_raise,
               describe=describe_raise, fields=("supervision_item",))

where `_raise(step)` words the item (its title, its source text, its lead unit and deadline) and
calls `raise_item(step, …)`.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from . import handoffs
from .errors import ApplicationError, ConflictError
from .ids import pick
from .services import whole_number_in
from .workflow import Step


def check_reassign(step: Step, *, held: str) -> None:
    """The new unit is a known one and not the present one (`held`: how the message names the
    record, "该件", "诉求"); both are kept in `extra` for `reassign` and `describe_reassign`."""
    units = step.obj._meta.get_field("assigned_unit").related_model._default_manager.all()
    unit = pick(units, step.data.get("assigned_unit"), field="assigned_unit", label="承办单位")
    if unit.pk == step.obj.assigned_unit_id:
        raise ApplicationError(f"{held}已由{unit.name}承办，请选择另一个单位。", field="assigned_unit")
    step.extra["unit"], step.extra["previous"] = unit, step.obj.assigned_unit


def reassign(step: Step) -> None:
    """Only the unit changes: the register's dates (a due date, a running clock) stay as they are."""
    step.obj.assigned_unit = step.extra["unit"]


def describe_reassign(step: Step) -> str:
    return f"由{step.extra['previous'].name}改派至{step.extra['unit'].name}：{step.comment}"


def check_not_raised(step: Step, *, noun: str) -> None:
    """A record is raised to supervision once (`noun`: "件", "诉求", "事件", "隐患")."""
    if step.obj.supervision_item_id:
        raise ConflictError(f"该{noun}已提请督办，不能重复提请。")


def raise_reason(step: Step) -> str:
    """The line the 督办单's source text ends with when the step gave a reason."""
    return f"\n提请理由：{step.comment}" if step.comment else ""


def raise_item(step: Step, *, title: str, source_text: str, lead_unit, deadline, source_kind: str, url: str,
               today: dt.date, day_type: str = "working"):
    """Ask supervision for a 督办单 and tie the record to it: `title`, `source_text` (the step's
    reason added at its end), led by `lead_unit` by `deadline` counted in `day_type` days (working
    unless the register keeps its own), the step's comment as its requirement; `url` is the record
    page's URL name, reversed with its pk. The item is kept in `extra` for `describe_raise`."""
    obj = step.obj
    data = {"title": title, "source_text": source_text + raise_reason(step), "lead_unit": lead_unit,
            "deadline": deadline, "day_type": day_type, "requirement": step.comment}
    item = handoffs.ask("supervision.raise_item", actor=step.actor, data=data, source_kind=source_kind,
                        source_url=reverse(url, args=[obj.pk]), is_demo=obj.is_demo, today=today)
    obj.supervision_item = item
    step.extra["item"] = item
    return item


def describe_raise(step: Step) -> str:
    return f"提请督办：{step.extra['item'].number}" + (f"（{step.comment}）" if step.comment else "")


def check_satisfaction(step: Step) -> None:
    """A satisfaction rating (满意度) is a whole number from 1 to 5, typed as just that ("4", not
    "4.0"); it is kept in `extra` for the register's apply and `describe_evaluation`."""
    raw = step.data.get("satisfaction")
    score = whole_number_in(raw, 1, 5)
    if score is None:
        raise ApplicationError(f"满意度应为 1–5 的整数，收到“{raw}”。", field="satisfaction")
    step.extra["satisfaction"] = score


def describe_evaluation(step: Step) -> str:
    return f"满意度 {step.extra['satisfaction']} 分" + (f"：{step.comment}" if step.comment else "")
