"""Every write on plans, targets, ledger items and reports goes through here.

Each service checks the actor's rights, validates, writes in one transaction and logs the
change (core.history). Pages, the API, the importer and commands all call these.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from yuanqu.core import clock
from yuanqu.core.attachments import ATTACHMENT_MAX_COUNT, check_attachments
from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.ids import parse_id
from yuanqu.core.metrics import get_metric
from yuanqu.core.models import ChangeRecord
from yuanqu.core.notifications import notify_digest, notify_once
from yuanqu.core.parsing import month_start, to_date, to_decimal
from yuanqu.core.services import check_version, soft_delete, update_record, validate
from yuanqu.org.models import OrgUnit
from yuanqu.org.selectors import users_holding
from yuanqu.org.services import resolve_unit

from . import documents, stored
from .documents import PlanDocument
from .models import (
    LedgerItem,
    Measure,
    MetricSnapshot,
    Plan,
    ProgressReport,
    ReportAttachment,
    Section,
    Target,
    counts_things,
)

Action = ChangeRecord.Action

# Extracted kinds that the tracker follows as milestones (a named project is tracked by its step).
EXTRACT_KIND = {"ratio": Target.Kind.RATIO, "quantity": Target.Kind.QUANTITY, "project": Target.Kind.MILESTONE,
                "milestone": Target.Kind.MILESTONE}


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDeniedError(message)


# ---------------------------------------------------------------- plans

MAX_PLAN_BYTES = 2 * 1024 * 1024  # a plan is text: two megabytes is hundreds of pages
# A year's work plan with its task list runs to tens of thousands of characters; ten times that is
# no plan, and extracting or storing it would only tie up the server.
MAX_PLAN_CHARS = 300_000


def check_plan_length(text: str, *, field: str = "text") -> None:
    """The one length rule of a plan's text, for the page, the API and `yuanqu plan` alike."""
    if len(text) > MAX_PLAN_CHARS:
        raise ApplicationError(
            f"计划原文共 {len(text):,} 字，超过上限 {MAX_PLAN_CHARS:,} 字（年度工作计划连同任务表通常只有几万字）。"
            "请确认选择或粘贴的是计划原文，删去附件、附表等多余内容后再导入。", field=field)


def read_plan_paste(text: str) -> PlanDocument:
    """Pasted plan text, its length checked before it is read for task tables."""
    check_plan_length(text)
    return documents.read_pasted(text)


def _too_large(name: str) -> ApplicationError:
    return ApplicationError(f"计划文件“{name}”过大，请上传计划原文（文本、Word、电子表格或 PDF）。", field="file")


def plan_file_document(data: bytes, name: str) -> PlanDocument:
    """A plan file's bytes read under the one rule of the page, the API and `yuanqu plan`: text
    (UTF-8 or GB18030/GBK), Word, a workbook or a PDF; an ApplicationError naming the file."""
    binary = name.lower().endswith(documents.BINARY_SUFFIXES)
    if len(data) > MAX_PLAN_BYTES * (5 if binary else 1):
        raise _too_large(name)
    document = documents.read_document(data, name)
    check_plan_length(document.text, field="file")
    return document


def plan_file_text(data: bytes, name: str) -> str:
    """The plan text of a plan file's bytes (tables rendered with their guessed column mapping)."""
    return plan_file_document(data, name).text


def read_plan_upload(upload) -> PlanDocument:
    """An uploaded plan file, read; an ApplicationError in Chinese naming the file."""
    name = (getattr(upload, "name", "") or "plan.txt").rsplit("/", 1)[-1]
    if upload.size > MAX_PLAN_BYTES * 5:
        raise _too_large(name)
    return plan_file_document(upload.read(), name)


def _import_year(year, draft: dict) -> int:
    """The year the office gave, else the one the text names; a clear message when neither."""
    year = year if year not in (None, "") else draft.get("year")
    if year in (None, ""):
        raise ApplicationError("计划原文中没有写明年度，请填写计划年度（如 2026）。", field="year")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ApplicationError(f"年度“{year}”应为四位数字，如 2026。", field="year") from None
    if not 2000 <= year <= 2100:
        raise ApplicationError(f"年度“{year}”不在 2000–2100 之间。", field="year")
    return year


def _names(values) -> list[str]:
    """Unit names as written, blanks and repeats dropped, order kept."""
    return list(dict.fromkeys("".join(str(v).split()) for v in values or () if v and str(v).strip()))


def _assigned_units(resolver, lead_names: list[str], cooperating_names: list[str]):
    """The lead unit (the first lead as written, when it resolves), the cooperating units (the other
    leads and the cooperating names that resolve, in order) and the names left to map."""
    lead, cooperating, unmapped = None, [], []
    for i, name in enumerate(lead_names + cooperating_names):
        unit = resolver.resolve(name).unit
        if unit is None:
            unmapped.append(name)
        elif i == 0 and lead_names:
            lead = unit
        elif unit != lead and unit not in cooperating:
            cooperating.append(unit)
    return lead, cooperating, unmapped


def _as_written(t: dict, lead_names: list[str], cooperating_names: list[str], unmapped: list[str]) -> dict:
    written = {
        "item": t.get("item"), "deadline_text": t.get("deadline_text"), "ongoing": bool(t.get("ongoing")),
        "leader": t.get("leader"), "lead_units": lead_names, "cooperating_units": cooperating_names,
        "unmapped": unmapped, "steps": t.get("steps"),
    }
    return {k: v for k, v in written.items() if v not in (None, "", [], False)}


def _import_deadline(t: dict, row: int) -> dt.date | None:
    """The task's ISO deadline; none leaves the period ending with the plan year (Target.period_end)."""
    value = t.get("deadline")
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        if "deadline_text" not in t:
            # An extractor that gives only the phrase (全年): kept as written, no date.
            t["deadline_text"] = value
            return None
        raise ApplicationError(f"第{row}个目标的完成期限“{t['deadline_text'] or value}”不是有效日期，"
                               "请在原文中改正后重新导入。", field="deadline") from None


def _nearest(candidates, start):
    """Of the sections (or measures) sharing a number, the last one beginning before `start`."""
    if not candidates:
        return None
    if start is None:
        return candidates[0]
    before = [c for c in candidates if c.source_start is None or c.source_start <= start]
    return before[-1] if before else candidates[0]


@transaction.atomic
@stored.batched
def plan_import_text(*, actor, text: str, year: int | None = None, title: str | None = None,
                     is_demo: bool = False) -> Plan:
    """Make a draft plan from its text: sections, measures and targets as extracted, for review.

    A task list's targets arrive with their deadline, points, lead and cooperating units (names
    resolved to the org tree, org.selectors.UnitResolver); names that match no unit or several
    stay on the target (`as_written["unmapped"]`) for the review page to map. `year` and `title`
    default to what the text names.
    """
    _require(actor is None or actor.can("plans.edit_plan"), "只有督查室或管理员可以导入计划。")
    check_plan_length(text)
    from yuanqu.org.selectors import UnitResolver

    from .extract import PlanTextError, extract  # the extractor loads its tables on first use

    try:
        # The office's year resolves 6月底 and the like; without one, the year the text names.
        draft = extract(text, year=int(year) if year else None)
    except PlanTextError as exc:
        raise ApplicationError(str(exc), field="source_text") from exc
    if draft.get("problems"):
        # A date no calendar has (13月底) or a score not in figures (两分) would be dropped or
        # guessed at: nothing is written until the text is put right.
        raise ApplicationError("计划未导入，原文有误：" + "；".join(draft["problems"]) + "。", field="source_text")
    year = _import_year(year, draft)
    batch = uuid.uuid4()
    plan = Plan(
        year=year, title=(title or draft.get("title") or f"{year}年度工作计划")[:200], source_text=text,
        created_by=actor, is_demo=is_demo,
    )
    validate(plan)
    plan.save()
    record_change(actor=actor, obj=plan, action=Action.IMPORT, after=snapshot(plan, ["year", "title", "status"]),
                  batch=batch, note="从计划原文导入")
    # A document in parts (rules, then an annex of tasks) numbers each part from 一 again: sections
    # are told apart by (part, no), and their titles name the part.
    several_parts = len({x.get("part") for x in draft["sections"]}) > 1
    # Numbering may restart (parts, or two texts pasted together): the same (part, no) can name
    # several sections, so an item belongs to the nearest one before it in the text.
    sections: dict[tuple, list[Section]] = defaultdict(list)
    for order, s in enumerate(draft["sections"]):
        title = f"【{s['part']}】{s['title']}" if several_parts and s.get("part") else s["title"]
        sections[(s.get("part"), s["no"])].append(Section.objects.create(
            plan=plan, no=s["no"], title=title[:300], order=order, source_start=s.get("start"),
            source_end=s.get("end"),
        ))
    if any(t["section"] is None for t in draft["targets"]):
        # Commitments before the first heading (or in a text with none) keep a section of their own.
        sections[(None, None)].append(
            Section.objects.create(plan=plan, no="—", title="总体要求", order=len(draft["sections"])))
    measures: dict[tuple, list[Measure]] = defaultdict(list)
    for order, m in enumerate(draft["measures"]):
        section = _nearest(sections.get((m.get("part"), m["section"])), m.get("start"))
        if section is None:
            continue
        measures[(m.get("part"), m["section"], m["no"])].append(Measure.objects.create(
            section=section, no=m["no"], head=m["head"][:300], order=order, source_start=m.get("start"),
            source_end=m.get("end"),
        ))
    resolver = UnitResolver()
    for order, t in enumerate(draft["targets"]):
        part = t.get("part") if t["section"] is not None else None
        section = _nearest(sections.get((part, t["section"])), t.get("start"))
        if section is None:
            continue
        measure = _nearest([m for m in measures.get((part, t["section"], t.get("measure")), [])
                            if m.section_id == section.pk], t.get("start"))
        lead_names, cooperating_names = _names(t.get("lead_units")), _names(t.get("cooperating_units"))
        lead, cooperating, unmapped = _assigned_units(resolver, lead_names, cooperating_names)
        t = dict(t)
        deadline = _import_deadline(t, order + 1)
        target = Target(
            plan=plan,
            section=section,
            measure=measure,
            title=t["text"][:300],
            indicator=(t.get("indicator") or "")[:200],
            kind=EXTRACT_KIND.get(t.get("kind"), Target.Kind.QUALITATIVE),
            comparator=t.get("comparator") or "",
            target_value=to_decimal(t.get("value"), "目标值", "target_value"),
            target_value_max=to_decimal(t.get("value_max"), "目标上限", "target_value_max"),
            unit=(t.get("unit") or "")[:20],
            milestone=(t.get("milestone") or "")[:30],
            deadline=deadline,
            points=to_decimal(t.get("points"), f"第{order + 1}个目标的分值", "points"),
            lead_unit=lead,
            as_written=_as_written(t, lead_names, cooperating_names, unmapped),
            source_start=t.get("start"),
            source_end=t.get("end"),
            order=order,
            is_demo=is_demo,
        )
        target.save()
        if cooperating:
            target.cooperating_units.set(cooperating)
        record_change(actor=actor, obj=target, action=Action.IMPORT, after=snapshot(target), batch=batch)
    return plan


@transaction.atomic
def plan_update_settings(*, actor, plan: Plan, data: dict, expected_version: int | None = None) -> Plan:
    _require(actor.can("plans.edit_plan"), "只有督查室或管理员可以修改计划设置。")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == Plan.Status.CLOSED:
        raise ApplicationError("计划已关闭，其设置不能再修改（否则会改写历史状态）。")

    def apply():
        for key in ("title", "progress_mode", "gap_basis", "adjustment_approver"):
            if key in data:
                setattr(plan, key, data[key])
        for key, label in (("yellow_band", "黄灯容差"), ("green_band", "绿灯容差")):
            if key in data:
                value = to_decimal(data[key], label, key)
                setattr(plan, key, value if value is not None else Decimal("0"))

    update_record(actor=actor, obj=plan, fields=Plan.WRITABLE_FIELDS, apply=apply, expected_version=expected_version)
    return plan


@transaction.atomic
def plan_activate(*, actor, plan: Plan) -> Plan:
    """Put a reviewed draft into force: every target needs a lead unit first."""
    _require(actor.can("plans.edit_plan"), "只有督查室或管理员可以启用计划。")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.DRAFT:
        raise ApplicationError(f"计划当前为“{plan.get_status_display()}”，只有草稿可以启用。")
    targets = plan.targets.alive()
    if not targets.exists():
        raise ApplicationError("计划中没有目标，无法启用。")
    missing = list(targets.filter(lead_unit__isnull=True).values_list("title", "as_written"))
    if missing:
        unmapped = sum(1 for _title, written in missing if (written or {}).get("unmapped"))
        hint = f"（其中{unmapped}个的单位名称尚待对应，请在审阅页“待对应的单位名称”中处理）" if unmapped else ""
        raise ApplicationError(
            f"还有{len(missing)}个目标未指定牵头单位{hint}，例如："
            + "；".join(f"“{title[:30]}”" for title, _w in missing[:5]),
            field="lead_unit",
        )
    active = Plan.objects.filter(year=plan.year, status=Plan.Status.ACTIVE).exclude(pk=plan.pk).first()
    if active is not None:
        # One plan per year carries the year's lights, cockpit and assessment; a 片区's or a
        # department's tasks belong in it (as its sections), not in a second active plan.
        raise ApplicationError(
            f"{plan.year}年已有执行中的计划“{active.title}”（#{active.pk}）。每个年度只能有一份执行中的计划"
            "（序时进度、驾驶舱和考核都以它为准）；如需启用本计划，请先关闭该计划。")
    plan.status = Plan.Status.ACTIVE
    plan.activated_at = timezone.now()
    plan.version += 1
    plan.save()
    record_change(actor=actor, obj=plan, action=Action.ACTIVATE, before={"status": "draft"},
                  after={"status": "active"})
    return plan


@transaction.atomic
@stored.batched
def plan_discard(*, actor, plan: Plan) -> None:
    """Throw away a draft (a wrong file, a trial import). Only drafts go: nobody has reported on
    them. The change record keeps its title, year, target count and source text, so it can be
    imported again."""
    _require(actor.can("plans.edit_plan"), "只有督查室或管理员可以删除计划草稿。")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.DRAFT:
        raise ApplicationError(f"计划当前为“{plan.get_status_display()}”，只有草稿可以删除；执行中的计划请关闭。")
    before = {"title": plan.title, "year": plan.year, "status": plan.status,
              "targets": plan.targets.alive().count(), "source_text": plan.source_text}
    record_change(actor=actor, obj=plan, action=Action.DELETE, before=before, after=None, note="删除计划草稿")
    try:
        with transaction.atomic():
            # Targets first: a section protects its targets (a target never loses its section).
            Target.objects.filter(plan=plan).delete()
            plan.delete()
    except ProtectedError as exc:
        names = "、".join(sorted({str(o._meta.verbose_name) for o in exc.protected_objects}))
        raise ApplicationError(f"草稿中的目标已被其他记录引用（{names}），不能删除。") from exc


@transaction.atomic
def plan_close(*, actor, plan: Plan) -> Plan:
    _require(actor.can("plans.edit_plan"), "只有督查室或管理员可以关闭计划。")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.ACTIVE:
        raise ApplicationError("只有执行中的计划可以关闭。")
    plan.status = Plan.Status.CLOSED
    plan.version += 1
    plan.save()
    record_change(actor=actor, obj=plan, action=Action.CLOSE, before={"status": "active"},
                  after={"status": "closed"})
    return plan


# ---------------------------------------------------------------- targets


# On an active plan only where a figure is read from may change directly; the commitment itself
# (text, numbers, deadline, units, weight …) changes through an approved adjustment.
DIRECT_ON_ACTIVE = frozenset({"metric", "metric_params"})
ADJUST_INSTEAD = ("计划已启用，目标内容不能直接修改：请在目标页面提交“目标调整”申请（写明理由并附会议纪要或领导批示），"
                  "审批通过后生效。")


def _assert_editable_plan(plan: Plan, changed=None) -> None:
    """Closed plans change no more; an active plan's targets change only where `changed` (the
    fields a direct edit touches; None: the target itself is created or removed) are all in
    DIRECT_ON_ACTIVE."""
    if plan.status == Plan.Status.CLOSED:
        raise ApplicationError("计划已关闭，目标不能再修改。")
    if plan.status == Plan.Status.ACTIVE and (changed is None or set(changed) - DIRECT_ON_ACTIVE):
        raise ApplicationError(ADJUST_INSTEAD)


def _apply_target_data(target: Target, data: dict) -> list[OrgUnit] | None:
    decimal_labels = {"target_value": "目标值", "target_value_max": "目标上限", "baseline": "基数", "weight": "权重",
                      "points": "分值"}
    for key in Target.WRITABLE_FIELDS:
        if key not in data or key == "cooperating_units":  # many-to-many: returned, set after saving
            continue
        value = data[key]
        if key in decimal_labels:
            value = to_decimal(value, decimal_labels[key], key)
            if key == "weight" and value is None:
                value = Decimal("1")
        if key in {"start_date", "deadline"}:
            value = to_date(value, {"start_date": "起始日期", "deadline": "完成期限"}[key], key)
        if key in {"lead_unit", "section", "measure"} and isinstance(value, int | str) and value != "":
            value = _lookup(key, value)
        if value == "" and key in {"lead_unit", "measure", "start_date", "deadline"}:
            value = None
        setattr(target, key, value)
    if target.measure_id and target.measure.section_id != target.section_id:
        raise ApplicationError("所选举措不属于所选章节。", field="measure")
    if target.section.plan_id != target.plan_id:
        raise ApplicationError("所选章节不属于该计划。", field="section")
    if target.period_end < target.period_start:
        # Either date may be a default (the plan year's first or last day): compare the effective ones.
        raise ApplicationError(
            f"完成期限（{target.period_end:%Y-%m-%d}）不能早于起始日期（{target.period_start:%Y-%m-%d}）。",
            field="deadline",
        )
    if target.metric:
        target.metric_params = get_metric(target.metric).clean_params(target.metric_params, check_exists=True)
    else:
        target.metric, target.metric_params = "", {}
    if target.comparator == Target.Comparator.RANGE and target.target_value_max is None:
        raise ApplicationError("区间目标须填写目标上限。", field="target_value_max")
    units = data.get("cooperating_units")
    if units is not None:
        units = [_lookup("lead_unit", u) if not isinstance(u, OrgUnit) else u for u in units]
    return units


def _lookup(key: str, value):
    if key == "lead_unit":
        return resolve_unit(value, field=key, label="单位")
    model = {"section": Section, "measure": Measure}[key]
    try:
        return model.objects.get(pk=parse_id(value))
    except (model.DoesNotExist, ValueError, TypeError):
        label = {"section": "章节", "measure": "举措"}[key]
        raise ApplicationError(f"{label}“{value}”不存在。", field=key) from None


@transaction.atomic
def target_create(*, actor, plan: Plan, data: dict) -> Target:
    _require(actor.can("plans.edit_plan"), "只有督查室或管理员可以新增目标。")
    _assert_editable_plan(plan)
    target = Target(plan=plan, is_demo=plan.is_demo)
    if "section" not in data:
        raise ApplicationError("请选择章节。", field="section")
    units = _apply_target_data(target, data)
    validate(target)
    target.save()
    if units is not None:
        target.cooperating_units.set(units)
    record_change(actor=actor, obj=target, action=Action.CREATE, after=snapshot(target))
    return target


@transaction.atomic
def target_update(*, actor, target: Target, data: dict, expected_version: int | None = None) -> Target:
    _require(actor.can("plans.edit_plan"), "只有督查室或管理员可以修改目标。")
    target = Target.objects.select_for_update().select_related("plan", "section").get(pk=target.pk)
    if target.deleted_at:
        raise ApplicationError("该目标已删除。")
    _assert_editable_plan(target.plan, changed=())

    def apply():
        units = _apply_target_data(target, data)
        return {"cooperating_units": units} if units is not None else None

    changed = update_record(actor=actor, obj=target, fields=Target.WRITABLE_FIELDS, apply=apply,
                            expected_version=expected_version)
    _assert_editable_plan(target.plan, changed=changed)  # raising here undoes the write
    return target


@transaction.atomic
def target_delete(*, actor, target: Target, expected_version: int | None = None) -> None:
    """Soft delete: the row and its history stay; lists no longer show it."""
    _require(actor.can("plans.edit_plan"), "只有督查室或管理员可以删除目标。")
    target = Target.objects.select_for_update().select_related("plan").get(pk=target.pk)
    _assert_editable_plan(target.plan)
    check_version(target, expected_version)
    if target.deleted_at:
        return
    soft_delete(actor=actor, obj=target)


@transaction.atomic
@stored.batched
def target_merge(*, actor, targets: list[Target]) -> Target:
    """Merge extracted fragments into the first: its span grows to cover all, the rest are deleted."""
    _require(actor.can("plans.edit_plan"), "只有督查室或管理员可以合并目标。")
    if len(targets) < 2:
        raise ApplicationError("请至少选择两个目标进行合并。")
    plans = {t.plan_id for t in targets}
    if len(plans) != 1:
        raise ApplicationError("只能合并同一计划中的目标。")
    keep, *rest = sorted(targets, key=lambda t: (t.source_start or 0, t.pk))
    starts = [t.source_start for t in targets if t.source_start is not None]
    ends = [t.source_end for t in targets if t.source_end is not None]
    data = {}
    if starts and ends:
        text = keep.plan.source_text
        data = {"title": text[min(starts):max(ends)][:300]}
    merged = target_update(actor=actor, target=keep, data=data)
    if starts and ends:
        Target.objects.filter(pk=keep.pk).update(source_start=min(starts), source_end=max(ends))
    for t in rest:
        target_delete(actor=actor, target=t)
    merged.refresh_from_db()
    return merged


@transaction.atomic
@stored.batched
def target_bulk_assign(*, actor, plan: Plan, versions: dict[int, int | None], lead_unit=None, deadline=None,
                       points=None) -> list[Target]:
    """Give several targets of a plan one lead unit, deadline and/or score: all or none, each against
    the version the user saw. What is not given (None or "") is left as it is.

    `versions` maps target id to the version shown (None: no check). A target that is gone, out of
    the plan or changed since is named in the refusal and nothing is written.
    """
    _require(actor.can("plans.edit_plan"), "只有督查室或管理员可以批量修改目标。")
    data = {}
    if lead_unit not in (None, ""):
        unit = resolve_unit(lead_unit, field="lead_unit", label="牵头单位")
        if not unit.is_active:
            raise ApplicationError(f"牵头单位“{unit.name}”已停用。", field="lead_unit")
        data["lead_unit"] = unit
    if deadline not in (None, ""):
        data["deadline"] = to_date(deadline, "完成期限", "deadline")
    if points not in (None, ""):
        data["points"] = to_decimal(points, "分值", "points")
        if data["points"] < 0:
            raise ApplicationError("分值不能为负数。", field="points")
    if not data:
        raise ApplicationError("请选择牵头单位，或填写完成期限、分值。", field="lead_unit")
    if not versions:
        raise ApplicationError("请先勾选目标。", field="targets")
    targets = list(
        Target.objects.alive().select_for_update().filter(plan=plan, pk__in=list(versions)).select_related("plan")
    )
    missing = set(versions) - {t.pk for t in targets}
    if missing:
        raise ApplicationError(f"目标{'、'.join(f'#{pk}' for pk in sorted(missing))}不在此计划中或已删除。",
                               field="targets")
    stale = [t for t in targets if versions[t.pk] is not None and versions[t.pk] != t.version]
    if stale:
        raise ConflictError(
            f"所选目标中有{len(stale)}个已被他人修改（如“{stale[0].title[:30]}”），请刷新页面后重新选择。"
        )
    done = []
    for t in targets:
        try:
            done.append(target_update(actor=actor, target=t, data=data))
        except ApplicationError as exc:  # name the target: the office edits dozens at once
            raise ApplicationError(f"目标“{t.title[:30]}”：{exc.message}", field=exc.field) from exc
    return done


def _map_target_units(target: Target, name: str, unit: OrgUnit | None) -> dict:
    """Put `unit` where the name stood on the target (the lead when it was the first lead as written
    and no lead is set yet, else a cooperating unit) and take the name off the unmapped list."""
    written = dict(target.as_written or {})
    written["unmapped"] = [n for n in written.get("unmapped", []) if n != name]
    if not written["unmapped"]:
        del written["unmapped"]
    target.as_written = written
    if unit is None:
        return {}
    leads = written.get("lead_units", [])
    if leads and leads[0] == name and target.lead_unit_id is None:
        target.lead_unit = unit
        return {}
    cooperating = list(target.cooperating_units.all())
    if unit.pk != target.lead_unit_id and unit not in cooperating:
        return {"cooperating_units": [*cooperating, unit]}
    return {}


@transaction.atomic
@stored.batched
def plan_map_unit_name(*, actor, plan: Plan, name: str, unit=None, new_unit: dict | None = None,
                       keep_alias: bool = False, ignore: bool = False, expected_version=None) -> dict:
    """Map a unit name as written, which matched no unit or several, to one unit on every target of
    the plan that carries it: to an existing unit, to a unit created now (`new_unit`: name, parent,
    kind; administrators only), or to nothing (`ignore`: the name is dropped, e.g. 各有关单位).
    With `keep_alias` the name becomes an alias of the unit, so the next import resolves it.

    `expected_version` is the plan's version the list was read at; the mapping bumps it, so a
    second office mapping from the same list is told to refresh. All or nothing.
    Returns {"name", "unit", "targets": count}.
    """
    from yuanqu.org.services import orgunit_create, unit_alias_add

    _require(actor.can("plans.edit_plan"), "只有督查室或管理员可以对应单位名称。")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _assert_editable_plan(plan)
    check_version(plan, expected_version, name=f"计划“{plan.title}”")
    name = "".join((name or "").split())
    if not name:
        raise ApplicationError("请给出要对应的单位名称。", field="name")
    targets = [t for t in plan.targets.alive().select_for_update().order_by("pk") if name in t.unmapped_units]
    if not targets:
        raise ApplicationError(f"本计划中没有待对应的单位名称“{name}”（可能已被处理），请刷新页面。", field="name")
    if ignore:
        unit = None
    elif new_unit:
        unit = orgunit_create(actor=actor, **new_unit)
    else:
        unit = resolve_unit(unit, field="unit", label="单位")
        if unit is None:
            raise ApplicationError(f"请为“{name}”选择对应的单位。", field="unit")
        if not unit.is_active:
            raise ApplicationError(f"单位“{unit.name}”已停用，请选择其他单位。", field="unit")
    if keep_alias and unit is not None and name != unit.name:
        unit_alias_add(actor=actor, unit=unit, name=name, note=f"审阅计划“{plan.title}”时保留")
    note = f"单位名称“{name}”" + (f"对应为“{unit.name}”" if unit else "不对应任何单位")
    for target in targets:
        update_record(actor=actor, obj=target, fields=("lead_unit", "cooperating_units", "as_written"),
                      apply=lambda t=target: _map_target_units(t, name, unit), note=note)
    plan.version += 1
    plan.save(update_fields=["version", "updated_at"])
    record_change(actor=actor, obj=plan, action=Action.UPDATE, before={"unit_name": name},
                  after={"unit_name": f"{name} → {unit.name if unit else '（忽略）'}"},
                  note=f"{note}，{len(targets)}个目标")
    return {"name": name, "unit": unit, "targets": len(targets)}


# ---------------------------------------------------------------- ledger items


def can_report(actor, target: Target) -> bool:
    """Whether the actor may file reports on the target (pages ask this to show the button)."""
    return Target.objects.reportable_by(actor).filter(pk=target.pk).exists()


def can_edit_ledger(actor, target: Target, *, reporting: bool | None = None) -> bool:
    """The supervisor prepares ledgers while reviewing a draft; once active, the lead unit keeps them.

    `reporting` is can_report's answer when the caller already has it (saves a query)."""
    if actor.can("plans.edit_plan") and target.plan.status == Plan.Status.DRAFT:
        return True
    return can_report(actor, target) if reporting is None else reporting


def assert_can_report(actor, target: Target) -> None:
    if not can_report(actor, target):
        if target.plan.status != Plan.Status.ACTIVE:
            raise PermissionDeniedError("计划未启用或已关闭，不能填报。")
        raise PermissionDeniedError(f"您无权填报“{target.title[:40]}”：它不由您的单位牵头。")


def _assert_can_edit_ledger(actor, target: Target) -> None:
    if not can_edit_ledger(actor, target):
        assert_can_report(actor, target)  # raises with the reason


@transaction.atomic
def ledger_item_create(*, actor, target: Target, data: dict) -> LedgerItem:
    _assert_can_edit_ledger(actor, target)
    item = LedgerItem(target=target, is_demo=target.is_demo)
    _apply_ledger_data(item, data)
    validate(item)
    item.save()
    record_change(actor=actor, obj=item, action=Action.CREATE, after=snapshot(item))
    return item


def _apply_ledger_data(item: LedgerItem, data: dict) -> None:
    for key in LedgerItem.WRITABLE_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key == "amount":
            value = to_decimal(value, "数量/金额", "amount")
        if key == "unit" and value not in (None, "") and not isinstance(value, OrgUnit):
            value = _lookup("lead_unit", value)
        if value == "" and key in {"unit", "completed_on"}:
            value = None
        setattr(item, key, value)
    if isinstance(item.completed_on, str):
        item.completed_on = to_date(item.completed_on, "完成日期", "completed_on")
    if item.status == LedgerItem.Status.DONE and not item.completed_on:
        item.completed_on = clock.today()
    if item.completed_on and item.completed_on > clock.today():
        raise ApplicationError("完成日期不能晚于今天。", field="completed_on")
    if item.completed_on and item.completed_on.year < item.target.plan.year - 1:
        raise ApplicationError(f"完成日期{item.completed_on:%Y-%m-%d}早于计划年度，请核对。", field="completed_on")


@transaction.atomic
def ledger_item_update(*, actor, item: LedgerItem, data: dict, expected_version: int | None = None) -> LedgerItem:
    item = LedgerItem.objects.select_for_update().select_related("target__plan").get(pk=item.pk)
    _assert_can_edit_ledger(actor, item.target)
    update_record(actor=actor, obj=item, fields=LedgerItem.WRITABLE_FIELDS,
                  apply=lambda: _apply_ledger_data(item, data), expected_version=expected_version)
    return item


@transaction.atomic
def ledger_item_delete(*, actor, item: LedgerItem) -> None:
    item = LedgerItem.objects.select_for_update().select_related("target__plan").get(pk=item.pk)
    _assert_can_edit_ledger(actor, item.target)
    if item.deleted_at:
        return
    soft_delete(actor=actor, obj=item)


# ---------------------------------------------------------------- progress reports


def current_report(target: Target, period: dt.date) -> ProgressReport | None:
    return ProgressReport.objects.filter(target=target, period=period).order_by("-version").first()


@transaction.atomic
def report_submit(
    *,
    actor,
    target: Target,
    period,
    narrative: str,
    value=None,
    percent=None,
    problems: str = "",
    next_steps: str = "",
    files=(),
    keep_attachments=(),
    based_on_version: int | None = None,
    today: dt.date | None = None,
    is_demo: bool = False,
) -> ProgressReport:
    """File a monthly report. A second report for the same month is a new version (the old stays).

    `based_on_version` is the version the form showed (0 for none); a newer one refuses the save.
    `keep_attachments` are ids of the latest version's attachments the new version carries over
    (a correction need not upload its evidence again).
    """
    target = Target.objects.select_for_update().select_related("plan").get(pk=target.pk)
    assert_can_report(actor, target)
    period = month_start(period)
    today = today or clock.today()
    if period > today.replace(day=1):
        raise ApplicationError("不能填报未来月份的进度。", field="period")
    if period.year != target.plan.year:
        raise ApplicationError(f"报告月份须在计划年度{target.plan.year}年内。", field="period")
    latest = current_report(target, period)
    latest_version = latest.version if latest else 0
    if based_on_version is not None and int(based_on_version) != latest_version:
        raise ConflictError(
            f"{period:%Y年%m月}的报告已有第{latest_version}版（您是在第{based_on_version}版上填写的），"
            "请刷新后在最新版本上修改。"
        )
    value = None if target.metric else to_decimal(value, "完成值", "value")  # a bound target's figure is read, not typed
    percent = to_decimal(percent, "完成进度", "percent")
    if target.has_value and value is None:
        raise ApplicationError(f"请填写完成值（单位：{target.unit or '—'}）。", field="value")
    if value is not None and value < 0 and counts_things(target.unit):
        raise ApplicationError(
            f"完成值不能为负数：该目标按“{target.unit}”计数，请填写实际完成的数量（0 或正数）。", field="value"
        )
    reads_figure = target.kind == Target.Kind.LEDGER or target.metric
    if not target.has_value and value is None and percent is None and not reads_figure:
        raise ApplicationError("请填写完成进度（%）。", field="percent")
    if percent is not None and not (0 <= percent <= 100):
        raise ApplicationError("完成进度应在 0–100 之间。", field="percent")
    if not (narrative or "").strip():
        raise ApplicationError("请填写工作进展。", field="narrative")
    files = list(files or ())
    kept = _kept_attachments(latest, keep_attachments)
    check_attachments(files)
    if len(files) + len(kept) > ATTACHMENT_MAX_COUNT:
        raise ApplicationError(f"附件（含保留的上一版附件）最多{ATTACHMENT_MAX_COUNT}个。", field="attachments")
    report = ProgressReport(
        target=target, period=period, version=latest_version + 1, value=value, percent=percent,
        narrative=narrative.strip(), problems=(problems or "").strip(), next_steps=(next_steps or "").strip(),
        submitted_by=actor, is_demo=is_demo,
    )
    validate(report)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ConflictError("该月份的报告刚刚被他人更新，请刷新后重试。") from None
    for f in files:
        ReportAttachment.objects.create(report=report, file=f, name=getattr(f, "name", "附件")[:200])
    for a in kept:  # the same stored file, now also evidence of the new version
        ReportAttachment.objects.create(report=report, file=a.file.name, name=a.name)
    record_change(actor=actor, obj=report, action=Action.SUBMIT,
                  after=snapshot(report, ["period", "version", "value", "percent", "narrative"]))
    if not is_demo:
        _tell_office(report, actor)
    return report


def _kept_attachments(latest: ProgressReport | None, ids) -> list[ReportAttachment]:
    wanted = {parse_id(i) for i in ids or ()}
    if not wanted:
        return []
    kept = list(latest.attachments.filter(pk__in=wanted)) if latest else []
    if None in wanted or len(kept) != len(wanted):
        raise ApplicationError("要保留的附件不属于该月最新一版报告，请刷新页面后重新选择。", field="attachments")
    return kept


def _tell_office(report: ProgressReport, actor) -> None:
    """The 督查室 hears of arrivals as one notice per lead unit and day, refreshed as reports come:
    in the first days of a month every unit files dozens, and one notice each would bury the rest."""
    day = timezone.localdate()
    unit = report.target.lead_unit
    arrived = list(
        ProgressReport.objects.filter(target__lead_unit=unit, submitted_at__date=day)
        .order_by("submitted_at", "id").values_list("target__title", flat=True)
    )
    names = "；".join(t[:30] for t in arrived[:5]) + (f"等{len(arrived)}份" if len(arrived) > 5 else "")
    unit_name = unit.name if unit else "未指定牵头单位的目标"
    for person in users_holding("plans.hear_reports").exclude(pk=getattr(actor, "pk", None)):
        notify_digest(
            recipient=person, key=f"plans.reports_arrived:{unit.pk if unit else 0}:{day:%Y-%m-%d}",
            kind="plans.reports_arrived", title=f"{unit_name}今日报送进度报告{len(arrived)}份，待审核",
            body=names, url=reverse("plans:review_queue"),
        )


def _tell_reporter(report: ProgressReport, actor) -> None:
    """The one who filed the report hears the outcome; a return carries the comment and opens the
    correction form already filled with the returned version."""
    person = report.submitted_by
    if person.pk == getattr(actor, "pk", None) or not person.is_active:
        return
    what = f"“{report.target.title[:40]}”{report.period.year}年{report.period.month}月第{report.version}版"
    if report.review == ProgressReport.Review.RETURNED:
        title, kind = f"进度报告被退回：{what}", "plans.report_returned"
        body = f"退回意见：{report.review_comment}\n请按意见修改后重新提交。"
        url = reverse("plans:report_create", args=[report.target_id]) + f"?period={report.period:%Y-%m}"
    else:
        title, kind = f"进度报告已采纳：{what}", "plans.report_accepted"
        body = f"审核意见：{report.review_comment}" if report.review_comment else ""
        url = reverse("plans:target_detail", args=[report.target_id])
    notify_once(recipient=person, key=f"{kind}:{report.pk}", kind=kind, title=title, body=body, url=url)


def _review(*, actor, report: ProgressReport, outcome: str, comment: str) -> ProgressReport:
    _require(actor.can("plans.review_reports"), "只有督查室可以审核进度报告。")
    report = ProgressReport.objects.select_for_update().select_related("target").get(pk=report.pk)
    if report.submitted_by_id == actor.pk:
        raise PermissionDeniedError("不能审核自己填报的报告，请由督查室其他人员审核。")
    if report.review != ProgressReport.Review.PENDING:
        raise ApplicationError(f"该报告已{report.get_review_display()}，不能重复审核。")
    newest = current_report(report.target, report.period)
    if newest and newest.pk != report.pk:
        raise ConflictError(f"该报告已有更新的第{newest.version}版，请审核最新版本。")
    report.review = outcome
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.review_comment = (comment or "").strip()
    report.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_comment"])
    record_change(
        actor=actor, obj=report, action=Action.ACCEPT if outcome == ProgressReport.Review.ACCEPTED else Action.RETURN,
        before={"review": "pending"}, after={"review": outcome, "comment": report.review_comment},
    )
    if not report.is_demo:
        _tell_reporter(report, actor)
    return report


@transaction.atomic
def report_accept(*, actor, report: ProgressReport, comment: str = "") -> ProgressReport:
    return _review(actor=actor, report=report, outcome=ProgressReport.Review.ACCEPTED, comment=comment)


@transaction.atomic
def report_return(*, actor, report: ProgressReport, comment: str) -> ProgressReport:
    if not (comment or "").strip():
        raise ApplicationError("退回时请填写退回意见。", field="comment")
    return _review(actor=actor, report=report, outcome=ProgressReport.Review.RETURNED, comment=comment)


# ---------------------------------------------------------------- metric snapshots


@transaction.atomic
@stored.batched
def metrics_snapshot(*, on: dt.date) -> int:
    """Record every bound target's value for `on`'s month (rerun in the month: the later reading wins)."""
    from .selectors import live_metric_values

    targets = list(Target.objects.alive().filter(plan__status=Plan.Status.ACTIVE).exclude(metric=""))
    values = live_metric_values(targets, on)
    for t in targets:
        MetricSnapshot.objects.update_or_create(
            target=t, period=on.replace(day=1),
            defaults={"as_of": on, "metric": t.metric, "params": t.metric_params, "value": values.get(t.pk)},
        )
    return len(targets)
