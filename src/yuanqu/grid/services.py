"""Every write of the grid register: rights, validation, one transaction, history.

An event's lifecycle is a transition table on core.workflow (EVENT_FLOW):

    待受理 --受理--> 待分拨 --分拨--> 待签收 --签收--> 已签收 --处置--> 处置中 --反馈--> 待核查
      └--不予受理--> 不予受理            ▲  └--退回重新分拨 (to 待分拨)        │
                                        └------------核查不通过-------------┤
                                                            待核查 --核查通过--> 待结案 --结案--> 已结案 --评价--> 已评价

逾期升级 (run daily by `yuanqu remind`) and 提请督办 keep the state. 分拨 takes the unit from the
routing rules unless one is given, refuses a negative-list category for the grid's own village or
community, and stores the time limits (SLA) the rules give for the event's category and severity.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from yuanqu.core import clock
from yuanqu.core.calendar import WorkCalendar, nth_workday_after
from yuanqu.core.commonsteps import (
    check_not_raised,
    check_satisfaction,
    describe_evaluation,
    describe_raise,
    raise_item,
)
from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.ids import pick
from yuanqu.core.models import ChangeRecord
from yuanqu.core.notifications import notify_once
from yuanqu.core.parsing import to_decimal
from yuanqu.core.services import create_record, delete_record, save_record, update_record, validate
from yuanqu.core.trees import ancestor_ids
from yuanqu.core.workflow import Requirement, Step, Transition, Workflow
from yuanqu.org.models import OrgUnit
from yuanqu.org.selectors import unit_holders, users_holding
from yuanqu.org.services import resolve_unit

from .models import (
    GRID_UNIT_KINDS,
    UNANSWERED,
    Action,
    DayType,
    EventCategory,
    EventPhoto,
    EventStep,
    Grid,
    GridEvent,
    GridObject,
    RoutingRule,
    Severity,
    SlaRule,
    Source,
    Stage,
    State,
)


def now() -> dt.datetime:
    """This moment on the platform's one clock: the day is core.clock's (tests and the demo fix it),
    the time of day the real one."""
    real = timezone.localtime()
    day = clock.today()
    return real if real.date() == day else timezone.make_aware(dt.datetime.combine(day, real.time().replace(tzinfo=None)))


# ---------------------------------------------------------------- rights


def may_dispatch(user, event: GridEvent | None = None) -> bool:
    return user is None or user.can("grid.dispatch")


def works_grid(user, grid_id: int) -> bool:
    """The user is the grid's 网格长 or one of its 网格员 (one query, cached on the user)."""
    if user is None or getattr(user, "pk", None) is None:
        return False
    cache = user.__dict__.get("_grids_worked")
    if cache is None:
        cache = set(Grid.objects.filter(leader=user).values_list("pk", flat=True)) | set(
            Grid.workers.through.objects.filter(user=user).values_list("grid_id", flat=True))
        user.__dict__["_grids_worked"] = cache
    return grid_id in cache


def may_handle(user, event: GridEvent) -> bool:
    """The unit it is routed to; for an event handed to its own village or community, also the
    grid's workers (小事不出格)."""
    if user is None:
        return True
    if event.assigned_unit_id is None:
        return False
    if user.can("grid.handle", unit=event.assigned_unit_id):
        return True
    return event.assigned_unit_id == event.grid.unit_id and works_grid(user, event.grid_id)


def may_verify(user, event: GridEvent) -> bool:
    """The centre, or the grid's own workers checking on site."""
    return may_dispatch(user) or works_grid(user, event.grid_id)


def may_evaluate(user, event: GridEvent) -> bool:
    """The public's satisfaction, recorded by the centre or the person who reported it."""
    return may_dispatch(user) or (getattr(user, "pk", None) is not None and event.reported_by_id == user.pk)


def may_report(user) -> bool:
    return user is None or user.can("grid.report")


def may_manage(user) -> bool:
    return user is None or user.can("grid.manage")


# ---------------------------------------------------------------- input



def _choice(value, choices, *, field: str, label: str, default: str) -> str:
    if value in (None, ""):
        return default
    if value in choices.values:
        return value
    by_label = {str(lbl): v for v, lbl in choices.choices}
    if value in by_label:
        return by_label[value]
    allowed = "、".join(str(lbl) for _, lbl in choices.choices)
    raise ApplicationError(f"{label}“{value}”不正确，应为{allowed}之一。", field=field)


# Pictures by their first bytes: a file named .jpg that is not one is refused.
IMAGE_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
)
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif"}
MAX_PHOTOS = 6


def photo_max_bytes() -> int:
    return settings.YUANQU_GRID_PHOTO_MAX_MB * 1024 * 1024


def image_kind(head: bytes) -> str | None:
    for signature, kind in IMAGE_SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "HEIC"
    return None


def check_photos(files: Iterable, *, field: str = "photos") -> list:
    """Photos from a phone: at most six, each a picture (by its content) of at most the limit."""
    files = [f for f in files if f]
    if len(files) > MAX_PHOTOS:
        raise ApplicationError(f"照片最多{MAX_PHOTOS}张，收到{len(files)}张。", field=field)
    limit = photo_max_bytes()
    for file in files:
        name = getattr(file, "name", "") or "照片"
        if file.size > limit:
            raise ApplicationError(f"照片“{name}”有{file.size / 1024 / 1024:.1f}MB，超过{settings.YUANQU_GRID_PHOTO_MAX_MB}MB，"
                                   "请降低相机分辨率后重拍。", field=field)
        file.seek(0)
        head = file.read(16)
        file.seek(0)
        if image_kind(head) is None:
            raise ApplicationError(f"“{name}”不是图片，照片应为 JPG、PNG、GIF、WebP 或 HEIC 格式。", field=field)
    return files


def _save_photos(event: GridEvent, files: list, *, stage: str, actor) -> None:
    for file in files:
        photo = EventPhoto(event=event, stage=stage, name=(getattr(file, "name", "") or "照片")[:200], size=file.size,
                           uploaded_by=actor if getattr(actor, "pk", None) else None)
        photo.image.save(photo.name, file, save=False)
        photo.save()


def _coordinate(value, *, field: str, label: str, bound: int):
    if value in (None, ""):
        return None
    number = to_decimal(value, label, field=field)
    if not -bound <= number <= bound:
        raise ApplicationError(f"{label}“{value}”超出范围（-{bound}～{bound}）。", field=field)
    return number.quantize(type(number)("0.000001"))


# ---------------------------------------------------------------- routing and time limits


def on_negative_list(category: EventCategory, marked: dict | None = None) -> EventCategory | None:
    """The category, or the class above it, that puts it on the negative list (one query, none when
    a batch gives the listed categories by id)."""
    ids = ancestor_ids(category.path)
    if marked is None:
        marked = {c.pk: c for c in EventCategory.objects.filter(pk__in=ids, negative_list=True)}
    return next((marked[i] for i in reversed(ids) if i in marked), None)


def check_not_excluded(category: EventCategory, unit: OrgUnit, *, field: str = "unit",
                       listed: dict | None = None) -> None:
    """A negative-list matter never goes to a village or community for its grid workers."""
    if unit.kind not in GRID_UNIT_KINDS:
        return
    marked = on_negative_list(category, listed)
    if marked is not None:
        basis = f"（{marked.negative_basis}）" if marked.negative_basis else ""
        raise ApplicationError(f"“{category.name}”属于网格事项负面清单{basis}，不能分拨给{unit.name}由网格员办理，"
                               "请分拨给职能部门。", field=field)


def route(category: EventCategory, grid: Grid, rules: list[RoutingRule] | None = None) -> RoutingRule | None:
    """The routing rule for a category in a grid: the nearest category first (a rule for 城市管理
    covers 道路设施损坏 unless that has its own), then a grid over a unit's area (the smaller area
    first) over anywhere. One query (two with co-units) unless the rules are given."""
    ancestors = ancestor_ids(category.path)
    if rules is None:
        rules = list(RoutingRule.objects.filter(category_id__in=ancestors).select_related("area", "unit")
                     .prefetch_related("co_units"))
    grid_path = grid.unit.path
    best, best_key = None, None
    for rule in rules:
        if rule.category_id not in ancestors:
            continue
        if rule.grid_id is not None:
            if rule.grid_id != grid.pk:
                continue
            place = (2, 0)
        elif rule.area_id is not None:
            if not grid_path.startswith(rule.area.path):
                continue
            place = (1, len(rule.area.path))
        else:
            place = (0, 0)
        key = (ancestors.index(rule.category_id), place)
        if best_key is None or key > best_key:
            best, best_key = rule, key
    return best


def end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


class Deadlines:
    """The time-limit rules read once (and the work calendar once for a span), for one event or a
    whole batch (the demo, a recomputation)."""

    def __init__(self, rules: Iterable[SlaRule] | None = None, calendar: WorkCalendar | None = None):
        self.rules = list(rules) if rules is not None else list(SlaRule.objects.select_related("category"))
        self.calendar = calendar

    def rule(self, category: EventCategory, severity: str, stage: str) -> SlaRule | None:
        """The nearest category's rule (its own, its class's, then the rule for all), a rule for
        the severity before one for any."""
        ancestors = ancestor_ids(category.path)
        best, best_key = None, None
        for rule in self.rules:
            if rule.stage != stage or (rule.severity and rule.severity != severity):
                continue
            if rule.category_id is None:
                depth = -1
            elif rule.category_id in ancestors:
                depth = ancestors.index(rule.category_id)
            else:
                continue
            key = (depth, bool(rule.severity))
            if best_key is None or key > best_key:
                best, best_key = rule, key
        return best

    def due(self, start: dt.datetime, rule: SlaRule | None) -> dt.datetime | None:
        """Hours from the moment; days to the end of the N-th (working) day after the day (the day
        of dispatch does not count)."""
        if rule is None:
            return None
        if rule.day_type == DayType.HOURS:
            return start + dt.timedelta(hours=rule.amount)
        day = timezone.localtime(start).date()
        if rule.day_type == DayType.CALENDAR:
            return end_of_day(day + dt.timedelta(days=rule.amount))
        return end_of_day(nth_workday_after(day, rule.amount, calendar=self.calendar))


LIMIT_WORDING = {DayType.HOURS: "{}小时", DayType.WORKING: "{}个工作日", DayType.CALENDAR: "{}天"}


def describe_limit(rule: SlaRule | None) -> str:
    return LIMIT_WORDING[rule.day_type].format(rule.amount) if rule else ""


# ---------------------------------------------------------------- reporting


def _next_number(event: GridEvent) -> str:
    return f"WG{event.reported_at:%Y}{event.pk:06d}"


def _set_event(actor, event: GridEvent, data: dict) -> None:
    if "category" in data:
        category = pick(EventCategory.objects.filter(is_active=True), data["category"], field="category",
                         label="事件类别")
        if category is None:
            raise ApplicationError("请选择事件类别。", field="category")
        event.category = category
    if "grid" in data:
        grid = pick(Grid.objects.filter(is_active=True).select_related("unit"), data["grid"], field="grid",
                     label="网格")
        if grid is None:
            raise ApplicationError("请选择事件所在网格。", field="grid")
        event.grid = grid
    if "source" in data:
        event.source = _choice(data["source"], Source, field="source", label="来源", default=Source.PATROL)
    if "severity" in data:
        event.severity = _choice(data["severity"], Severity, field="severity", label="紧急程度", default=Severity.NORMAL)
    for key in ("description", "address", "source_number"):
        if key in data:
            setattr(event, key, (data[key] or "").strip())
    if "latitude" in data:
        event.latitude = _coordinate(data["latitude"], field="latitude", label="纬度", bound=90)
    if "longitude" in data:
        event.longitude = _coordinate(data["longitude"], field="longitude", label="经度", bound=180)
    if event.category_id is None:
        raise ApplicationError("请选择事件类别。", field="category")
    if event.grid_id is None:
        raise ApplicationError("请选择事件所在网格。", field="grid")
    if not event.description:
        raise ApplicationError("请填写事件描述。", field="description")
    if (event.latitude is None) != (event.longitude is None):
        raise ApplicationError("位置须同时有经度和纬度。", field="latitude" if event.latitude is None else "longitude")


@transaction.atomic
def event_create(*, actor, data: dict, photos: Iterable = (), is_demo: bool = False,
                 at: dt.datetime | None = None, as_reporter: bool = True) -> GridEvent:
    """上报: in a grid the reporter works (the centre reports anywhere), with photos. An import
    is not its actor's report (`as_reporter=False`): the grid workers' figures leave it out."""
    if not may_report(actor):
        raise PermissionDeniedError("只有网格员和网格指挥中心可以上报网格事件。")
    files = check_photos(photos)
    event = GridEvent(reported_by=actor if as_reporter and getattr(actor, "pk", None) else None, is_demo=is_demo,
                      reported_at=at or now(), number="")
    _set_event(actor, event, {"source": "", "severity": "", **data})
    if actor is not None and not may_dispatch(actor) and not works_grid(actor, event.grid_id):
        raise ApplicationError(f"您不是“{event.grid.name}”的网格员，只能在本人负责的网格上报事件。", field="grid")
    event.number = uuid.uuid4().hex[:20]  # until the id gives the number
    validate(event, exclude=["number"])
    event.save()
    event.number = _next_number(event)
    GridEvent.objects.filter(pk=event.pk).update(number=event.number)
    _save_photos(event, files, stage=EventPhoto.Stage.REPORT, actor=actor)
    record_change(actor=actor, obj=event, action=ChangeRecord.Action.CREATE,
                  after={**snapshot(event, (*GridEvent.WRITABLE_FIELDS, "source_number", "state")),
                         "photos": len(files)})
    return event


@transaction.atomic
def event_import(*, actor, data: dict, at: dt.datetime | None = None, deadlines: Deadlines | None = None,
                 rules: list[RoutingRule] | None = None) -> GridEvent:
    """An event from another system's export (a 12345 ticket): reported when the export says,
    accepted at once (the hotline took it in), and dispatched now to the unit given or by the
    routing rules, so its time limits run from the import like any dispatch. With neither it
    waits 待分拨 for the centre. `deadlines` and `rules` are read once for a whole file."""
    data = dict(data)
    reported_at = data.pop("reported_at", None) or now()
    unit = data.pop("assigned_unit", None)
    moment = at or now()
    if reported_at > moment:
        raise ApplicationError(f"上报时间（{timezone.localtime(reported_at):%Y-%m-%d %H:%M}）晚于当前时间。",
                               field="reported_at")
    event = event_create(actor=actor, data={"source": Source.HOTLINE, **data}, at=reported_at, as_reporter=False)
    event = event_step(actor=actor, event=event, action=Action.ACCEPT, at=moment, comment="导入")
    if unit is None and route(event.category, event.grid, rules) is None:
        return event
    return event_step(actor=actor, event=event, action=Action.DISPATCH, at=moment, unit=unit, rules=rules,
                      deadlines=deadlines)


@transaction.atomic
def event_delete(*, actor, event: GridEvent) -> None:
    """Remove an event (an import reverted); its history keeps what it was."""
    if not may_dispatch(actor):
        raise PermissionDeniedError("只有网格指挥中心和系统管理员可以删除网格事件。")
    delete_record(actor=actor, obj=event, fields=(*GridEvent.WRITABLE_FIELDS, "source_number", "state"))


# ---------------------------------------------------------------- the lifecycle


def _units_up(unit: OrgUnit) -> list[int]:
    """The unit's ancestors, nearest first."""
    return list(reversed(ancestor_ids(unit.path)[:-1]))


def _check_dispatch(step: Step) -> None:
    event = step.obj
    unit = resolve_unit(step.data.get("unit"), field="unit", label="承办单位")
    co_units = step.data.get("co_units")
    rule = None
    if unit is None:
        rule = route(event.category, event.grid, step.data.get("rules"))
        if rule is None:
            raise ApplicationError(f"“{event.category.name}”在{event.grid.name}没有分拨规则，请选择承办单位。",
                                   field="unit")
        unit = rule.unit_for(event.grid)
        if co_units is None:
            co_units = list(rule.co_units.all())
    check_not_excluded(event.category, unit, listed=step.data.get("negative_list"))
    co = []
    for value in co_units or []:
        found = resolve_unit(value, field="co_units", label="协办单位")
        if found.pk == unit.pk:
            raise ApplicationError(f"{unit.name}已是承办单位，不能同时为协办单位。", field="co_units")
        if found not in co:
            co.append(found)
    deadlines = step.data.get("deadlines") or Deadlines()
    step.extra.update(unit=unit, co_units=co, rule=rule, deadlines=deadlines)


def _dispatch(step: Step) -> None:
    event, deadlines = step.obj, step.extra["deadlines"]
    event.assigned_unit = step.extra["unit"]
    event.dispatched_at = step.at
    sign = deadlines.rule(event.category, event.severity, Stage.SIGN)
    resolve = deadlines.rule(event.category, event.severity, Stage.RESOLVE)
    event.sign_due_at = deadlines.due(step.at, sign)
    event.due_at = deadlines.due(step.at, resolve)
    event.limit = describe_limit(resolve)
    event.escalation_level, event.escalated_to, event.escalated_on = 0, None, None
    if event.pk is not None:
        event.co_units.set(step.extra["co_units"])


def _describe_dispatch(step: Step) -> str:
    text = f"分拨至{step.extra['unit'].name}"
    if step.extra["co_units"]:
        text += "，协办：" + "、".join(u.name for u in step.extra["co_units"])
    if step.extra["rule"] is not None:
        text += "（按分拨规则）"
    if step.obj.limit:
        text += f"，处置时限{step.obj.limit}"
    return text + (f"。{step.comment}" if step.comment else "")


def _notify_dispatch(event: GridEvent) -> None:
    """The unit hears of it (event_step's, not a hook: the demo replays dispatches without notices)."""
    url = reverse("grid:event", args=[event.pk])
    for person in unit_holders("grid.handle", [event.assigned_unit_id]).get(event.assigned_unit_id, []):
        notify_once(recipient=person, key=f"grid:dispatch:{event.pk}:{event.version}", kind="grid",
                    title=f"网格事件{event.number}已分拨给{event.assigned_unit.name}，请签收",
                    body=event.description[:300], url=url)


def _sign(step: Step) -> None:
    step.obj.signed_at = step.at


def _feedback(step: Step) -> None:
    step.obj.result = step.comment
    step.obj.fed_back_at = step.at


def _return(step: Step) -> None:
    event = step.obj
    step.extra["previous"] = event.assigned_unit
    event.assigned_unit = None
    event.dispatched_at = event.sign_due_at = event.due_at = event.signed_at = None
    event.limit = ""
    if event.pk is not None:
        event.co_units.clear()


def _describe_return(step: Step) -> str:
    return f"{step.extra['previous'].name}退回：{step.comment}"


def _verify_fail(step: Step) -> None:
    # The answer did not hold: the unit's clock runs on until it answers again.
    step.obj.fed_back_at = None
    step.obj.verify_failures += 1


def _close(step: Step) -> None:
    step.obj.closed_at = step.at


def _evaluate(step: Step) -> None:
    step.obj.satisfaction = step.extra["satisfaction"]


def missed(event: GridEvent, now: dt.datetime) -> str:
    """Which limit the event has missed and is still open on: 签收, 反馈 or ""."""
    if event.state == State.DISPATCHED and event.sign_due_at is not None and now > event.sign_due_at:
        return "签收"
    if event.state in UNANSWERED and event.due_at is not None and now > event.due_at:
        return "反馈"
    return ""


def _check_escalate(step: Step) -> None:
    event, now = step.obj, step.at
    what = missed(event, now)
    if not what:
        raise ApplicationError(f"事件{event.number}未超过时限，不需要升级。")
    today = timezone.localtime(now).date()
    if event.escalated_on == today:
        raise ConflictError(f"事件{event.number}今天已升级。")
    above = _units_up(event.assigned_unit)
    level = event.escalation_level + 1
    if level > len(above):
        raise ConflictError(f"事件{event.number}已升级至最高一级。")
    step.extra.update(what=what, unit=OrgUnit.objects.get(pk=above[level - 1]), level=level, today=today)


def _escalate(step: Step) -> None:
    event = step.obj
    event.escalation_level = step.extra["level"]
    event.escalated_to = step.extra["unit"]
    event.escalated_on = step.extra["today"]


def _describe_escalate(step: Step) -> str:
    return f"超过{step.extra['what']}时限，第{step.extra['level']}次升级至{step.extra['unit'].name}"


def _effect_escalate(step: Step) -> None:
    event, unit = step.obj, step.extra["unit"]
    people = list(unit_holders("grid.handle", [unit.pk]).get(unit.pk, []))
    if unit.parent_id is None:  # the top: the command centre answers for it
        people += [u for u in users_holding("grid.dispatch").filter(is_active=True) if u not in people]
    url = reverse("grid:event", args=[event.pk])
    for person in people:
        step.extra.setdefault("notified", []).append(notify_once(
            recipient=person, key=f"grid:escalate:{event.pk}:{event.escalation_level}", kind="grid",
            title=f"网格事件{event.number}超过{step.extra['what']}时限，已升级至{unit.name}",
            body=f"承办单位：{event.assigned_unit.name}；{event.description[:200]}", url=url))


def _raise(step: Step) -> None:
    event = step.obj
    unit = event.assigned_unit or event.grid.unit
    raise_item(step, title=f"督办网格事件{event.number}：{event.category.name}（{event.grid.name}）",
               source_text=f"网格事件{event.number}（{event.get_source_display()}，{event.grid.name}"
                           f"{('，' + event.address) if event.address else ''}，"
                           f"{timezone.localtime(event.reported_at):%Y年%m月%d日}上报，承办单位：{unit.name}）："
                           f"{event.description}",
               lead_unit=unit.pk, deadline=step.data.get("deadline"),
               source_kind="grid_event", url="grid:event", today=timezone.localtime(step.at).date())


RAISABLE = (State.ACCEPTED, *UNANSWERED, State.FED_BACK, State.VERIFIED)

EVENT_FLOW = Workflow(
    model=GridEvent,
    event_model=EventStep,
    event_fk="grid_event",
    name=lambda e: f"事件{e.number}",
    lock=lambda pk: GridEvent.objects.select_for_update(of=("self",))
    .select_related("grid__unit", "category", "assigned_unit").get(pk=pk),
    transitions=[
        Transition(Action.ACCEPT, Action.ACCEPT.label, (State.REPORTED,), State.ACCEPTED, may_dispatch),
        Transition(Action.REJECT, Action.REJECT.label, (State.REPORTED,), State.REJECTED, may_dispatch,
                   requires=(Requirement("comment", "不予受理时请填写理由。"),)),
        Transition(Action.DISPATCH, Action.DISPATCH.label, (State.ACCEPTED,), State.DISPATCHED, may_dispatch,
                   check=_check_dispatch, apply=_dispatch, describe=_describe_dispatch,
                   fields=("assigned_unit", "dispatched_at", "sign_due_at", "due_at", "limit")),
        Transition(Action.SIGN, Action.SIGN.label, (State.DISPATCHED,), State.SIGNED, may_handle, apply=_sign,
                   fields=("signed_at",)),
        Transition(Action.HANDLE, Action.HANDLE.label, (State.SIGNED,), State.HANDLING, may_handle),
        Transition(Action.FEEDBACK, Action.FEEDBACK.label, (State.HANDLING,), State.FED_BACK, may_handle,
                   requires=(Requirement("comment", "反馈时请填写处置结果。"),), apply=_feedback,
                   fields=("result", "fed_back_at")),
        Transition(Action.RETURN, Action.RETURN.label, (State.DISPATCHED, State.SIGNED), State.ACCEPTED, may_handle,
                   requires=(Requirement("comment", "退回时请填写理由（如不属本单位职责）。"),), apply=_return,
                   describe=_describe_return, fields=("assigned_unit", "due_at")),
        Transition(Action.VERIFY, Action.VERIFY.label, (State.FED_BACK,), State.VERIFIED, may_verify),
        Transition(Action.VERIFY_FAIL, Action.VERIFY_FAIL.label, (State.FED_BACK,), State.HANDLING, may_verify,
                   requires=(Requirement("comment", "核查不通过时请写明现场情况。"),), apply=_verify_fail,
                   fields=("fed_back_at", "verify_failures")),
        Transition(Action.CLOSE, Action.CLOSE.label, (State.VERIFIED,), State.CLOSED, may_dispatch, apply=_close,
                   fields=("closed_at",)),
        Transition(Action.EVALUATE, Action.EVALUATE.label, (State.CLOSED,), State.EVALUATED, may_evaluate,
                   requires=(Requirement("satisfaction", "请填写群众满意度（1–5 分）。"),), check=check_satisfaction,
                   apply=_evaluate, describe=describe_evaluation, fields=("satisfaction",)),
        Transition(Action.ESCALATE, Action.ESCALATE.label, UNANSWERED, None, may_dispatch, check=_check_escalate,
                   apply=_escalate, describe=_describe_escalate, effect=_effect_escalate,
                   fields=("escalation_level", "escalated_to", "escalated_on")),
        Transition(Action.RAISE, Action.RAISE.label, RAISABLE, None, may_dispatch,
                   requires=(Requirement("deadline", "提请督办时请填写督办办理期限。"),),
                   check=partial(check_not_raised, noun="事件"), apply=_raise, describe=describe_raise, fields=("supervision_item",)),
    ],
)
# Steps the pages and the API offer (escalation is the daily run's).
ACTIONS = tuple(t.action for t in EVENT_FLOW if t.action != Action.ESCALATE)


def allowed_actions(user, event: GridEvent) -> list[str]:
    return [t.action for t in EVENT_FLOW.available(user, event) if t.action in ACTIONS]


@transaction.atomic
def event_step(*, actor, event: GridEvent | int, action: str, expected_version=None, photos: Iterable = (),
               at: dt.datetime | None = None, **data) -> GridEvent:
    """Take one lifecycle step (反馈 may carry photos of the result); a refusal writes nothing."""
    if action not in ACTIONS:
        raise ApplicationError(f"未知的操作“{action}”。", field="action")
    files = check_photos(photos)
    if files and action != Action.FEEDBACK:
        raise ApplicationError("只有上报和反馈时可以附照片。", field="photos")
    try:
        step = EVENT_FLOW.transition(event, action, actor=actor, expected_version=expected_version,
                                     at=at or now(), **data)
    except ApplicationError as exc:
        # A step from the wrong state (core.workflow.refused) is about the event's 状态: name it,
        # so the API says which field and the pages mark it like any other refusal.
        if type(exc) is ApplicationError and exc.field is None and exc.message.startswith("当前状态为“"):
            exc.field = "state"
        raise
    if files:
        _save_photos(step.obj, files, stage=EventPhoto.Stage.FEEDBACK, actor=actor)
    if action == Action.DISPATCH:
        _notify_dispatch(step.obj)
    return step.obj


def overdue_to_escalate(now: dt.datetime) -> list[GridEvent]:
    """The open events past their 签收 or 反馈 limit not yet escalated today, below the top (one query)."""
    today = timezone.localtime(now).date()
    late = GridEvent.open_overdue_q(now) | Q(state=State.DISPATCHED, sign_due_at__lt=now)
    found = (GridEvent.objects.filter(late).exclude(escalated_on=today).select_related("assigned_unit")
             .order_by("pk"))
    return [e for e in found if e.escalation_level < len(_units_up(e.assigned_unit))]


def event_escalate(event: GridEvent, *, now: dt.datetime) -> list:
    """One level up (the daily run's step): the notices it sent (None for one already sent)."""
    step = EVENT_FLOW.transition(event.pk, Action.ESCALATE, actor=None, at=now)
    return step.extra.get("notified", [])


# ---------------------------------------------------------------- the registry (pages, API, admin)


def _set_grid(grid: Grid, data: dict) -> dict:
    m2m = {}
    if "unit" in data:
        unit = resolve_unit(data["unit"], field="unit", label="所属村/社区")
        if unit is None:
            raise ApplicationError("请选择网格所属的村或社区。", field="unit")
        if unit.kind not in GRID_UNIT_KINDS:
            raise ApplicationError(f"网格应建在村或社区下，“{unit.name}”是{unit.get_kind_display()}。", field="unit")
        grid.unit = unit
    for key in ("code", "name"):
        if key in data:
            setattr(grid, key, (data[key] or "").strip())
    if "kind" in data:
        grid.kind = data["kind"]
    for key in ("households", "population"):
        if key in data:
            value = data[key]
            if value in (None, ""):
                value = 0
            try:
                value = int(value)
            except (TypeError, ValueError):
                label = "户数" if key == "households" else "人口"
                raise ApplicationError(f"{label}“{value}”不是整数。", field=key) from None
            setattr(grid, key, value)
    if "polygon" in data:
        grid.polygon = _polygon(data["polygon"])
    if "leader" in data:
        grid.leader = _user(data["leader"], field="leader", label="网格长")
    if "is_active" in data:
        grid.is_active = bool(data["is_active"])
    if "workers" in data:
        m2m["workers"] = [_user(w, field="workers", label="网格员") for w in data["workers"] or []]
    return m2m


def _polygon(value):
    import json

    from yuanqu.land.geometry import GeometryError, clean_geometry

    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ApplicationError("网格边界不是有效的 GeoJSON。", field="polygon") from None
    try:
        return clean_geometry(value)
    except GeometryError as exc:
        raise ApplicationError(f"网格边界：{exc}", field="polygon") from None


def _user(value, *, field: str, label: str):
    from yuanqu.org.models import User

    if value in (None, ""):
        return None
    if isinstance(value, User):
        return value
    return pick(User.objects.filter(is_active=True), value, field=field, label=label)


@transaction.atomic
def grid_save(*, actor, grid: Grid | None, data: dict, is_demo: bool = False, expected_version=None) -> Grid:
    if not may_manage(actor):
        raise PermissionDeniedError("只有网格指挥中心和系统管理员可以维护网格。")
    if grid is None or grid.pk is None:
        grid = Grid(is_demo=is_demo)
        m2m = _set_grid(grid, data)
        if not grid.code:
            raise ApplicationError("请填写网格编码。", field="code")
        return create_record(actor=actor, obj=grid, m2m={"workers": m2m["workers"]} if m2m.get("workers") else None)
    grid = Grid.objects.select_for_update().get(pk=grid.pk)
    update_record(actor=actor, obj=grid, fields=Grid.WRITABLE_FIELDS, apply=lambda: _set_grid(grid, data),
                  expected_version=expected_version)
    return grid


@transaction.atomic
def grid_object_add(*, actor, grid: Grid, data: dict) -> GridObject:
    if not may_manage(actor):
        raise PermissionDeniedError("只有网格指挥中心和系统管理员可以维护网格。")
    obj = GridObject(grid=grid, kind=data.get("kind") or GridObject.Kind.PLACE, name=(data.get("name") or "").strip(),
                     address=(data.get("address") or "").strip(), note=(data.get("note") or "").strip())
    if data.get("enterprise"):
        from yuanqu.enterprises.models import Enterprise

        obj.enterprise = pick(Enterprise.objects.all(), data["enterprise"], field="enterprise", label="企业")
        obj.kind = GridObject.Kind.ENTERPRISE
        obj.name = obj.name or obj.enterprise.name
    if not obj.name:
        raise ApplicationError("请填写重点场所或企业的名称。", field="name")
    validate(obj)
    obj.save()
    record_change(actor=actor, obj=grid, action=ChangeRecord.Action.UPDATE, before={},
                  after={"objects_in": f"{obj.get_kind_display()}：{obj.name}"}, note="添加重点场所/企业")
    return obj


def _set_category(category: EventCategory, data: dict) -> None:
    for key in EventCategory.WRITABLE_FIELDS:
        if key in data:
            setattr(category, key, data[key].strip() if isinstance(data[key], str) else data[key])
    if "parent" in data:
        category.parent = pick(EventCategory.objects.all(), data["parent"], field="parent", label="上级类别")


@transaction.atomic
def category_save(*, actor, category: EventCategory | None, data: dict, expected_version=None) -> EventCategory:
    if not may_manage(actor):
        raise PermissionDeniedError("只有网格指挥中心和系统管理员可以维护事件类别。")
    return save_record(actor=actor, obj=category, model=EventCategory, apply=lambda c: _set_category(c, data),
                       expected_version=expected_version)


@transaction.atomic
def routing_rule_save(*, actor, rule: RoutingRule | None, data: dict, is_demo: bool = False,
                      expected_version=None) -> RoutingRule:
    """A routing rule; one sending a negative-list matter to a village or community is refused."""
    if not may_manage(actor):
        raise PermissionDeniedError("只有网格指挥中心和系统管理员可以维护分拨规则。")
    creating = rule is None or rule.pk is None
    rule = RoutingRule(is_demo=is_demo) if creating else RoutingRule.objects.select_for_update().get(pk=rule.pk)

    def apply():
        if "category" in data:
            rule.category = pick(EventCategory.objects.all(), data["category"], field="category", label="事件类别")
        if "grid" in data:
            rule.grid = pick(Grid.objects.all(), data["grid"], field="grid", label="网格")
        if "area" in data:
            rule.area = resolve_unit(data["area"], field="area", label="区域")
        if "unit" in data:
            rule.unit = resolve_unit(data["unit"], field="unit", label="承办单位")
        if "own_unit" in data:
            rule.own_unit = bool(data["own_unit"])
        if rule.category_id is None:
            raise ApplicationError("请选择事件类别。", field="category")
        if rule.own_unit:
            rule.unit = None
            if on_negative_list(rule.category) is not None:
                raise ApplicationError(f"“{rule.category.name}”属于网格事项负面清单，不能交网格所在村/社区办理。",
                                       field="own_unit")
        elif rule.unit_id is None:
            raise ApplicationError("请选择承办单位，或勾选“交网格所在村/社区办理”。", field="unit")
        else:
            check_not_excluded(rule.category, rule.unit)
        if rule.grid_id is not None and rule.area_id is not None:
            raise ApplicationError("网格和区域只能填一项：规则用于一个网格，或一个区域下的网格。", field="area")
        _check_rule_once(rule)
        if "co_units" in data:
            return {"co_units": [resolve_unit(u, field="co_units", label="协办单位") for u in data["co_units"] or []]}
        return None

    if creating:
        m2m = apply() or {}
        return create_record(actor=actor, obj=rule, m2m={"co_units": m2m.get("co_units", [])})
    update_record(actor=actor, obj=rule, fields=RoutingRule.WRITABLE_FIELDS, apply=apply,
                  expected_version=expected_version)
    return rule


def _check_rule_once(rule: RoutingRule) -> None:
    """One rule per category and place (a grid, an area, or everywhere): two would leave the
    routing to chance."""
    twin = RoutingRule.objects.filter(category=rule.category_id, grid=rule.grid_id, area=rule.area_id)
    if rule.pk is not None:
        twin = twin.exclude(pk=rule.pk)
    if twin.exists():
        where = f"“{rule.grid.name}”" if rule.grid_id else f"“{rule.area.name}”" if rule.area_id else "全部网格"
        raise ApplicationError(f"“{rule.category.name}”在{where}已有分拨规则，请修改那一条。",
                               field="grid" if rule.grid_id else "area" if rule.area_id else "category")


@transaction.atomic
def routing_rule_delete(*, actor, rule: RoutingRule) -> None:
    """Stop a rule (events already dispatched keep their unit); its history keeps what it said."""
    if not may_manage(actor):
        raise PermissionDeniedError("只有网格指挥中心和系统管理员可以维护分拨规则。")
    delete_record(actor=actor, obj=rule)


@transaction.atomic
def sla_rule_save(*, actor, rule: SlaRule | None, data: dict, expected_version=None) -> SlaRule:
    """A time limit. It applies to events dispatched from then on: limits already given stay."""
    if not may_manage(actor):
        raise PermissionDeniedError("只有网格指挥中心和系统管理员可以维护处置时限。")
    creating = rule is None or rule.pk is None
    rule = SlaRule() if creating else SlaRule.objects.select_for_update().get(pk=rule.pk)

    def apply():
        if "category" in data:
            rule.category = pick(EventCategory.objects.all(), data["category"], field="category", label="事件类别")
        if "severity" in data:
            rule.severity = _choice(data["severity"], Severity, field="severity", label="紧急程度", default="")
        if "stage" in data:
            rule.stage = _choice(data["stage"], Stage, field="stage", label="环节", default=Stage.RESOLVE)
        if "day_type" in data:
            rule.day_type = _choice(data["day_type"], DayType, field="day_type", label="计时方式",
                                    default=DayType.WORKING)
        if "amount" in data:
            raw = data["amount"]
            try:
                amount = int(str(raw).strip())
            except (TypeError, ValueError):
                amount = None
            if amount is None or amount <= 0:
                raise ApplicationError(f"时限应为大于0的整数，收到“{raw}”。", field="amount")
            rule.amount = amount
        twin = SlaRule.objects.filter(category=rule.category_id, severity=rule.severity, stage=rule.stage)
        if rule.pk is not None:
            twin = twin.exclude(pk=rule.pk)
        if twin.exists():
            what = rule.category.name if rule.category_id else "全部类别"
            raise ApplicationError(f"{what}（{rule.get_severity_display() or '任何程度'}）的{rule.get_stage_display()}"
                                   "已有一条，请修改那一条。", field="category")

    if creating:
        apply()
        return create_record(actor=actor, obj=rule)
    update_record(actor=actor, obj=rule, fields=SlaRule.WRITABLE_FIELDS, apply=apply,
                  expected_version=expected_version)
    return rule


@transaction.atomic
def sla_rule_delete(*, actor, rule: SlaRule) -> None:
    """Stop a limit (promises already given stay); its history keeps what it was."""
    if not may_manage(actor):
        raise PermissionDeniedError("只有网格指挥中心和系统管理员可以维护处置时限。")
    delete_record(actor=actor, obj=rule)
