"""Assessment services: validation, rights, the frozen snapshot, versions and the publication lock."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import make_target, target
from yuanqu.assessment import engine, services
from yuanqu.assessment.models import (
    BonusItem,
    CommonScore,
    Run,
    RunLine,
    RunResult,
    Scheme,
    SchemeGroup,
    Veto,
)
from yuanqu.core.attachments import ATTACHMENT_MAX_BYTES
from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.models import ChangeRecord
from yuanqu.plans import services as plan_services
from yuanqu.plans.models import Plan, ProgressReport, Target


def data_with(year: int, **changes) -> dict:
    data = services.default_scheme_data(year)
    data.update(changes)
    return data


def result_picture(run: Run) -> list[tuple]:
    """Everything a run stored, comparable across recomputations."""
    rows = []
    for r in run.results.order_by("rank", "unit_id").prefetch_related("lines"):
        lines = [(ln.group, ln.kind, ln.description, ln.raw, ln.points, ln.explanation)
                 for ln in sorted(r.lines.all(), key=lambda ln: ln.order)]
        rows.append((r.unit_id, r.rank, r.total, r.indicator, r.bonus, r.deduction, r.grade, r.vetoed,
                     tuple(r.flags), tuple(lines)))
    return rows


# ---------------------------------------------------------------- scheme validation


def test_group_weights_not_adding_up_are_refused_naming_scheme_and_sum_and_nothing_is_written(plan, users):
    groups = [{"name": "共性指标", "kind": "common", "weight": "15"},
              {"name": "个性指标", "kind": "specific", "weight": "80"}]
    with pytest.raises(ApplicationError) as exc:
        services.scheme_save(actor=users["supervisor"], data=data_with(plan.year, name="测试方案", groups=groups))
    assert exc.value.message == "考核方案“测试方案”的各组权重合计为95，应为100。"
    assert exc.value.field == "groups"
    assert not Scheme.objects.exists() and not SchemeGroup.objects.exists()
    assert not ChangeRecord.objects.filter(content_type__app_label="assessment").exists()


def test_a_refused_update_leaves_the_scheme_as_it_was(scheme, users):
    before = [(g.name, g.weight) for g in scheme.groups.all()]
    groups = [{"id": g.pk, "name": g.name, "kind": g.kind, "weight": "50"} for g in scheme.groups.all()]
    groups.append({"name": "新组", "kind": "specific", "weight": "10"})
    with pytest.raises(ApplicationError, match="权重合计为110，应为100"):
        services.scheme_save(actor=users["supervisor"], scheme=scheme,
                             data=data_with(scheme.year, name="改了名", bonus_cap="3", groups=groups))
    scheme.refresh_from_db()
    assert scheme.name == f"{scheme.year}年度目标管理绩效考核方案" and scheme.bonus_cap == 5
    assert [(g.name, g.weight) for g in scheme.groups.all()] == before


def test_a_save_over_a_newer_version_is_refused_naming_the_current_version(scheme, users):
    seen = scheme.version
    services.scheme_save(actor=users["supervisor"], scheme=scheme, data={"name": "他人先改的名称"},
                         expected_version=seen)
    with pytest.raises(ConflictError) as exc:
        services.scheme_save(actor=users["admin"], scheme=scheme, data={"name": "我改的名称"}, expected_version=seen)
    assert f"当前为第{seen + 1}版，您提交的是第{seen}版" in exc.value.message
    scheme.refresh_from_db()
    assert (scheme.name, scheme.version) == ("他人先改的名称", seen + 1)


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"bands": [{"name": "优秀", "min": "90"}, {"name": "良好", "min": "95"}]},
         "等次分档应由高到低排列：“良好”的分数线95不低于上一档“优秀”的90。", "bands"),
        ({"bands": [{"name": "优秀", "min": "90"}]}, "等次分档至少需要两档（如 优秀、不合格）。", "bands"),
        ({"excellent_quota": "120"}, "优秀比例上限应在 0–100 之间，收到“120”。", "excellent_quota"),
        ({"excellent_quota": "二十"}, "优秀比例上限应为数字，收到“二十”。", "excellent_quota"),
        ({"groups": [{"name": "共性", "kind": "common", "weight": "100"}]},
         "考核方案须至少有一个权重大于0的个性组（未指定分组的目标计入第一个有权重的个性组）。", "groups"),
        ({"groups": [{"name": "", "kind": "specific", "weight": "100"}]}, "第1个考核组未填写组名。", "groups"),
        ({"rules": [{"kind": "urge", "points": "-1", "cap": ""}]}, "“督办事项被催办”的扣分和上限不能为负数。", "rules"),
        ({"name": " "}, "请填写方案名称。", "name"),
    ],
)
def test_bad_scheme_input_gets_a_chinese_message_naming_the_field(plan, users, changes, message, field):
    with pytest.raises(ApplicationError) as exc:
        services.scheme_save(actor=users["supervisor"], data=data_with(plan.year, **changes))
    assert (exc.value.message, exc.value.field) == (message, field)
    assert not Scheme.objects.exists()


@pytest.mark.parametrize("role", ["leader", "agri", "nounit"])
def test_only_the_supervision_office_and_admins_edit_schemes(plan, users, role):
    with pytest.raises(PermissionDeniedError):
        services.scheme_save(actor=users[role], data=services.default_scheme_data(plan.year))
    assert not Scheme.objects.exists()


def test_renaming_groups_keeps_them_and_their_scores(scheme, users, units):
    common = scheme.groups.get(kind="common")
    services.common_score_save(actor=users["supervisor"], group=common, unit=units["agri"], name="12345热线",
                               score="90")
    groups = [{"id": g.pk, "name": "个性" if g.kind == "common" else "共性", "kind": g.kind,
               "weight": engine.fmt(g.weight)} for g in scheme.groups.all()]  # swap the two names
    services.scheme_save(actor=users["supervisor"], scheme=scheme, data={"groups": groups})
    common.refresh_from_db()
    assert common.name == "个性" and common.common_scores.count() == 1


def test_one_active_scheme_per_year(scheme, users):
    other = services.scheme_save(actor=users["admin"], data=data_with(scheme.year, name="另一方案"))
    with pytest.raises(ApplicationError, match="已有启用的考核方案"):
        services.scheme_activate(actor=users["admin"], scheme=other)
    other.refresh_from_db()
    assert other.status == Scheme.Status.DRAFT


# ---------------------------------------------------------------- inputs


def test_bonus_is_proposed_by_the_units_reporter_with_evidence_and_counts_once_approved(scheme, users, units,
                                                                                        compute):
    with pytest.raises(ApplicationError, match="佐证材料"):
        services.bonus_propose(actor=users["agri"], scheme=scheme, unit=units["agri"], points="2",
                               reason="获省级表彰", evidence=" ")
    with pytest.raises(PermissionDeniedError, match="只能为本单位申报"):
        services.bonus_propose(actor=users["agri"], scheme=scheme, unit=units["invest"], points="2",
                               reason="获省级表彰", evidence="文件")
    with pytest.raises(ApplicationError, match="不能超过方案的加分上限5分"):
        services.bonus_propose(actor=users["agri"], scheme=scheme, unit=units["agri"], points="6",
                               reason="获省级表彰", evidence="文件")
    assert not BonusItem.objects.exists()
    bonus = services.bonus_propose(actor=users["agri"], scheme=scheme, unit=units["agri"], points="2",
                                   reason="获省级表彰", evidence="苏农发〔2026〕3号")
    assert bonus.status == BonusItem.Status.PENDING
    pending = compute(scheme).results.get(unit=units["agri"])
    assert pending.bonus == 0
    with pytest.raises(PermissionDeniedError):
        services.bonus_decide(actor=users["leader"], bonus=bonus, approve=True)
    with pytest.raises(ApplicationError, match="请填写审核意见"):
        services.bonus_decide(actor=users["supervisor"], bonus=bonus, approve=False)
    services.bonus_decide(actor=users["supervisor"], bonus=bonus, approve=True, note="属实")
    bonus.refresh_from_db()
    assert bonus.status == BonusItem.Status.APPROVED and bonus.approved_by == users["supervisor"]
    approved = compute(scheme).results.get(unit=units["agri"])
    assert approved.bonus == 2 and approved.total == approved.indicator + 2 - approved.deduction > pending.total
    with pytest.raises(ApplicationError, match="不能重复审核"):
        services.bonus_decide(actor=users["supervisor"], bonus=bonus, approve=False, note="改判")


def _upload(name: str, size: int | None = None) -> SimpleUploadedFile:
    upload = SimpleUploadedFile(name, b"<html>evidence</html>")
    if size is not None:
        upload.size = size  # as the upload handler reports it; no need to hold 20 MB in memory
    return upload


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("表彰.html", None, "佐证附件“表彰.html”的类型不支持，请上传文档、表格、图片或压缩包"),
        ("表彰.exe", None, "佐证附件“表彰.exe”的类型不支持"),
        ("表彰", None, "佐证附件“表彰”的类型不支持"),
        ("表彰.pdf", ATTACHMENT_MAX_BYTES + 1, f"佐证附件“表彰.pdf”超过{ATTACHMENT_MAX_BYTES // 2**20}MB。"),
    ],
)
def test_bonus_evidence_files_follow_the_attachment_rules_and_nothing_is_written(scheme, users, units,
                                                                                 name, size, message):
    with pytest.raises(ApplicationError) as exc:
        services.bonus_propose(actor=users["agri"], scheme=scheme, unit=units["agri"], points="1",
                               reason="获省级表彰", evidence="苏农发〔2026〕3号", file=_upload(name, size))
    assert exc.value.message.startswith(message) and exc.value.field == "file"
    assert not BonusItem.objects.exists()
    assert not ChangeRecord.objects.filter(content_type__model="bonusitem").exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_bonus_evidence_of_an_allowed_type_up_to_the_limit_is_stored(scheme, users, units):
    bonus = services.bonus_propose(actor=users["agri"], scheme=scheme, unit=units["agri"], points="1",
                                   reason="获省级表彰", evidence="文号",
                                   file=_upload("表彰.PDF", ATTACHMENT_MAX_BYTES))
    assert bonus.file.name.endswith("表彰.PDF")


def test_veto_sets_the_lowest_grade_and_needs_a_reason(scheme, users, units, compute):
    with pytest.raises(ApplicationError, match="请填写否决事由"):
        services.veto_set(actor=users["supervisor"], scheme=scheme, unit=units["agri"], reason="")
    with pytest.raises(PermissionDeniedError):
        services.veto_set(actor=users["agri"], scheme=scheme, unit=units["invest"], reason="事故")
    services.veto_set(actor=users["supervisor"], scheme=scheme, unit=units["agri"], reason="发生较大安全生产事故")
    run = compute(scheme)
    vetoed = run.results.get(unit=units["agri"])
    assert vetoed.vetoed and vetoed.grade == "不合格" and vetoed.rank == run.unit_count
    assert vetoed.lines.filter(kind="veto", description="发生较大安全生产事故").exists()


def test_common_scores_are_hand_entered_in_common_groups_only(scheme, users, units, compute):
    common = scheme.groups.get(kind="common")
    specific = scheme.groups.get(kind="specific")
    with pytest.raises(ApplicationError, match="只有共性组可以录入手工评分"):
        services.common_score_save(actor=users["supervisor"], group=specific, unit=units["agri"], name="热线",
                                   score="90")
    with pytest.raises(ApplicationError, match="得分应在 0–100 之间"):
        services.common_score_save(actor=users["supervisor"], group=common, unit=units["agri"], name="热线",
                                   score="120")
    services.common_score_save(actor=users["supervisor"], group=common, unit=units["agri"], name="热线",
                               score="90")
    services.common_score_save(actor=users["supervisor"], group=common, unit=units["agri"], name="热线",
                               score="80", note="更正")
    assert CommonScore.objects.get().score == 80
    result = compute(scheme).results.get(unit=units["agri"])
    # 共性 20 × 80 % = 16; the unit's one target has no accepted figure (0 of 80).
    assert result.lines.get(kind="common").points == Decimal("16.00")
    assert result.indicator == Decimal("16.00") and "renormalised" not in result.flags


def test_a_target_listed_in_a_common_group_is_scored_there_and_only_there(scheme, users, plan, compute):
    common = scheme.groups.get(kind="common")
    t = target(plan, "农民收入")
    services.group_set_targets(actor=users["supervisor"], group=common, target_ids=[t.pk])
    # A weightless 个性 group ordered first does not become the default for unlisted targets.
    other = SchemeGroup.objects.create(scheme=scheme, name="另一组", kind="specific", weight=0, order=0)
    with pytest.raises(ApplicationError, match="已在“共性指标”组中"):
        services.group_set_targets(actor=users["supervisor"], group=other, target_ids=[t.pk])
    run = compute(scheme)
    entry = next(u for u in run.snapshot["units"] if u["id"] == t.lead_unit_id)
    groups = {x["id"]: x["group"] for x in entry["targets"]}
    assert groups[t.pk] == str(common.pk)
    assert groups[target(plan, "招引项目").pk] == str(scheme.groups.get(name="个性指标").pk)


# ---------------------------------------------------------------- snapshot inputs


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _in_plan_since(plan, day: dt.date) -> None:
    """Backdate the plan's activation and its targets' creation (the fixtures create them today)."""
    Plan.objects.filter(pk=plan.pk).update(activated_at=_at(day))
    Target.objects.filter(plan=plan).update(created_at=_at(day))


def test_reports_returned_and_late_or_missing_months_are_counted_as_of_the_cutoff(scheme, users, plan, compute):
    year = plan.year
    _in_plan_since(plan, dt.date(year, 1, 1))
    t = target(plan, "培育新型农民")
    jan = plan_services.report_submit(actor=users["agri"], target=t, period=dt.date(year, 1, 1), value="10",
                                      narrative="进展", today=dt.date(year, 2, 3))
    feb = plan_services.report_submit(actor=users["agri"], target=t, period=dt.date(year, 2, 1), value="20",
                                      narrative="进展", today=dt.date(year, 3, 20))
    plan_services.report_return(actor=users["supervisor"], report=feb, comment="数据不实")
    ProgressReport.objects.filter(pk=jan.pk).update(submitted_at=_at(dt.date(year, 2, 3)))
    ProgressReport.objects.filter(pk=feb.pk).update(submitted_at=_at(dt.date(year, 3, 20)),
                                                     reviewed_at=_at(dt.date(year, 3, 22)))
    # Cut-off 30 April, 10 days' grace: January, February and March are due; April is not yet.
    run = compute(scheme, when=dt.date(year, 4, 30))
    entry = next(u for u in run.snapshot["units"] if u["id"] == t.lead_unit_id)
    assert entry["details"]["missing_report"] == ["“培育新型农民不少于150人”2月迟报", "“培育新型农民不少于150人”3月漏报"]
    assert entry["counts"]["returned_report"] == 1
    lines = {ln.description: ln for ln in run.results.get(unit_id=t.lead_unit_id).lines.filter(kind="deduction")}
    assert lines["进度报告被退回"].points == Decimal("-0.50")
    assert lines["月报迟报或漏报"].points == Decimal("-0.40")
    # Before the return happened, it does not count.
    earlier = compute(scheme, when=dt.date(year, 3, 21))
    entry = next(u for u in earlier.snapshot["units"] if u["id"] == t.lead_unit_id)
    assert entry["counts"]["returned_report"] == 0


def _missing_months(run, t) -> list[int]:
    entry = next(u for u in run.snapshot["units"] if u["id"] == t.lead_unit_id)
    found = [re.fullmatch(r"“(.+)”(\d+)月漏报", d) for d in entry["details"]["missing_report"]]
    return [int(m[2]) for m in found if m and m[1] == t.title]


@pytest.mark.parametrize(
    ("activated", "created", "months"),
    [
        ((1, 1, 10), (1, 1, 10), list(range(1, 12))),
        # Plan activated 15 September: August's report was due 10 September, before it existed.
        ((9, 15, 10), (1, 1, 10), [9, 10, 11]),
        ((9, 10, 10), (1, 1, 10), [9, 10, 11]),  # activated on August's due day: no time to file it
        ((9, 9, 10), (1, 1, 10), [8, 9, 10, 11]),
        # Target added to the active plan on 9 / 10 October (September due on the 10th).
        ((1, 1, 10), (10, 9, 23), [9, 10, 11]),
        ((1, 1, 10), (10, 10, 0), [10, 11]),  # 00:30 on the 10th in local time is still the 10th
        (None, (10, 9, 10), [9, 10, 11]),  # a plan made active without activation: creation counts
        ((9, 15, 10), (12, 20, 10), []),  # nothing was due since
    ],
)
def test_missing_months_count_only_from_when_the_target_was_in_the_active_plan(scheme, plan, compute,
                                                                               activated, created, months):
    year = plan.year

    def moment(month, day, hour):
        return timezone.make_aware(dt.datetime(year, month, day, hour, 30))

    Plan.objects.filter(pk=plan.pk).update(activated_at=moment(*activated) if activated else None)
    Target.objects.filter(plan=plan).update(created_at=moment(*created))
    # Cut-off 31 December, 10 days' grace: January to November are due, December not yet.
    run = compute(scheme, when=dt.date(year, 12, 31))
    assert _missing_months(run, target(plan, "培育新型农民")) == months


def test_a_target_created_today_on_the_active_plan_owes_no_past_month(scheme, users, plan):
    Plan.objects.filter(pk=plan.pk).update(activated_at=timezone.now() - dt.timedelta(days=400))
    t = target(plan, "培育新型农民")  # created by the fixture just now
    run = services.run_compute(actor=users["supervisor"], scheme=scheme, supervision_stats={})
    assert run.on == services.default_cutoff(plan.year)
    assert _missing_months(run, t) == []


@pytest.mark.parametrize(
    ("submitted", "reviewed", "counted", "filed"),
    [
        ((6, 1), (6, 30), True, True),
        ((6, 1), (7, 1), False, True),  # accepted after the cut-off: filed in time, not yet accepted
        ((7, 1), (7, 1), False, False),  # submitted (and accepted) after the cut-off: not there at all
    ],
)
def test_only_reports_submitted_and_accepted_by_the_cutoff_count(scheme, users, plan, compute,
                                                                 submitted, reviewed, counted, filed):
    year = plan.year
    _in_plan_since(plan, dt.date(year, 1, 1))
    t = target(plan, "培育新型农民")
    report = plan_services.report_submit(actor=users["agri"], target=t, period=dt.date(year, 5, 1), value="150",
                                         narrative="完成", today=dt.date(year, 6, 1))
    plan_services.report_accept(actor=users["supervisor"], report=report)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=_at(dt.date(year, *submitted)),
                                                       reviewed_at=_at(dt.date(year, *reviewed)))
    run = compute(scheme, when=dt.date(year, 6, 30))
    entry = next(u for u in run.snapshot["units"] if u["id"] == t.lead_unit_id)
    facts = next(x for x in entry["targets"] if x["id"] == t.pk)
    assert facts["met"] is counted
    assert facts["completion"] == ("100.0" if counted else None)
    # May's report was due 10 June: only one submitted by the cut-off files it.
    assert (5 in _missing_months(run, t)) is not filed
    later = compute(scheme, when=dt.date(year, 7, 31))
    entry = next(u for u in later.snapshot["units"] if u["id"] == t.lead_unit_id)
    assert next(x for x in entry["targets"] if x["id"] == t.pk)["met"] is True


def test_supervision_statistics_come_from_the_supervision_app(scheme, users, units, plan):
    from yuanqu.supervision import services as supervision

    day = dt.date(plan.year, 3, 1)
    item = supervision.item_create(actor=users["supervisor"], today=day, data={
        "title": "农民培训进度滞后", "source_kind": "target", "target": target(plan, "培育新型农民").pk,
        "lead_unit": units["agri"], "deadline": dt.date(plan.year, 3, 10)})
    supervision.item_assign(actor=users["supervisor"], item=item, today=day)
    for _ in range(5):
        supervision.item_urge(actor=users["supervisor"], item=item, today=day)
    run = services.run_compute(actor=users["supervisor"], scheme=scheme, on=dt.date(plan.year, 6, 30))
    entry = next(u for u in run.snapshot["units"] if u["id"] == units["agri"].pk)
    assert entry["supervision"]["urges"] == 5 and entry["supervision"]["overdue"] == 1
    lines = {ln.description: ln.points for ln in run.results.get(unit=units["agri"]).lines.filter(kind="deduction")}
    assert lines["督办事项被催办"] == Decimal("-2.00")  # 5 × 0.5 = 2.5, capped at 2
    assert lines["督办事项逾期未办结"] == Decimal("-1.00")
    injected = services.run_compute(actor=users["supervisor"], scheme=scheme, on=dt.date(plan.year, 6, 30),
                                    supervision_stats={})
    assert not injected.results.get(unit=units["agri"]).lines.filter(description="督办事项被催办").exists()


# ---------------------------------------------------------------- runs


def test_a_run_is_reproducible_from_its_snapshot_alone(scheme, users, units, plan, compute):
    bonus = services.bonus_propose(actor=users["invest"], scheme=scheme, unit=units["invest"], points="1",
                                   reason="表彰", evidence="文件")
    services.bonus_decide(actor=users["supervisor"], bonus=bonus, approve=True)
    run = compute(scheme)
    stored = result_picture(run)
    assert [engine.result_to_dict(r) for r in engine.assess_snapshot(Run.objects.get(pk=run.pk).snapshot)] == [
        engine.result_to_dict(r) for r in engine.assess_snapshot(run.snapshot)]

    # The world moves on: a report is accepted, a veto is set. The run's own inputs do not.
    t = target(plan, "培育新型农民")
    report = plan_services.report_submit(actor=users["agri"], target=t, period=dt.date(plan.year, 5, 1),
                                         value="150", narrative="完成", today=dt.date(plan.year, 6, 1))
    plan_services.report_accept(actor=users["supervisor"], report=report)
    # Dated before the cut-off, so that a new run counts it (see the cut-off test below).
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=_at(dt.date(plan.year, 6, 1)),
                                                       reviewed_at=_at(dt.date(plan.year, 6, 2)))
    services.veto_set(actor=users["supervisor"], scheme=scheme, unit=units["invest"], reason="事故")
    services.run_recompute(actor=users["supervisor"], run=run)
    assert result_picture(run) == stored

    newer = compute(scheme)
    assert newer.number == run.number + 1 and Run.objects.filter(scheme=scheme).count() == 2
    assert result_picture(newer) != stored
    assert newer.results.get(unit=units["agri"]).total > run.results.get(unit=units["agri"]).total


def test_signing_off_and_publishing_follow_the_order(scheme, users, compute, plan):
    run = compute(scheme)
    with pytest.raises(ApplicationError, match="尚未定档"):
        services.run_publish(actor=users["supervisor"], run=run)
    with pytest.raises(PermissionDeniedError):
        services.run_sign_off(actor=users["leader"], run=run)
    services.run_sign_off(actor=users["supervisor"], run=run)
    with pytest.raises(ApplicationError, match="已定档，不能重算"):
        services.run_recompute(actor=users["supervisor"], run=run)
    services.run_publish(actor=users["supervisor"], run=run)
    run.refresh_from_db()
    assert run.status == Run.Status.PUBLISHED and run.published_by == users["supervisor"]


def test_a_draft_scheme_can_be_previewed_but_not_signed_off(plan, users, compute):
    draft = services.scheme_save(actor=users["supervisor"], data=services.default_scheme_data(plan.year))
    run = compute(draft)
    with pytest.raises(ApplicationError, match="尚未启用"):
        services.run_sign_off(actor=users["supervisor"], run=run)


def test_a_published_run_locks_the_scheme_and_every_attempt_writes_nothing(scheme, users, units, plan, compute):
    run = compute(scheme)
    services.run_sign_off(actor=users["supervisor"], run=run)
    services.run_publish(actor=users["supervisor"], run=run)
    common = scheme.groups.get(kind="common")
    counts = lambda: (Run.objects.count(), RunResult.objects.count(), RunLine.objects.count(),  # noqa: E731
                      BonusItem.objects.count(), Veto.objects.count(), CommonScore.objects.count(),
                      ChangeRecord.objects.count())
    before = counts()
    attempts = [
        lambda: services.run_recompute(actor=users["supervisor"], run=run),
        lambda: services.run_sign_off(actor=users["supervisor"], run=run),
        lambda: services.run_publish(actor=users["supervisor"], run=run),
        lambda: compute(scheme),
        lambda: services.scheme_save(actor=users["supervisor"], scheme=scheme, data={"bonus_cap": "3"}),
        lambda: services.bonus_propose(actor=users["agri"], scheme=scheme, unit=units["agri"], points="1",
                                       reason="表彰", evidence="文件"),
        lambda: services.veto_set(actor=users["supervisor"], scheme=scheme, unit=units["agri"], reason="事故"),
        lambda: services.common_score_save(actor=users["supervisor"], group=common, unit=units["agri"],
                                           name="热线", score="90"),
        lambda: services.group_set_targets(actor=users["supervisor"], group=common, target_ids=[]),
    ]
    for attempt in attempts:
        with pytest.raises(ApplicationError, match="已公示"):
            attempt()
    assert counts() == before
    scheme.refresh_from_db()
    assert scheme.bonus_cap == 5


def test_no_units_to_assess_is_a_clear_error(users, units):
    from yuanqu.plans.models import Plan

    empty = Plan.objects.create(year=2031, title="空计划", source_text="无", status=Plan.Status.ACTIVE)
    s = services.scheme_save(actor=users["supervisor"], data=services.default_scheme_data(empty.year))
    with pytest.raises(ApplicationError, match="无可考核的单位"):
        services.run_compute(actor=users["supervisor"], scheme=s, on=dt.date(2031, 6, 30), supervision_stats={})
    assert not Run.objects.exists()


def test_no_plan_for_the_year_is_a_clear_error(users, units):
    s = services.scheme_save(actor=users["supervisor"], data=services.default_scheme_data(2032))
    with pytest.raises(ApplicationError, match="2032年没有执行中或已关闭的年度计划"):
        services.run_compute(actor=users["supervisor"], scheme=s, on=dt.date(2032, 6, 30))


# ---------------------------------------------------------------- scoring as the lights read


def test_a_green_zero_incident_target_scores_full_and_a_target_not_begun_is_left_out(scheme, users, plan, compute,
                                                                                       units):
    """The demo's 安监与环保 case through a whole run: 确保不发生重特大安全生产事故 (a milestone `= 0`, 0
    reported, light green) and a works target starting on 31 December (not begun)."""
    year = plan.year
    _in_plan_since(plan, dt.date(year, 1, 1))
    section = plan.sections.first()
    safety = make_target(plan, section, units["village"], "确保不发生重特大安全生产事故", kind=Target.Kind.MILESTONE,
                         comparator="=", target_value=Decimal("0"), unit="起")
    works = make_target(plan, section, units["village"], "如期完成雨污分流工程", kind=Target.Kind.MILESTONE,
                        comparator="", target_value=None, unit="", start_date=dt.date(year, 12, 31))
    Target.objects.filter(plan=plan).update(created_at=_at(dt.date(year, 1, 1)))
    report = plan_services.report_submit(actor=users["village"], target=safety, period=dt.date(year, 5, 1), value="0",
                                         narrative="未发生事故", today=dt.date(year, 6, 5))
    plan_services.report_accept(actor=users["supervisor"], report=report)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=_at(dt.date(year, 6, 5)),
                                                       reviewed_at=_at(dt.date(year, 6, 6)))
    run = compute(scheme, when=dt.date(year, 6, 30))
    result = run.results.get(unit=units["village"])
    lines = {ln.description: ln for ln in result.lines.all()}
    # No common score for this unit, so 个性 is scaled up to the full 100, shared by the
    # water-village milestone (no report though due: 0) and the safety target (within its bound:
    # all of its 50); the works target is left out, not scored 0 (it would make it 33.33).
    assert lines[safety.title].points == Decimal("50.00")
    assert "符合控制目标" in lines[safety.title].explanation
    assert works.title not in lines
    note = next(ln for ln in result.lines.all() if ln.kind == "note" and works.title in ln.explanation)
    assert "尚未开始" in note.explanation and "不计分" in note.explanation
    assert lines["三南村创建成省级水美乡村"].points == Decimal("0.00")


def test_the_progress_basis_is_saved_with_the_scheme_and_bad_values_are_refused(plan, users):
    saved = services.scheme_save(actor=users["supervisor"], data=data_with(plan.year, progress_basis="schedule"))
    assert saved.progress_basis == Scheme.ProgressBasis.SCHEDULE
    with pytest.raises(ApplicationError) as exc:
        services.scheme_save(actor=users["supervisor"], scheme=saved, data={"progress_basis": "weekly"})
    assert exc.value.field == "progress_basis" and "完成率计分口径“weekly”无效" in exc.value.message
    saved.refresh_from_db()
    assert saved.progress_basis == Scheme.ProgressBasis.SCHEDULE
