"""Demo 督办单 for `yuanqu demo`: one item in every state and the usual complications.

Built through the services (so events, history and notices are the real ones), backdated with
each service's `today` so the timelines read like a season's work. Call `clear_demo()` before the
plans demo removes its units and users (items protect their lead unit and requesters), then
`build_demo(today=...)` after the demo plan is active.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from yuanqu.core.models import Notification
from yuanqu.core.services import forget_history
from yuanqu.org.models import OrgUnit, User
from yuanqu.org.selectors import first_holder
from yuanqu.plans.models import Plan, Target
from yuanqu.plans.selectors import evaluate_targets
from yuanqu.plans.status import Status

from . import selectors, services
from .models import SupervisionItem

Kind = SupervisionItem.SourceKind


class DemoError(Exception):
    pass


@dataclass
class Story:
    """What happens to one demo item, in days relative to `today` (negative = in the past)."""

    key: str
    created: int
    deadline: int
    steps: tuple[tuple[str, int, str], ...] = ()  # (action, day, comment)
    kind: str = Kind.TARGET
    source_text: str = ""
    title: str = ""
    requirement: str = "按期推进，形成书面办理结果报督查室。"
    day_type: str = SupervisionItem.DayType.WORKING


A, S, F, R, C, U = "assign", "start", "feedback", "return", "close", "urge"

STORIES = [
    Story("registered", -1, 20, kind=Kind.LEADER_INSTRUCTION, title="关于加快重点产业链招商对接的批示",
          source_text="请招商局牵头，会同经发局梳理豪华邮轮配套产业链在谈项目，月底前拿出对接清单。",
          day_type=SupervisionItem.DayType.CALENDAR),
    Story("assigned", -3, 12, ((A, -3, "请按目标任务要求制定推进计划。"),)),
    Story("in_progress", -20, 10, ((A, -19, ""), (S, -18, "已签收，正在推进。"))),
    Story("feedback", -25, 5, ((A, -24, ""), (S, -23, ""), (F, -2, "已完成会议确定事项，相关材料已归档。")),
          kind=Kind.MEETING_DECISION, title="管委会主任办公会议交办：村级污水管网移交运维",
          source_text="主任办公会议纪要第3期：年内完成已建村级污水管网的移交，明确运维主体和经费。"),
    Story("closed", -40, -8, ((A, -39, ""), (S, -38, ""), (F, -12, "任务已完成，附验收材料。"),
                              (C, -10, "经核实已完成，同意销号。"))),
    Story("returned", -30, 6, ((A, -29, ""), (S, -28, ""), (F, -8, "已基本完成。"),
                               (R, -6, "反馈过于笼统，请补充完成数量和佐证材料后重新反馈。"))),
    Story("urged_twice", -15, 2, ((A, -15, ""), (U, -7, "进度滞后，请抓紧推进。"),
                                  (U, -2, "临近期限仍未签收，请立即办理并反馈。"))),
    Story("overdue", -30, -3, ((A, -29, ""), (S, -28, ""), (U, -5, "即将到期，请按时反馈。"))),
    Story("extension_pending", -20, 4, ((A, -19, ""), (S, -18, ""))),
    Story("extension_approved", -25, 3, ((A, -24, ""), (S, -23, ""))),
]


def clear_demo() -> int:
    """Delete demo 督办单 (events and extension requests go with them) and their change records."""
    ids = list(SupervisionItem.objects.filter(is_demo=True).values_list("pk", flat=True))
    if not ids:
        return 0
    SupervisionItem.objects.filter(pk__in=ids).delete()
    forget_history(SupervisionItem, ids)
    for pk in ids:
        Notification.objects.filter(key__startswith=f"supervision:{pk}:").delete()
    return len(ids)


def _pick_targets(plan: Plan, today: dt.date, reporters: dict[int, list[User]]) -> list[Target]:
    """Red targets first, then yellow, then the rest; only those whose lead unit has a reporter,
    and one per lead unit as long as possible so the items spread over the zone."""
    targets = [
        t for t in plan.targets.alive().select_related("plan", "lead_unit").order_by("pk")
        if t.lead_unit_id and reporters.get(t.lead_unit_id)
    ]
    evaluations = evaluate_targets(targets, today)
    rank = {Status.RED: 0, Status.YELLOW: 1}
    targets.sort(key=lambda t: (rank.get(evaluations[t.pk].status, 2), t.pk))
    spread, seen = [], set()
    for t in targets:
        if t.lead_unit_id not in seen:
            spread.append(t)
            seen.add(t.lead_unit_id)
    return spread + [t for t in targets if t not in spread]


def _unit_named(units: list[OrgUnit], reporters, *names: str) -> OrgUnit:
    for name in names:
        for u in units:
            if name in (u.name, u.short_name) and reporters.get(u.pk):
                return u
    return next(u for u in units if reporters.get(u.pk))


@transaction.atomic
def build_demo(*, today: dt.date) -> dict[str, int]:
    """Create the demo items; returns {story key: item id}."""
    clear_demo()
    supervisor = first_holder("supervision.oversee", is_demo=True)
    if supervisor is None:
        raise DemoError("没有演示用的督查室账号，请先生成演示单位和用户。")
    plan = Plan.objects.filter(is_demo=True, status=Plan.Status.ACTIVE).order_by("-year", "-pk").first()
    if plan is None:
        raise DemoError("没有执行中的演示计划。")
    units = list(OrgUnit.objects.filter(is_demo=True, is_active=True))
    reporters = selectors.unit_reporters([u.pk for u in units])
    targets = _pick_targets(plan, today, reporters)
    if len(targets) < 2 or not any(reporters.values()):
        raise DemoError("演示计划中没有可督办的目标（牵头单位须有填报员）。")
    instruction_unit = _unit_named(units, reporters, "招商局")
    meeting_unit = _unit_named(units, reporters, "农业农村局", "建设局")

    created: dict[str, int] = {}
    queue = iter(targets * 2)
    for story in STORIES:
        day = today + dt.timedelta(days=story.created)
        data = {
            "source_kind": story.kind, "requirement": story.requirement, "day_type": story.day_type,
            "deadline": today + dt.timedelta(days=story.deadline), "source_text": story.source_text,
        }
        if story.kind == Kind.TARGET:
            target = next(queue)
            data.update(target=target, lead_unit=target.lead_unit, title=services.title_from_target(target),
                        assisting_units=[], source_text=target.title)
        else:
            lead = instruction_unit if story.kind == Kind.LEADER_INSTRUCTION else meeting_unit
            data.update(lead_unit=lead, title=story.title)
        item = services.item_create(actor=supervisor, data=data, today=day, is_demo=True)
        lead_user = reporters[item.lead_unit_id][0]
        for action, offset, comment in story.steps:
            actor = supervisor if services.TRANSITIONS[action].may is services.may_supervise else lead_user
            services.transition(actor=actor, item=item, action=action, comment=comment,
                                today=today + dt.timedelta(days=offset))
        if story.key == "extension_pending":
            services.extension_request(
                actor=lead_user, item=item, requested_deadline=today + dt.timedelta(days=20),
                reason="涉及土地报批，需等待上级审批结果。", progress="前期手续已完成80%。",
                today=today - dt.timedelta(days=1),
            )
        elif story.key == "extension_approved":
            request = services.extension_request(
                actor=lead_user, item=item, requested_deadline=today + dt.timedelta(days=25),
                reason="施工受连续降雨影响。", progress="主体工程已完成，正在进行配套施工。",
                today=today - dt.timedelta(days=5),
            )
            services.extension_approve(actor=supervisor, request=request, comment="情况属实，同意延期。",
                                       today=today - dt.timedelta(days=4))
        created[story.key] = item.pk
    return created
