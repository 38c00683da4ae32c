"""Services: every write checks rights, validates, logs history and writes nothing on error."""

import datetime as dt
from decimal import Decimal

import pytest

from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.history import history_for
from yuanqu.core.models import ChangeRecord
from yuanqu.plans import services
from yuanqu.plans.models import LedgerItem, Plan, ProgressReport, Target
from yuanqu.plans.selectors import evaluate_targets
from yuanqu.plans.status import Status

from ..conftest import TEST_TODAY
from ..factories import target

TODAY = TEST_TODAY
THIS_MONTH = TODAY.replace(day=1)


def submit(user, t, **kw):
    data = {"period": THIS_MONTH, "narrative": "按计划推进", "value": None, "percent": None}
    data.update(kw)
    return services.report_submit(actor=user, target=t, **data)


def test_reporter_files_supervisor_accepts_status_follows(plan, users):
    t = target(plan, "培育新型农民")
    before = evaluate_targets([t], TODAY)[t.pk]
    report = submit(users["agri"], t, value="150")
    assert report.version == 1 and report.review == ProgressReport.Review.PENDING
    assert evaluate_targets([t], TODAY)[t.pk] == before  # pending figures do not count
    services.report_accept(actor=users["supervisor"], report=report, comment="属实")
    after = evaluate_targets([t], TODAY)[t.pk]
    assert after.status is Status.DONE and after.completion == 100
    actions = [r.action for r in history_for(report)]
    assert actions == [ChangeRecord.Action.ACCEPT, ChangeRecord.Action.SUBMIT]


def test_a_correction_is_a_new_version_and_the_old_stays(plan, users):
    t = target(plan, "培育新型农民")
    first = submit(users["agri"], t, value="50", based_on_version=0)
    second = submit(users["agri"], t, value="60", based_on_version=1)
    assert (first.version, second.version) == (1, 2)
    assert ProgressReport.objects.filter(target=t).count() == 2
    assert list(ProgressReport.objects.filter(target=t).current()) == [second]
    first.refresh_from_db()
    assert first.value == Decimal("50")


def test_a_form_over_a_newer_version_is_refused_and_writes_nothing(plan, users):
    t = target(plan, "培育新型农民")
    submit(users["agri"], t, value="50", based_on_version=0)
    with pytest.raises(ConflictError, match="第1版"):
        submit(users["agri"], t, value="70", based_on_version=0)
    assert ProgressReport.objects.filter(target=t).count() == 1


@pytest.mark.parametrize(
    "kw,field,message",
    [
        ({"value": "abc"}, "value", "完成值应为数字"),
        ({"value": None}, "value", "请填写完成值"),
        ({"value": "10", "narrative": "  "}, "narrative", "请填写工作进展"),
        ({"value": "10", "percent": "120"}, "percent", "0–100"),
        ({"value": "10", "period": "2026-13"}, "period", "格式不正确"),
    ],
)
def test_bad_report_input_names_the_field_and_writes_nothing(plan, users, kw, field, message):
    t = target(plan, "培育新型农民")
    with pytest.raises(ApplicationError, match=message) as exc:
        submit(users["agri"], t, **kw)
    assert exc.value.field == field
    assert not ProgressReport.objects.exists()
    assert not ChangeRecord.objects.filter(action=ChangeRecord.Action.SUBMIT).exists()


def test_future_months_cannot_be_reported(plan, users):
    t = target(plan, "培育新型农民")
    with pytest.raises(ApplicationError, match="未来月份"):
        submit(users["agri"], t, value="1", period=THIS_MONTH, today=THIS_MONTH - dt.timedelta(days=1))


@pytest.mark.parametrize("role", ["invest", "village", "leader", "nounit"])
def test_reporting_on_a_target_not_led_by_ones_unit_is_refused(plan, users, role):
    t = target(plan, "培育新型农民")
    with pytest.raises(PermissionDeniedError):
        submit(users[role], t, value="1")
    assert not ProgressReport.objects.exists()


def test_returning_needs_a_comment_and_cannot_be_repeated(plan, users):
    t = target(plan, "三南村")
    report = submit(users["village"], t, percent="30")
    with pytest.raises(ApplicationError, match="退回意见"):
        services.report_return(actor=users["supervisor"], report=report, comment="")
    services.report_return(actor=users["supervisor"], report=report, comment="请补充佐证材料")
    with pytest.raises(ApplicationError, match="不能重复审核"):
        services.report_accept(actor=users["supervisor"], report=report)
    with pytest.raises(PermissionDeniedError):
        services.report_accept(actor=users["leader"], report=report)


def test_only_the_newest_version_can_be_reviewed(plan, users):
    t = target(plan, "三南村")
    old = submit(users["village"], t, percent="30")
    submit(users["village"], t, percent="40", based_on_version=1)
    with pytest.raises(ConflictError, match="第2版"):
        services.report_accept(actor=users["supervisor"], report=old)


def test_target_update_is_versioned_and_logged(plan, users):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)  # an active plan adjusts instead
    t = target(plan, "招引项目")
    updated = services.target_update(actor=users["supervisor"], target=t, data={"target_value": "120"},
                                     expected_version=1)
    assert updated.version == 2 and updated.target_value == Decimal("120")
    change = history_for(t).first()
    assert change.actor == users["supervisor"]
    assert ("target_value", "100", "120") in change.changes()
    with pytest.raises(ConflictError):
        services.target_update(actor=users["supervisor"], target=t, data={"target_value": "130"},
                               expected_version=1)
    assert Target.objects.get(pk=t.pk).target_value == Decimal("120")


def test_an_update_that_changes_nothing_keeps_the_version(plan, users):
    t = target(plan, "招引项目")
    services.target_update(actor=users["supervisor"], target=t, data={"title": t.title}, expected_version=1)
    assert Target.objects.get(pk=t.pk).version == 1
    assert not history_for(t).exists()


def test_reporters_cannot_edit_targets(plan, users):
    with pytest.raises(PermissionDeniedError):
        services.target_update(actor=users["invest"], target=target(plan, "招引项目"), data={"title": "x"})


def test_target_value_of_the_wrong_type_is_refused(plan, users):
    with pytest.raises(ApplicationError, match="目标值应为数字"):
        services.target_update(actor=users["supervisor"], target=target(plan, "招引项目"),
                               data={"target_value": "一百"})


def test_delete_keeps_the_row_and_its_history(plan, users):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)
    t = target(plan, "招引项目")
    services.target_delete(actor=users["supervisor"], target=t)
    assert Target.objects.filter(pk=t.pk).exists()
    assert not Target.objects.visible_to(users["supervisor"]).filter(pk=t.pk).exists()
    assert history_for(t).first().action == ChangeRecord.Action.DELETE


def test_activation_needs_every_target_to_have_a_lead_unit(plan, users):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)
    t = target(plan, "招引项目")
    Target.objects.filter(pk=t.pk).update(lead_unit=None)
    with pytest.raises(ApplicationError, match="1个目标未指定牵头单位"):
        services.plan_activate(actor=users["supervisor"], plan=plan)
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT
    Target.objects.filter(pk=t.pk).update(lead_unit=users["invest"].unit)
    services.plan_activate(actor=users["supervisor"], plan=plan)
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.ACTIVE


def test_only_one_active_plan_per_year(plan, users):
    other = Plan.objects.create(year=plan.year, title="另一计划", source_text="x")
    other.sections.create(no="一", title="x")
    Target.objects.create(plan=other, section=other.sections.get(), title="x", lead_unit=users["invest"].unit)
    with pytest.raises(ApplicationError, match=f"已有执行中的计划“{plan.title}”（#{plan.pk}）.*请先关闭该计划"):
        services.plan_activate(actor=users["supervisor"], plan=other)


def test_ledger_target_counts_its_done_items(plan, users):
    t = target(plan, "三南村")
    t.kind, t.target_value = Target.Kind.LEDGER, None
    t.save()
    items = [services.ledger_item_create(actor=users["village"], target=t, data={"name": f"工程{i}"})
             for i in range(4)]
    services.ledger_item_update(actor=users["village"], item=items[0], data={"status": "done"})
    services.ledger_item_update(actor=users["village"], item=items[1], data={"status": "cancelled"})
    ev = evaluate_targets([Target.objects.select_related("plan").get(pk=t.pk)], TODAY)[t.pk]
    assert ev.completion == pytest.approx(100 / 3, abs=0.01)
    assert LedgerItem.objects.get(pk=items[0].pk).completed_on == TODAY


def test_ledger_items_of_other_units_cannot_be_edited(plan, users):
    t = target(plan, "三南村")
    item = services.ledger_item_create(actor=users["village"], target=t, data={"name": "工程"})
    with pytest.raises(PermissionDeniedError):
        services.ledger_item_update(actor=users["invest"], item=item, data={"status": "done"})
    with pytest.raises(ConflictError):
        services.ledger_item_update(actor=users["village"], item=item, data={"status": "done"},
                                    expected_version=5)


@pytest.mark.parametrize(
    "data",
    [{"deadline": "2000-06-30"}, {"start_date": "2999-03-01"}, {"start_date": "2030-05-01", "deadline": "2030-04-01"}],
)
def test_a_deadline_before_the_effective_start_is_refused(plan, users, data):
    t = target(plan, "招引项目")
    with pytest.raises(ApplicationError, match="不能早于起始日期") as exc:
        services.target_update(actor=users["supervisor"], target=t, data=data)
    assert exc.value.field == "deadline"
    assert Target.objects.get(pk=t.pk).deadline is None


def test_an_inverted_period_in_the_database_does_not_break_evaluation(plan):
    t = target(plan, "招引项目")
    Target.objects.filter(pk=t.pk).update(start_date=dt.date(plan.year, 12, 1), deadline=dt.date(plan.year, 1, 31))
    ev = evaluate_targets([Target.objects.select_related("plan").get(pk=t.pk)], TODAY)[t.pk]
    assert ev.schedule in (0.0, 100.0)


@pytest.mark.parametrize("day,message", [("2999-01-01", "不能晚于今天"), ("0001-01-01", "早于计划年度"),
                                         ("yesterday", "不是有效日期")])
def test_ledger_completion_dates_must_be_plausible(plan, users, day, message):
    item = services.ledger_item_create(actor=users["village"], target=target(plan, "三南村"), data={"name": "工程"})
    with pytest.raises(ApplicationError, match=message):
        services.ledger_item_update(actor=users["village"], item=item, data={"status": "done", "completed_on": day})
    assert LedgerItem.objects.get(pk=item.pk).status == LedgerItem.Status.PLANNED


def test_a_supervisor_cannot_accept_a_report_they_filed(plan, users):
    report = submit(users["supervisor"], target(plan, "培育新型农民"), value="10")
    with pytest.raises(PermissionDeniedError, match="不能审核自己填报的报告"):
        services.report_accept(actor=users["supervisor"], report=report)
    services.report_accept(actor=users["admin"], report=report)


def test_a_closed_plans_light_settings_are_frozen(plan, users):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.CLOSED)
    with pytest.raises(ApplicationError, match="计划已关闭"):
        services.plan_update_settings(actor=users["supervisor"], plan=plan, data={"yellow_band": "20"})


def test_light_settings_are_validated_and_logged(plan, users):
    with pytest.raises(ApplicationError, match="绿灯容差不能大于黄灯容差"):
        services.plan_update_settings(actor=users["supervisor"], plan=plan, data={"green_band": "20"})
    services.plan_update_settings(actor=users["supervisor"], plan=plan,
                                  data={"gap_basis": "relative", "green_band": "0", "yellow_band": "50"})
    plan.refresh_from_db()
    assert plan.status_rule().basis == "relative" and plan.status_rule().yellow_band == 50
    assert ("gap_basis", "points", "relative") in history_for(plan).first().changes()
