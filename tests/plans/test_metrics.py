"""Live figures: targets bound to registered metrics, their snapshots and their query cost."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.core.errors import ApplicationError
from yuanqu.core.metrics import all_metrics, get_metric
from yuanqu.plans import services
from yuanqu.plans.models import LedgerItem, MetricSnapshot, Target
from yuanqu.plans.selectors import evaluate_targets
from yuanqu.plans.status import Status

from ..conftest import TEST_TODAY
from ..factories import make_target, target

TODAY = TEST_TODAY


def bind_to_its_ledger(t: Target, supervisor, goal="3") -> Target:
    # The goal is the plan's (set up here); binding the source is what an active plan allows directly.
    Target.objects.filter(pk=t.pk).update(target_value=goal)
    return services.target_update(
        actor=supervisor, target=Target.objects.get(pk=t.pk),
        data={"metric": "plans.ledger_done", "metric_params": {"target": str(t.pk)}},
    )


def fresh(t):
    return Target.objects.select_related("plan").get(pk=t.pk)


def test_plans_registers_its_ledger_metrics():
    names = {m.name for m in all_metrics()}
    assert {"plans.ledger_done", "plans.ledger_total", "plans.ledger_amount_done"} <= names


def test_a_bound_target_reads_its_value_not_typed(plan, users):
    t = bind_to_its_ledger(target(plan, "招引项目"), users["supervisor"])
    assert t.metric_params == {"target": t.pk}  # cleaned to an int
    for i in range(3):
        item = services.ledger_item_create(actor=users["invest"], target=t, data={"name": f"项目{i}"})
        if i < 2:
            services.ledger_item_update(actor=users["invest"], item=item, data={"status": "done"})
    ev = evaluate_targets([fresh(t)], TODAY)[t.pk]
    assert ev.completion == pytest.approx(200 / 3, abs=0.01)
    # a typed value on a report is ignored: the register is the source
    report = services.report_submit(actor=users["invest"], target=t, period=TODAY.replace(day=1),
                                    value="999", percent="50", narrative="推进中")
    assert report.value is None
    services.report_accept(actor=users["supervisor"], report=report)
    assert evaluate_targets([fresh(t)], TODAY)[t.pk].completion == pytest.approx(200 / 3, abs=0.01)


def _assert_params_refused(plan, users, params, message):
    """Binding a target to plans.ledger_done with `params` is refused with `message`, and the
    target stays unbound."""
    t = target(plan, "招引项目")
    with pytest.raises(ApplicationError, match=message):
        services.target_update(actor=users["supervisor"], target=t,
                               data={"metric": "plans.ledger_done", "metric_params": params})
    assert fresh(t).metric == ""


@pytest.mark.parametrize(
    "params,message",
    [({}, "缺少参数“目标编号”"), ({"target": "x"}, "格式不正确"), ({"target": 1, "zone": 2}, "没有参数：zone")],
)
def test_bad_metric_parameters_are_refused_naming_the_parameter(plan, users, params, message):
    _assert_params_refused(plan, users, params, message)


def test_an_unknown_metric_is_refused(plan, users):
    with pytest.raises(ApplicationError, match="指标“nope”不存在"):
        services.target_update(actor=users["supervisor"], target=target(plan, "招引项目"), data={"metric": "nope"})


def test_past_months_read_their_snapshot_so_old_statuses_stay(plan, users):
    t = bind_to_its_ledger(target(plan, "招引项目"), users["supervisor"], goal="1")
    last_month_end = TODAY.replace(day=1) - dt.timedelta(days=1)
    if last_month_end.year != plan.year:
        pytest.skip("needs a previous month inside the plan year")
    MetricSnapshot.objects.create(target=t, period=last_month_end.replace(day=1), as_of=last_month_end,
                                  metric=t.metric, params=t.metric_params, value=Decimal("1"))
    # the register now says 0 (nothing done), but last month's reading said 1
    assert evaluate_targets([fresh(t)], last_month_end)[t.pk].status is Status.DONE
    assert evaluate_targets([fresh(t)], TODAY)[t.pk].status is not Status.DONE


def test_snapshot_records_each_bound_target_once_per_month(plan, users):
    t = bind_to_its_ledger(target(plan, "招引项目"), users["supervisor"])
    item = services.ledger_item_create(actor=users["invest"], target=t, data={"name": "项目A"})
    assert services.metrics_snapshot(on=TODAY) == 1
    services.ledger_item_update(actor=users["invest"], item=item, data={"status": "done"})
    services.metrics_snapshot(on=TODAY)
    snap = MetricSnapshot.objects.get(target=t)
    assert snap.value == 1 and snap.period == TODAY.replace(day=1)


def test_evaluating_many_bound_targets_costs_a_fixed_number_of_queries(plan, users, units):
    section = plan.sections.first()

    def build(n):
        for i in range(n):
            t = make_target(plan, section, units["invest"], f"绑定目标{i}", metric="plans.ledger_done")
            t.metric_params = {"target": t.pk}
            t.save()
            LedgerItem.objects.create(target=t, name="x", status="done", completed_on=TODAY)

    def count():
        targets = list(Target.objects.alive().filter(plan=plan).select_related("plan"))
        with CaptureQueriesContext(connection) as ctx:
            evaluate_targets(targets, TODAY)
        return len(ctx)

    build(2)
    small = count()
    build(10)
    assert count() == small


def test_metric_compute_of_nothing_is_nothing(db):
    metric = get_metric("plans.ledger_done")
    assert metric.compute_many([], TODAY) == []


@pytest.mark.parametrize(
    "params,message",
    [
        ({"target": "99999999999999999999999"}, "格式不正确"),
        ({"target": 987654}, "该对象不存在"),
        ([1, 2], "名称: 值"),
    ],
)
def test_metric_parameters_that_cannot_be_looked_up_are_refused(plan, users, params, message):
    _assert_params_refused(plan, users, params, message)


# ---------------------------------------------------------------- reads that fail safe


def _broken_metric(params_list, on):
    raise RuntimeError("the register's database view is gone")


@pytest.fixture
def raising_metric(monkeypatch):
    from yuanqu.core import metrics

    monkeypatch.setitem(metrics._registry, "test.raises", metrics.Metric(
        "test.raises", "会出错的指标", "个", _broken_metric, (), "测试用"))
    return "test.raises"


@pytest.mark.parametrize("kind", ["removed", "raises", "bad_params"])
def test_a_broken_metric_shows_unavailable_and_every_page_renders(client, plan, users, raising_metric, kind):
    broken = target(plan, "招引项目")
    healthy = bind_to_its_ledger(target(plan, "培育新型农民"), users["supervisor"])
    binding = {
        "removed": {"metric": "investment.no_longer_here", "metric_params": {}},
        "raises": {"metric": raising_metric, "metric_params": {}},
        "bad_params": {"metric": "plans.ledger_done", "metric_params": {"target": "not-a-number"}},
    }[kind]
    Target.objects.filter(pk=broken.pk).update(**binding)  # as if the register changed under it

    evaluations = evaluate_targets([fresh(broken), fresh(healthy)], TODAY)
    assert evaluations[broken.pk].completion is None
    assert evaluations[healthy.pk].completion is not None  # the healthy one is still read

    client.force_login(users["supervisor"])
    page = client.get(f"/targets/{broken.pk}/")
    assert page.status_code == 200
    assert 'data-testid="metric-unavailable"' in page.content.decode()
    listing = client.get("/targets/", {"plan": plan.pk})
    assert listing.status_code == 200 and "取数不可用" in listing.content.decode()
    for url in [f"/plans/{plan.pk}/", "/cockpit/", f"/reports/export/targets.xlsx?plan={plan.pk}"]:
        assert client.get(url).status_code == 200, url
