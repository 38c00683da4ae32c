"""Stored lights (plans.stored) stay what the pure engine says, through every write that moves them.

The property test builds random targets, reports and ledgers, then accepts and returns reports,
edits a ledger item, changes the plan's light rule, approves an adjustment and lets days pass
(the daily job); after each step `stored.check()` — a recomputation through another path — must
find no difference.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from yuanqu.plans import adjustments, services, stored
from yuanqu.plans.models import LedgerItem, Plan, ProgressReport, Target, TargetMonthStatus

from ..conftest import TEST_TODAY
from ..factories import make_target, target

KINDS = ["quantity", "ratio", "milestone", "ledger"]
COMPARATORS = [">=", ">", "<=", "="]

report_st = st.fixed_dictionaries({
    "month": st.integers(1, 9),
    "value": st.integers(0, 160),
    "percent": st.integers(0, 100),
    "review": st.sampled_from(["accepted", "pending", "returned"]),
})
target_st = st.fixed_dictionaries({
    "kind": st.sampled_from(KINDS),
    "comparator": st.sampled_from(COMPARATORS),
    "target_value": st.sampled_from([None, 0, 10, 100, 150]),
    "baseline": st.sampled_from([None, None, 20]),
    "start_month": st.sampled_from([None, 1, 3, 10]),
    "deadline_month": st.sampled_from([None, 6, 9, 12]),
    "reports": st.lists(report_st, max_size=4),
    "items": st.lists(st.tuples(st.sampled_from(["planned", "done", "cancelled"]), st.integers(1, 9)), max_size=3),
})
rule_st = st.fixed_dictionaries({
    "progress_mode": st.sampled_from(["day", "month"]),
    "gap_basis": st.sampled_from(["points", "relative"]),
    "green_band": st.sampled_from(["0", "5", "10"]),
    "yellow_band": st.sampled_from(["10", "30", "50"]),
})


def _month(n: int, last: bool = False) -> dt.date:
    day = dt.date(TEST_TODAY.year, n, 1)
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1) if last else day


def _build(plan, section, unit, specs, users) -> list[ProgressReport]:
    pending = []
    for i, spec in enumerate(specs):
        value = spec["target_value"]
        t = make_target(
            plan, section, unit, f"随机目标{i}", kind=spec["kind"], comparator=spec["comparator"],
            target_value=None if value is None else Decimal(value),
            baseline=None if spec["baseline"] is None or value in (None, 0) else Decimal(spec["baseline"]),
            start_date=_month(spec["start_month"]) if spec["start_month"] else None,
            deadline=_month(spec["deadline_month"], last=True) if spec["deadline_month"] else None,
        )
        for version, r in enumerate(spec["reports"], 1):
            report = ProgressReport.objects.create(
                target=t, period=_month(r["month"]), version=version, value=Decimal(r["value"]),
                percent=Decimal(r["percent"]), narrative="进展", submitted_by=users["invest"],
                review=r["review"], reviewed_by=users["supervisor"] if r["review"] != "pending" else None,
            )
            if r["review"] == "pending":
                pending.append(report)
        for order, (state, month) in enumerate(spec["items"]):
            LedgerItem.objects.create(target=t, name=f"事项{order}", status=state, order=order,
                                      completed_on=_month(month) if state == "done" else None)
    return pending


def _assert_true(when: str) -> None:
    differences = stored.check()
    assert differences == [], f"{when}: " + "; ".join(map(str, differences[:5]))


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # shrinking a DB-backed case takes minutes
@given(specs=st.lists(target_st, min_size=1, max_size=5), rule=rule_st, days=st.integers(1, 40))
def test_stored_lights_equal_the_engine_after_every_kind_of_write(plan, users, units, clock, specs, rule, days):
    savepoint = transaction.savepoint()
    try:
        section = plan.sections.first()
        pending = _build(plan, section, units["invest"], specs, users)
        _assert_true("after building")

        # Reports accepted and returned in the review queue.
        for n, report in enumerate(pending):
            latest = ProgressReport.objects.filter(target=report.target, period=report.period).order_by("-version")
            if latest.first().pk != report.pk:
                continue
            if n % 2:
                services.report_return(actor=users["supervisor"], report=report, comment="数据不实")
            else:
                services.report_accept(actor=users["supervisor"], report=report)
        _assert_true("after reviews")

        # A ledger item done today.
        item = LedgerItem.objects.filter(target__plan=plan).exclude(status="done").first()
        if item is not None:
            services.ledger_item_update(actor=users["supervisor"], item=item, data={"status": "done"})
            _assert_true("after a ledger item")

        # The plan's light rule edited.
        services.plan_update_settings(actor=users["supervisor"], plan=Plan.objects.get(pk=plan.pk), data=rule)
        _assert_true("after a light rule change")

        # An approved adjustment: the target's number and deadline change.
        t = Target.objects.alive().filter(plan=plan, title__startswith="随机目标").first()
        adjustment = adjustments.adjustment_request(
            actor=users["invest"], target=t, kind="change", reason="会议研究调整", basis="minutes",
            document=SimpleUploadedFile("纪要.pdf", b"%PDF-1.4", content_type="application/pdf"),
            changes={"target_value": "80", "deadline": (TEST_TODAY + dt.timedelta(days=30)).isoformat()},
        )
        adjustments.adjustment_decide(actor=users["supervisor"], adjustment=adjustment, action="approve")
        _assert_true("after an adjustment")

        # Days pass: the check sees the stale day until the daily job runs, then nothing.
        clock.set_today(TEST_TODAY + dt.timedelta(days=days))
        assert stored.check(), "a day later the stored lights are of yesterday"
        call_command("statuses", stdout=open("/dev/null", "w"))
        _assert_true(f"{days} days later")
        call_command("statuses", "--check", stdout=open("/dev/null", "w"))
    finally:
        clock.set_today(TEST_TODAY)
        transaction.savepoint_rollback(savepoint)


def test_a_report_accepted_moves_the_light_and_the_months_after_its_period_in_the_same_transaction(plan, users):
    t = target(plan, "招引项目")
    assert (t.status, t.status_on) == ("red", TEST_TODAY)  # stored when it was created: nothing at ~70%
    report = services.report_submit(actor=users["invest"], target=t, period=dt.date(2026, 6, 1), value="90",
                                    narrative="进展")
    assert Target.objects.get(pk=t.pk).status == "red"  # pending counts for nothing
    with transaction.atomic():
        services.report_accept(actor=users["supervisor"], report=report)
        t.refresh_from_db()
        assert (t.status, t.completion) == ("green", 90.0)  # 90% against 序时进度 ~70%
    months = dict(TargetMonthStatus.objects.filter(target=t).values_list("month", "status"))
    assert len(months) == 8  # January to August have ended on 15 September
    assert months[dt.date(2026, 5, 1)] == "red" and months[dt.date(2026, 6, 1)] == "green"


def test_a_saved_target_in_memory_never_writes_an_old_light_back(plan, users):
    t = target(plan, "招引项目")
    stale = Target.objects.get(pk=t.pk)
    report = services.report_submit(actor=users["invest"], target=t, period=dt.date(2026, 8, 1), value="100",
                                    narrative="完成")
    services.report_accept(actor=users["supervisor"], report=report)
    stale.title = "招引项目100个（改）"
    stale.save()
    assert Target.objects.get(pk=t.pk).status == "done"


def test_the_check_command_fails_on_a_stored_light_that_differs(plan):
    call_command("statuses", "--check", stdout=open("/dev/null", "w"))
    Target.objects.filter(plan=plan).update(status="done")
    with pytest.raises(CommandError, match="不一致"):
        call_command("statuses", "--check", stdout=open("/dev/null", "w"))
    call_command("statuses", stdout=open("/dev/null", "w"))  # the job rewrites what differs
    assert not Target.objects.filter(plan=plan, status="done").exists()
    call_command("statuses", "--check", stdout=open("/dev/null", "w"))


def test_the_daily_job_is_idempotent_and_a_page_read_catches_up_a_missed_day(plan, clock):
    clock.set_today(TEST_TODAY + dt.timedelta(days=20))
    call_command("statuses", stdout=open("/dev/null", "w"))
    rows = list(TargetMonthStatus.objects.order_by("pk").values_list("pk", "status"))
    assert TargetMonthStatus.objects.filter(month=dt.date(2026, 9, 1)).count() == 4  # September has ended
    call_command("statuses", stdout=open("/dev/null", "w"))
    assert list(TargetMonthStatus.objects.order_by("pk").values_list("pk", "status")) == rows
    clock.set_today(TEST_TODAY + dt.timedelta(days=21))
    stored.ensure_fresh(Target.objects.filter(plan=plan))
    assert stored.check() == []


def test_a_light_rule_change_moves_every_target_of_the_plan(plan, users):
    t = target(plan, "培育新型农民")
    report = services.report_submit(actor=users["agri"], target=t, period=dt.date(2026, 8, 1), value="95",
                                    narrative="进展")
    services.report_accept(actor=users["supervisor"], report=report)  # 63% against 70.7%: 7 points behind
    assert Target.objects.get(pk=t.pk).status == "yellow"
    services.plan_update_settings(actor=users["supervisor"], plan=Plan.objects.get(pk=plan.pk),
                                  data={"green_band": "10", "yellow_band": "30"})
    assert Target.objects.get(pk=t.pk).status == "green"
    assert stored.check() == []


def test_pages_re_read_bound_targets_at_most_once_a_pause(plan, units, settings):
    """A bound target's register changes without plans hearing of it: the pages re-read every bound
    target, but at most once every YUANQU_BOUND_REFRESH_SECONDS; the check re-reads them first."""
    from django.core.cache import cache

    settings.YUANQU_BOUND_REFRESH_SECONDS = 60
    cache.clear()
    section = plan.sections.first()
    source = make_target(plan, section, units["invest"], "台账来源", kind="ledger")
    bound = make_target(plan, section, units["invest"], "绑定目标", target_value=Decimal("1"),
                        metric="plans.ledger_done", metric_params={"target": source.pk})
    visible = Target.objects.filter(plan=plan)
    stored.ensure_fresh(visible)
    assert Target.objects.get(pk=bound.pk).status != "done"
    LedgerItem.objects.create(target=source, name="签约", status="done", completed_on=TEST_TODAY)
    stored.ensure_fresh(visible)  # within the pause: the light waits
    assert Target.objects.get(pk=bound.pk).status != "done"
    cache.clear()  # the pause is over
    stored.ensure_fresh(visible)
    assert Target.objects.get(pk=bound.pk).status == "done"
    LedgerItem.objects.filter(target=source).delete()
    assert stored.check() == []  # the check does not wait
    assert Target.objects.get(pk=bound.pk).status != "done"
