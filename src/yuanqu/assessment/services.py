"""Every write of the assessment app: schemes, hand scores, bonuses, vetoes and runs.

Each service checks the actor's rights (actor=None means the system, e.g. a command), validates,
writes in one transaction and logs the change (core.history). A scheme with a published run is
locked: its groups, rules, bonuses, vetoes, scores and runs can no longer change.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yuanqu.core import clock
from yuanqu.core.attachments import check_attachment
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.ids import parse_id
from yuanqu.core.models import ChangeRecord
from yuanqu.core.parsing import to_decimal
from yuanqu.core.services import check_version, validate
from yuanqu.org.models import OrgUnit
from yuanqu.plans.models import Target

from . import engine, selectors
from .models import BonusItem, CommonScore, DeductionRule, Run, RunLine, RunResult, Scheme, SchemeGroup, Veto

Action = ChangeRecord.Action
fmt = engine.fmt

SCHEME_FIELDS = ["year", "name", "full_marks", "excellent_quota", "bonus_cap", "completion_cap",
                 "completion_floor", "milestone_mode", "progress_basis", "cancelled_targets", "report_grace_days",
                 "grade_bands"]
NUMBER_LIMIT = 1_000_000
# Default deductions: (kind, points per occurrence, cap).
DEFAULT_RULES = [
    (engine.OVERDUE_TARGET, "1", "5"),
    (engine.RETURNED_REPORT, "0.5", "2"),
    (engine.MISSING_REPORT, "0.2", "2"),
    (engine.URGE, "0.5", "2"),
    (engine.OVERDUE_SUPERVISION, "1", "3"),
]


def _require_manager(actor, message: str) -> None:
    if actor is not None and not actor.can("assessment.manage"):
        raise PermissionDeniedError(message)


def _number(raw, label: str, field: str, *, required: bool = True) -> Decimal | None:
    value = to_decimal(raw, label, field)
    if value is None and required:
        raise ApplicationError(f"请填写{label}。", field=field)
    if value is not None and abs(value) >= NUMBER_LIMIT:
        # Scores, weights and points are small; a huge figure (1e999999) would break formatting.
        raise ApplicationError(f"{label}数值过大，应小于{NUMBER_LIMIT}。", field=field)
    return value


def is_locked(scheme: Scheme) -> bool:
    return Run.objects.filter(scheme=scheme, status=Run.Status.PUBLISHED).exists()


def _assert_unlocked(scheme: Scheme) -> None:
    if is_locked(scheme):
        raise ApplicationError(
            f"“{scheme.name}”的考核结果已公示，方案及其加分、否决和评分均已锁定，不能再修改或重新测算。"
        )


# ---------------------------------------------------------------- schemes


def default_scheme_data(year: int) -> dict:
    """A new scheme's starting point: 共性 20 / 个性 80, the usual bands, quota and deductions."""
    return {
        "year": year,
        "name": f"{year}年度目标管理绩效考核方案",
        "full_marks": "100",
        "excellent_quota": "20",
        "bonus_cap": "5",
        "completion_cap": "100",
        "completion_floor": "0",
        "milestone_mode": engine.BINARY,
        "progress_basis": engine.ANNUAL,
        "cancelled_targets": "leave",
        "report_grace_days": 10,
        "bands": [{"name": b.name, "min": fmt(b.min_score)} for b in engine.DEFAULT_BANDS],
        "groups": [
            {"name": "共性指标", "kind": engine.COMMON, "weight": "20"},
            {"name": "个性指标", "kind": engine.SPECIFIC, "weight": "80"},
        ],
        "rules": [{"kind": k, "points": p, "cap": c} for k, p, c in DEFAULT_RULES],
    }


def _clean_bands(raw_bands, full_marks: Decimal) -> list[dict]:
    bands = [b for b in (raw_bands or []) if str(b.get("name") or "").strip() or str(b.get("min") or "").strip()]
    if len(bands) < 2:
        raise ApplicationError("等次分档至少需要两档（如 优秀、不合格）。", field="bands")
    cleaned, names = [], set()
    for i, band in enumerate(bands, start=1):
        name = str(band.get("name") or "").strip()
        if not name:
            raise ApplicationError(f"第{i}档等次未填写名称。", field="bands")
        if name in names:
            raise ApplicationError(f"等次名称“{name}”重复。", field="bands")
        names.add(name)
        low = _number(band.get("min"), f"等次“{name}”的分数线", "bands")
        if low < 0 or low > full_marks:
            raise ApplicationError(f"等次“{name}”的分数线{fmt(low)}应在0到满分{fmt(full_marks)}之间。",
                                   field="bands")
        if cleaned and low >= engine.dec(cleaned[-1]["min"]):
            prev = cleaned[-1]
            raise ApplicationError(
                f"等次分档应由高到低排列：“{name}”的分数线{fmt(low)}不低于上一档“{prev['name']}”的{prev['min']}。",
                field="bands",
            )
        cleaned.append({"name": name, "min": fmt(low)})
    return cleaned


def _clean_groups(raw_groups, scheme_name: str) -> list[dict]:
    groups = [g for g in (raw_groups or []) if str(g.get("name") or "").strip() or g.get("id")
              or str(g.get("weight") or "").strip()]
    if not groups:
        raise ApplicationError("考核方案至少需要一个考核组。", field="groups")
    cleaned, names = [], set()
    kinds = dict(SchemeGroup.Kind.choices)
    for i, g in enumerate(groups, start=1):
        name = str(g.get("name") or "").strip()
        if not name:
            raise ApplicationError(f"第{i}个考核组未填写组名。", field="groups")
        if name in names:
            raise ApplicationError(f"考核组名“{name}”重复。", field="groups")
        names.add(name)
        kind = g.get("kind") or engine.SPECIFIC
        if kind not in kinds:
            raise ApplicationError(f"考核组“{name}”的类别“{kind}”无效，应为共性或个性。", field="groups")
        weight = _number(g.get("weight"), f"考核组“{name}”的权重", "groups")
        if weight < 0:
            raise ApplicationError(f"考核组“{name}”的权重不能为负数。", field="groups")
        cleaned.append({"id": g.get("id") or None, "name": name, "kind": kind, "weight": weight})
    total = sum((g["weight"] for g in cleaned), Decimal(0))
    if total != 100:
        raise ApplicationError(f"考核方案“{scheme_name}”的各组权重合计为{fmt(total)}，应为100。", field="groups")
    if not any(g["kind"] == engine.SPECIFIC and g["weight"] > 0 for g in cleaned):
        raise ApplicationError("考核方案须至少有一个权重大于0的个性组（未指定分组的目标计入第一个有权重的个性组）。",
                               field="groups")
    return cleaned


def _clean_rules(raw_rules) -> list[dict]:
    labels = dict(DeductionRule.Kind.choices)
    cleaned, seen = [], set()
    for r in raw_rules or []:
        kind = r.get("kind")
        if kind not in labels:
            raise ApplicationError(f"扣分事项“{kind}”无效。", field="rules")
        label = str(labels[kind])
        if str(r.get("points") or "").strip() == "":
            continue  # a blank row means "no such deduction"
        if kind in seen:
            raise ApplicationError(f"扣分事项“{label}”重复。", field="rules")
        seen.add(kind)
        points = _number(r.get("points"), f"“{label}”的每次扣分", "rules")
        cap = _number(r.get("cap"), f"“{label}”的扣分上限", "rules", required=False)
        if points < 0 or (cap is not None and cap < 0):
            raise ApplicationError(f"“{label}”的扣分和上限不能为负数。", field="rules")
        cleaned.append({"kind": kind, "points": points, "cap": cap})
    return cleaned


def _apply_scheme_fields(scheme: Scheme, data: dict) -> None:
    name = str(data.get("name", scheme.name) or "").strip()
    if not name:
        raise ApplicationError("请填写方案名称。", field="name")
    scheme.name = name
    try:
        scheme.year = int(data.get("year", scheme.year))
    except (TypeError, ValueError):
        raise ApplicationError(f"年度“{data.get('year')}”应为四位数字。", field="year") from None
    if not 2000 <= scheme.year <= 2100:
        raise ApplicationError(f"年度“{scheme.year}”不在 2000–2100 之间。", field="year")
    numbers = {"full_marks": "满分", "excellent_quota": "优秀比例上限", "bonus_cap": "加分上限",
               "completion_cap": "完成率计分上限"}
    for key, label in numbers.items():
        if key in data:
            setattr(scheme, key, _number(data[key], label, key))
    if "completion_floor" in data:
        scheme.completion_floor = _number(data["completion_floor"], "完成率计分下限", "completion_floor",
                                          required=False)
    if scheme.full_marks <= 0:
        raise ApplicationError("满分应大于0。", field="full_marks")
    if not 0 <= scheme.excellent_quota <= 100:
        raise ApplicationError(f"优秀比例上限应在 0–100 之间，收到“{fmt(scheme.excellent_quota)}”。",
                               field="excellent_quota")
    if scheme.bonus_cap < 0:
        raise ApplicationError("加分上限不能为负数。", field="bonus_cap")
    if scheme.completion_cap < 100:
        raise ApplicationError("完成率计分上限不能低于100%。", field="completion_cap")
    if scheme.completion_floor is not None and scheme.completion_floor > 100:
        raise ApplicationError("完成率计分下限不能高于100%。", field="completion_floor")
    if "milestone_mode" in data:
        scheme.milestone_mode = data["milestone_mode"]
    if "progress_basis" in data:
        if data["progress_basis"] not in Scheme.ProgressBasis.values:
            choices = "、".join(str(label) for label in Scheme.ProgressBasis.labels)
            raise ApplicationError(f"完成率计分口径“{data['progress_basis']}”无效，请选择{choices}。",
                                   field="progress_basis")
        scheme.progress_basis = data["progress_basis"]
    if "cancelled_targets" in data:
        if data["cancelled_targets"] not in Scheme.Cancelled.values:
            choices = "、".join(str(label) for label in Scheme.Cancelled.labels)
            raise ApplicationError(f"经调整取消的目标“{data['cancelled_targets']}”无效，请选择{choices}。",
                                   field="cancelled_targets")
        scheme.cancelled_targets = data["cancelled_targets"]
    if "report_grace_days" in data:
        try:
            scheme.report_grace_days = int(data["report_grace_days"])
        except (TypeError, ValueError):
            raise ApplicationError("月报宽限天数应为整数。", field="report_grace_days") from None
    if "bands" in data:
        scheme.grade_bands = _clean_bands(data["bands"], scheme.full_marks)


def _scheme_picture(scheme: Scheme) -> dict:
    picture = snapshot(scheme, SCHEME_FIELDS)
    picture["groups"] = [
        {"name": g.name, "kind": g.kind, "weight": fmt(g.weight)} for g in scheme.groups.order_by("order", "id")
    ]
    picture["rules"] = [
        {"kind": r.kind, "points": fmt(r.points), "cap": None if r.cap is None else fmt(r.cap)}
        for r in scheme.rules.order_by("id")
    ]
    return picture


@transaction.atomic
def scheme_save(*, actor, data: dict, scheme: Scheme | None = None, expected_version: int | None = None,
                is_demo: bool = False) -> Scheme:
    """Create a scheme, or replace an existing one's settings, groups and rules, all or nothing.

    `data`: the scheme's fields, "bands" [{name, min}], "groups" [{id?, name, kind, weight}] and
    "rules" [{kind, points, cap}]. Groups keep their id (and their targets and scores) when given.
    """
    _require_manager(actor, "只有督查室或系统管理员可以编辑考核方案。")
    creating = scheme is None
    if creating:
        scheme = Scheme(created_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo)
        before = None
    else:
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        _assert_unlocked(scheme)
        check_version(scheme, expected_version, name=scheme.name)
        before = _scheme_picture(scheme)
    _apply_scheme_fields(scheme, data)
    groups = _clean_groups(data["groups"], scheme.name) if "groups" in data or creating else None
    rules = _clean_rules(data["rules"]) if "rules" in data else None
    validate(scheme)
    if scheme.status == Scheme.Status.ACTIVE and Scheme.objects.filter(
        year=scheme.year, status=Scheme.Status.ACTIVE
    ).exclude(pk=scheme.pk).exists():
        raise ApplicationError(f"{scheme.year}年已有启用的考核方案。", field="year")
    if not creating:
        scheme.version += 1
    scheme.save()
    if groups is not None:
        _save_groups(scheme, groups)
    if rules is not None:
        scheme.rules.all().delete()
        DeductionRule.objects.bulk_create(
            [DeductionRule(scheme=scheme, kind=r["kind"], points=r["points"], cap=r["cap"]) for r in rules]
        )
    record_change(actor=actor, obj=scheme, action=Action.CREATE if creating else Action.UPDATE,
                  before=before, after=_scheme_picture(scheme))
    return scheme


def _save_groups(scheme: Scheme, groups: list[dict]) -> None:
    existing = {g.pk: g for g in scheme.groups.all()}
    keep_ids = set()
    for g in groups:
        if g["id"] is None:
            continue
        try:
            gid = int(g["id"])
        except (TypeError, ValueError):
            gid = None
        if gid not in existing:
            raise ApplicationError(f"考核组“{g['name']}”不属于该方案，请刷新后重试。", field="groups")
        keep_ids.add(gid)
    for gid, group in existing.items():
        if gid in keep_ids:
            continue
        if group.common_scores.exists():
            raise ApplicationError(f"考核组“{group.name}”已有共性指标评分，不能删除。", field="groups")
        group.delete()
    # Park renamed groups on temporary names first, so swapping two names does not collide.
    for gid in keep_ids:
        SchemeGroup.objects.filter(pk=gid).update(name=f"__{gid}")
    for order, g in enumerate(groups):
        group = existing[int(g["id"])] if g["id"] is not None else SchemeGroup(scheme=scheme)
        group.name, group.kind, group.weight, group.order = g["name"], g["kind"], g["weight"], order
        group.save()


def validate_scheme(scheme: Scheme) -> None:
    """Check a stored scheme as a whole (weights, bands): before activation and before each run."""
    groups = list(scheme.groups.all())
    _clean_groups([{"name": g.name, "kind": g.kind, "weight": g.weight} for g in groups], scheme.name)
    _clean_bands(scheme.grade_bands, scheme.full_marks)


@transaction.atomic
def scheme_activate(*, actor, scheme: Scheme) -> Scheme:
    _require_manager(actor, "只有督查室或系统管理员可以启用考核方案。")
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status == Scheme.Status.ACTIVE:
        raise ApplicationError(f"“{scheme.name}”已启用。")
    validate_scheme(scheme)
    if Scheme.objects.filter(year=scheme.year, status=Scheme.Status.ACTIVE).exists():
        raise ApplicationError(f"{scheme.year}年已有启用的考核方案，同一年度只能启用一个。")
    scheme.status = Scheme.Status.ACTIVE
    scheme.version += 1
    scheme.save(update_fields=["status", "version", "updated_at"])
    record_change(actor=actor, obj=scheme, action=Action.ACTIVATE, before={"status": "draft"},
                  after={"status": "active"})
    return scheme


@transaction.atomic
def group_set_targets(*, actor, group: SchemeGroup, target_ids) -> SchemeGroup:
    """Which targets a group scores (each target in at most one group of the scheme)."""
    _require_manager(actor, "只有督查室或系统管理员可以调整考核组的目标。")
    group = SchemeGroup.objects.select_related("scheme").get(pk=group.pk)
    _assert_unlocked(group.scheme)
    parsed = [parse_id(i) for i in target_ids or []]
    if None in parsed:
        raise ApplicationError("目标编号无效，请刷新页面后重新选择。", field="targets")
    ids = sorted(set(parsed))
    targets = list(Target.objects.alive().filter(pk__in=ids, plan__year=group.scheme.year))
    if len(targets) != len(ids):
        raise ApplicationError(f"有目标不存在或不属于{group.scheme.year}年的计划，请刷新后重试。", field="targets")
    taken = (
        SchemeGroup.targets.through.objects.filter(schemegroup__scheme=group.scheme, target_id__in=ids)
        .exclude(schemegroup=group)
        .select_related("schemegroup", "target")
        .first()
    )
    if taken is not None:
        raise ApplicationError(
            f"目标“{taken.target.title[:30]}”已在“{taken.schemegroup.name}”组中，一个目标只能属于一个组。",
            field="targets",
        )
    before = sorted(group.targets.values_list("pk", flat=True))
    group.targets.set(targets)
    record_change(actor=actor, obj=group, action=Action.UPDATE, before={"targets": before}, after={"targets": ids})
    return group


@transaction.atomic
def common_score_save(*, actor, group: SchemeGroup, unit: OrgUnit, name: str, score, weight="1",
                      note: str = "") -> CommonScore:
    """Enter (or correct) a unit's hand score, out of 100, on a common indicator."""
    _require_manager(actor, "只有督查室或系统管理员可以录入共性指标评分。")
    group = SchemeGroup.objects.select_related("scheme").get(pk=group.pk)
    _assert_unlocked(group.scheme)
    if group.kind != SchemeGroup.Kind.COMMON:
        raise ApplicationError(f"“{group.name}”是个性组，只有共性组可以录入手工评分。", field="group")
    name = (name or "").strip() or group.name
    value = _number(score, "得分", "score")
    if not 0 <= value <= 100:
        raise ApplicationError(f"得分应在 0–100 之间（百分制），收到“{fmt(value)}”。", field="score")
    weight = _number(weight if str(weight or "").strip() else "1", "组内权重", "weight")
    row = CommonScore.objects.filter(group=group, unit=unit, name=name).first()
    before = snapshot(row, ["score", "weight", "note"]) if row else None
    row = row or CommonScore(group=group, unit=unit, name=name)
    row.score, row.weight, row.note = value, weight, (note or "").strip()
    row.scored_by = actor if getattr(actor, "pk", None) else None
    validate(row)
    row.save()
    record_change(actor=actor, obj=row, action=Action.UPDATE if before else Action.CREATE, before=before,
                  after=snapshot(row, ["score", "weight", "note"]))
    return row


@transaction.atomic
def common_score_delete(*, actor, score: CommonScore) -> None:
    _require_manager(actor, "只有督查室或系统管理员可以删除共性指标评分。")
    _assert_unlocked(score.group.scheme)
    record_change(actor=actor, obj=score, action=Action.DELETE, before=snapshot(score, ["score", "note"]))
    score.delete()


# ---------------------------------------------------------------- bonuses and vetoes


@transaction.atomic
def bonus_propose(*, actor, scheme: Scheme, unit: OrgUnit | None, points, reason: str, evidence: str,
                  file=None) -> BonusItem:
    """A unit's reporter proposes a bonus for their unit, with evidence; the 督查室 may for any unit."""
    scheme = Scheme.objects.get(pk=scheme.pk)
    if actor is not None and not actor.can("assessment.manage"):
        if not actor.can("assessment.propose_bonus"):
            raise PermissionDeniedError("只有单位填报员或督查室可以申报加分。")
        if scheme.status != Scheme.Status.ACTIVE:
            raise PermissionDeniedError("考核方案尚未启用，暂不能申报加分。")
        if unit is None:
            unit = actor.unit
        if unit is not None and unit.pk not in actor.units_for("assessment.propose_bonus"):
            raise PermissionDeniedError(f"您只能为本单位申报加分，不能为“{unit}”申报。")
    if unit is None:
        raise ApplicationError("请选择申报加分的单位。", field="unit")
    _assert_unlocked(scheme)
    value = _number(points, "加分", "points")
    if value <= 0:
        raise ApplicationError("加分应大于0。", field="points")
    if value > scheme.bonus_cap:
        raise ApplicationError(f"单项加分不能超过方案的加分上限{fmt(scheme.bonus_cap)}分。", field="points")
    if not (reason or "").strip():
        raise ApplicationError("请填写加分事由。", field="reason")
    if not (evidence or "").strip():
        raise ApplicationError("请填写佐证材料说明（如表彰文件名称、文号）。", field="evidence")
    if file:
        check_attachment(file, field="file", what="佐证附件")
    item = BonusItem(scheme=scheme, unit=unit, points=value, reason=reason.strip(), evidence=evidence.strip(),
                     proposed_by=actor if getattr(actor, "pk", None) else None)
    if file:
        item.file = file
    validate(item)
    item.save()
    record_change(actor=actor, obj=item, action=Action.SUBMIT,
                  after=snapshot(item, ["unit", "points", "reason", "evidence", "status"]))
    return item


@transaction.atomic
def bonus_decide(*, actor, bonus: BonusItem, approve: bool, note: str = "") -> BonusItem:
    """The 督查室 approves or refuses a proposed bonus (a refusal needs a reason)."""
    _require_manager(actor, "只有督查室可以审核加分申报。")
    bonus = BonusItem.objects.select_for_update().select_related("scheme").get(pk=bonus.pk)
    _assert_unlocked(bonus.scheme)
    if bonus.status != BonusItem.Status.PENDING:
        raise ApplicationError(f"该加分申报已{bonus.get_status_display()}，不能重复审核。")
    if not approve and not (note or "").strip():
        raise ApplicationError("不予通过时请填写审核意见。", field="decision_note")
    bonus.status = BonusItem.Status.APPROVED if approve else BonusItem.Status.REFUSED
    bonus.approved_by = actor if getattr(actor, "pk", None) else None
    bonus.decided_at = timezone.now()
    bonus.decision_note = (note or "").strip()
    bonus.save(update_fields=["status", "approved_by", "decided_at", "decision_note", "updated_at"])
    record_change(actor=actor, obj=bonus, action=Action.ACCEPT if approve else Action.RETURN,
                  before={"status": "pending"}, after={"status": bonus.status, "note": bonus.decision_note})
    return bonus


@transaction.atomic
def veto_set(*, actor, scheme: Scheme, unit: OrgUnit | None, reason: str, effect: str = engine.VETO_FAIL) -> Veto:
    _require_manager(actor, "只有督查室可以认定一票否决事项。")
    scheme = Scheme.objects.get(pk=scheme.pk)
    _assert_unlocked(scheme)
    if unit is None:
        raise ApplicationError("请选择被否决的单位。", field="unit")
    if not (reason or "").strip():
        raise ApplicationError("请填写否决事由（如发生较大安全生产事故的时间和情况）。", field="reason")
    if effect not in dict(Veto.Effect.choices):
        raise ApplicationError(f"否决效果“{effect}”无效。", field="effect")
    veto = Veto(scheme=scheme, unit=unit, reason=reason.strip(), effect=effect,
                set_by=actor if getattr(actor, "pk", None) else None)
    validate(veto)
    veto.save()
    record_change(actor=actor, obj=veto, action=Action.CREATE, after=snapshot(veto, ["unit", "reason", "effect"]))
    return veto


@transaction.atomic
def veto_remove(*, actor, veto: Veto) -> None:
    _require_manager(actor, "只有督查室可以撤销一票否决。")
    veto = Veto.objects.select_related("scheme").get(pk=veto.pk)
    _assert_unlocked(veto.scheme)
    record_change(actor=actor, obj=veto, action=Action.DELETE, before=snapshot(veto, ["unit", "reason", "effect"]))
    veto.delete()


# ---------------------------------------------------------------- runs


def default_cutoff(year: int, today: dt.date | None = None) -> dt.date:
    """Today, or the year's last day once the year is over."""
    today = today or clock.today()
    return min(today, dt.date(year, 12, 31))


def _write_results(run: Run, results: list[engine.UnitResult], bands: list[str]) -> None:
    rows = RunResult.objects.bulk_create([
        RunResult(
            run=run, unit_id=r.unit_id, unit_name=r.unit_name[:100], rank=r.rank, total=r.total,
            indicator=r.indicator, bonus=r.bonus, deduction=r.deduction, grade=r.grade,
            grade_level=bands.index(r.grade) if r.grade in bands else len(bands), vetoed=r.vetoed,
            flags=list(dict.fromkeys(r.flags)),
        )
        for r in results
    ])
    RunLine.objects.bulk_create([
        RunLine(result=row, order=i, group=line.group[:50], kind=line.kind, description=line.description[:300],
                raw=line.raw[:100], points=line.points, explanation=line.explanation)
        for row, r in zip(rows, results, strict=True)
        for i, line in enumerate(r.lines)
    ])


def _band_names(snapshot_data: dict) -> list[str]:
    return [b["name"] for b in snapshot_data["scheme"]["bands"]]


@transaction.atomic
def run_compute(*, actor, scheme: Scheme, on: dt.date | None = None, supervision_stats: dict | None = None) -> Run:
    """Freeze every input as of `on` into a snapshot, score it and store a new version of the run.

    `supervision_stats` ({lead unit id: {...}}) replaces the supervision app's statistics (tests, or
    a system without that app).
    """
    _require_manager(actor, "只有督查室或系统管理员可以进行考核测算。")
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    _assert_unlocked(scheme)
    on = on or default_cutoff(scheme.year)
    if on < dt.date(scheme.year, 1, 1):
        raise ApplicationError(f"考核截止日{on:%Y-%m-%d}早于{scheme.year}年，无法测算。", field="on")
    if on > dt.date(scheme.year, 12, 31):
        # The year-end assessment scores its year; later dates (up to 9999-12-31) have no meaning here.
        raise ApplicationError(f"考核截止日{on:%Y-%m-%d}晚于{scheme.year}年12月31日，请选择{scheme.year}年内的日期。",
                               field="on")
    validate_scheme(scheme)
    data = selectors.collect_snapshot(scheme, on=on, supervision_stats=supervision_stats)
    if not data["units"]:
        raise ApplicationError(f"{scheme.year}年计划中没有指定牵头单位的目标，也没有共性指标评分，无可考核的单位。")
    results = engine.assess_snapshot(data)
    number = (scheme.runs.aggregate(n=Max("number"))["n"] or 0) + 1
    run = Run.objects.create(
        scheme=scheme, number=number, on=on, snapshot=data, unit_count=len(results),
        computed_by=actor if getattr(actor, "pk", None) else None,
    )
    _write_results(run, results, _band_names(data))
    record_change(actor=actor, obj=run, action=Action.CREATE,
                  after={"number": number, "on": on.isoformat(), "units": len(results)})
    return run


def _locked_run(run: Run) -> Run:
    run = Run.objects.select_for_update().select_related("scheme").get(pk=run.pk)
    if run.status == Run.Status.PUBLISHED:
        raise ApplicationError(f"“{run}”已公示，结果已锁定，不能再重算、定档或修改。")
    return run


def _advance(actor, run: Run, *, to: str, stamp: str, action: str, note: str) -> Run:
    """Move a locked run on to the status `to`, stamping who and when (`<stamp>_by`, `<stamp>_at`),
    with one history record of the status before and after."""
    before = run.status
    run.status = to
    setattr(run, f"{stamp}_by", actor if getattr(actor, "pk", None) else None)
    setattr(run, f"{stamp}_at", timezone.now())
    run.save(update_fields=["status", f"{stamp}_by", f"{stamp}_at"])
    record_change(actor=actor, obj=run, action=action, before={"status": str(before)}, after={"status": str(to)},
                  note=note)
    return run


@transaction.atomic
def run_recompute(*, actor, run: Run) -> Run:
    """Score the run again from its own snapshot (e.g. after an engine correction); same inputs."""
    _require_manager(actor, "只有督查室或系统管理员可以重算考核结果。")
    run = _locked_run(run)
    if run.status != Run.Status.COMPUTED:
        raise ApplicationError(f"“{run}”已定档，不能重算；如需调整，请重新测算生成新的版次。")
    results = engine.assess_snapshot(run.snapshot)
    run.results.all().delete()
    _write_results(run, results, _band_names(run.snapshot))
    record_change(actor=actor, obj=run, action=Action.UPDATE, before={"status": run.status},
                  after={"status": run.status}, note="按输入快照重算")
    return run


@transaction.atomic
def run_sign_off(*, actor, run: Run) -> Run:
    """定档: the 督查室 settles the grades of a computed run."""
    _require_manager(actor, "只有督查室可以定档。")
    run = _locked_run(run)
    if run.status != Run.Status.COMPUTED:
        raise ApplicationError(f"“{run}”已定档。")
    if run.scheme.status != Scheme.Status.ACTIVE:
        raise ApplicationError(f"考核方案“{run.scheme.name}”尚未启用，测算结果只能预览，不能定档。")
    return _advance(actor, run, to=Run.Status.SIGNED_OFF, stamp="signed_off", action=Action.ACCEPT, note="定档")


@transaction.atomic
def run_publish(*, actor, run: Run) -> Run:
    """公示: the signed-off results become visible to the units and are locked for good."""
    _require_manager(actor, "只有督查室可以公示考核结果。")
    run = _locked_run(run)
    if run.status != Run.Status.SIGNED_OFF:
        raise ApplicationError(f"“{run}”尚未定档，定档后才能公示。")
    _assert_unlocked(run.scheme)
    return _advance(actor, run, to=Run.Status.PUBLISHED, stamp="published", action=Action.UPDATE, note="公示")
