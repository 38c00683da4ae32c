"""Confirming and dismissing candidates, the disposal lifecycle, steps in order, land released flowing
to the land register's 盘活 metric, and bad input refused naming the field with nothing written."""

from decimal import Decimal

import pytest

from yuanqu.cleanup import selectors, services
from yuanqu.cleanup.models import Case, CaseEvent, CaseStep, Criterion
from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.metrics import find_metric
from yuanqu.core.models import ChangeRecord
from yuanqu.land import services as land_services
from yuanqu.land.models import Parcel, Revitalisation

from .conftest import YEAR, D, figure


def refused(call, field, *words, error=ApplicationError):
    """The call is refused with a message naming `field` and containing `words`; nothing is written."""
    counts = (Case.objects.count(), CaseStep.objects.count(), CaseEvent.objects.count(), ChangeRecord.objects.count(),
              Revitalisation.objects.count())
    with pytest.raises(error) as caught:
        call()
    assert caught.value.field == field, caught.value.message
    for word in words:
        assert word in caught.value.message
    assert counts == (Case.objects.count(), CaseStep.objects.count(), CaseEvent.objects.count(),
                      ChangeRecord.objects.count(), Revitalisation.objects.count())
    return caught.value.message


def test_the_candidate_list_names_the_criteria_met_and_drops_the_decided(zone, firms):
    filters = selectors.CandidateFilters(year=YEAR)
    rows = selectors.candidates(zone["economy"], filters)
    assert [(r.enterprise.name, r.category, r.met_text) for r in rows] == [
        ("P 企业", "scattered", "排放超标（2025年 2.5）"), ("Z 企业", "zombie", "连续两年亏损（2024年 -10，2025年 -3）")]
    services.case_decide(actor=zone["environment"], enterprise=firms["P"], category="scattered", decision="dismiss",
                         reason="已整改到位，复测达标")
    assert [r.enterprise.name for r in selectors.candidates(zone["economy"], filters)] == ["Z 企业"]
    everything = selectors.candidates(zone["economy"], selectors.CandidateFilters(year=YEAR, show="all"))
    assert [r.case.get_state_display() if r.case else None for r in everything] == ["已排除", None]
    # the latest version of a figure decides: a correction of Z's 2025 loss to a profit drops it
    figure(firms["Z"], 2025, "value_added", 1, version=2)
    assert selectors.candidates(zone["economy"], filters) == []
    assert selectors.candidates(zone["village"], filters) == []  # a unit does not read the list


def test_confirming_keeps_the_criteria_met_and_the_reason_with_history(zone, firms):
    case = services.case_decide(actor=zone["economy"], enterprise=firms["Z"].pk, category="zombie",
                                decision="confirm", reason="连续亏损")
    assert (case.state, case.year, case.decided_by, case.reason) == ("confirmed", YEAR, zone["economy"], "连续亏损")
    assert case.criteria_met == [{"criterion": Criterion.objects.get(name="连续两年亏损").pk, "name": "连续两年亏损",
                                  "detail": "2024年 -10，2025年 -3"}]
    record = ChangeRecord.objects.get(object_id=case.pk, action="create")
    assert record.note == "认定：连续亏损" and record.after["state"] == "confirmed"


def test_a_decision_without_a_reason_or_on_a_non_candidate_or_twice_is_refused(zone, firms):
    economy = zone["economy"]
    refused(lambda: services.case_decide(actor=economy, enterprise=firms["Z"], category="zombie", decision="confirm",
                                         reason="  "), "reason", "认定理由")
    refused(lambda: services.case_decide(actor=economy, enterprise=firms["Z"], category="zombie", decision="dismiss",
                                         reason=""), "reason", "排除理由")
    refused(lambda: services.case_decide(actor=economy, enterprise=firms["OK"], category="zombie", decision="confirm",
                                         reason="x"), "enterprise", "不符合任何僵尸企业认定标准")
    refused(lambda: services.case_decide(actor=economy, enterprise=firms["Z"], category="other", decision="confirm",
                                         reason="x"), "category", "清理类别")
    refused(lambda: services.case_decide(actor=economy, enterprise=99999, category="zombie", decision="confirm",
                                         reason="x"), "enterprise", "不存在")
    refused(lambda: services.case_decide(actor=zone["village"], enterprise=firms["Z"], category="zombie",
                                         decision="confirm", reason="x"), None, error=PermissionDeniedError)
    services.case_decide(actor=economy, enterprise=firms["Z"], category="zombie", decision="confirm", reason="x")
    refused(lambda: services.case_decide(actor=economy, enterprise=firms["Z"], category="zombie", decision="dismiss",
                                         reason="y"), None, "不能重复", error=ConflictError)


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"indicator": "profit"}, "indicator", ("“profit”不存在", "value_added")),
    ({"years": -1}, "years", ("连续年数", "-1")),
    ({"years": 0}, "years", ("连续年数",)),
    ({"years": "2.5"}, "years", ("连续年数",)),
    ({"comparator": "!="}, "comparator", ("比较方式",)),
    ({"threshold": "多"}, "threshold", ("门槛值",)),
    ({"kind": "missing_field", "field": "password"}, "field", ("企业信息字段", "production_on")),
    ({"name": ""}, "name", ("标准名称",)),
])
def test_a_bad_criterion_is_refused_naming_its_field(zone, rules, data, field, words):
    good = {"category": "zombie", "name": "新标准", "kind": "figure", "indicator": "tax_paid", "comparator": "<=",
            "threshold": "0", "years": 2}
    refused(lambda: services.criterion_save(actor=zone["admin"], criterion=None, data={**good, **data}), field, *words)
    edit = rules["loss"]
    refused(lambda: services.criterion_save(actor=zone["admin"], criterion=edit, data=data), field, *words)
    assert Criterion.objects.get(pk=edit.pk).version == 1


def test_a_criterion_edit_is_versioned_and_changes_the_list(zone, firms, rules):
    services.criterion_save(actor=zone["economy"], criterion=rules["loss"], data={"years": 3})
    assert Criterion.objects.get(pk=rules["loss"].pk).version == 2
    assert selectors.candidates(zone["economy"], selectors.CandidateFilters(year=YEAR, category="zombie")) == []
    with pytest.raises(PermissionDeniedError):
        services.criterion_save(actor=zone["village"], criterion=rules["loss"], data={"years": 1})


def test_the_disposal_lifecycle_from_confirmed_to_done(zone, firms, confirmed, units, clock):
    economy = zone["economy"]
    a = services.step_add(actor=economy, case=confirmed, data={"title": "清产核资", "planned_on": "2026-04-30"})
    b = services.step_add(actor=economy, case=confirmed, data={"title": "职工安置", "planned_on": D(2026, 10, 31)})
    assert (a.order, b.order) == (1, 2)
    case = services.case_step(actor=economy, case=confirmed, action="start", expected_version=confirmed.version)
    assert case.state == "disposing"
    # the assigned unit records its steps; the late one shows
    services.step_update(actor=zone["invest"], step=a, data={"done_on": "2026-05-10"})
    a.refresh_from_db()
    assert a.is_late(clock.today()) and not b.is_late(clock.today())
    refused(lambda: services.case_step(actor=economy, case=case, action="complete"), "steps", "职工安置")
    services.step_update(actor=zone["invest"], step=b, data={"done_on": "2026-09-01"})
    case = services.case_step(actor=economy, case=case, action="complete", comment="已被兼并")
    assert (case.state, case.completed_on) == ("done", clock.today())
    assert [(e.action, e.to_state) for e in case.events.order_by("pk")] == [("start", "disposing"), ("complete", "done")]
    assert services.allowed_actions(economy, case) == []


def test_start_needs_a_method_and_a_unit(zone, firms):
    case = services.case_decide(actor=zone["economy"], enterprise=firms["Z"], category="zombie", decision="confirm",
                                reason="x")
    refused(lambda: services.case_step(actor=zone["economy"], case=case, action="start"), "method", "处置方式")
    case = services.case_update(actor=zone["economy"], case=case, data={"method": "close"})
    refused(lambda: services.case_step(actor=zone["economy"], case=case, action="start"), "unit", "责任单位")
    refused(lambda: services.case_update(actor=zone["economy"], case=case, data={"method": "burn"}), "method", "关停取缔")


def test_a_dismissed_candidate_may_be_confirmed_again_with_a_reason(zone, firms):
    case = services.case_decide(actor=zone["environment"], enterprise=firms["P"], category="scattered",
                                decision="dismiss", reason="复测达标")
    refused(lambda: services.case_step(actor=zone["environment"], case=case, action="reopen"), "comment", "认定理由")
    refused(lambda: services.step_add(actor=zone["environment"], case=case, data={"title": "x", "planned_on": "2026-10-01"}),
            "state", "已排除")
    case = services.case_step(actor=zone["environment"], case=case, action="reopen", comment="再次超标")
    assert case.state == "confirmed"


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"title": "公告", "planned_on": "2026-04-01"}, "planned_on", ("早于上一步", "清产核资")),
    ({"title": "公告", "planned_on": "2026-02-01"}, "planned_on", ("早于认定日期",)),
    ({"title": "公告", "planned_on": "2026-13-01"}, "planned_on", ("计划完成日期",)),
    ({"title": "", "planned_on": "2026-06-01"}, "title", ("步骤名称",)),
])
def test_a_step_out_of_order_is_refused(zone, confirmed, data, field, words):
    services.step_add(actor=zone["economy"], case=confirmed, data={"title": "清产核资", "planned_on": "2026-05-01"})
    refused(lambda: services.step_add(actor=zone["economy"], case=confirmed, data=data), field, *words)


def test_step_edits_keep_the_order_and_the_unit_only_records_completion(zone, confirmed):
    economy = zone["economy"]
    first = services.step_add(actor=economy, case=confirmed, data={"title": "清产核资", "planned_on": "2026-05-01"})
    services.step_add(actor=economy, case=confirmed, data={"title": "资产处置", "planned_on": "2026-06-01"})
    refused(lambda: services.step_update(actor=economy, step=first, data={"planned_on": "2026-07-01"}),
            "planned_on", "晚于下一步", "资产处置")
    refused(lambda: services.step_update(actor=zone["invest"], step=first, data={"done_on": "2026-12-01"}),
            "done_on", "不能晚于今天")
    refused(lambda: services.step_update(actor=zone["invest"], step=first, data={"done_on": "2026-02-01"}),
            "done_on", "早于认定日期")
    refused(lambda: services.step_update(actor=zone["invest"], step=first, data={"title": "改名"}), None,
            "只能登记步骤的完成日期", error=PermissionDeniedError)
    refused(lambda: services.step_update(actor=zone["agri"], step=first, data={"done_on": "2026-05-01"}), None,
            error=PermissionDeniedError)
    step = services.step_update(actor=zone["invest"], step=first, data={"done_on": "2026-05-01"}, expected_version=1)
    assert step.version == 2 and ChangeRecord.objects.filter(object_id=step.pk, action="update").exists()


@pytest.fixture
def parcel(zone, units, firms):
    parcel = land_services.parcel_create(actor=None, data={"code": "D-7", "name": "Z 企业厂区", "area_text": "30亩",
                                                           "unit": units["agri"]})
    firms["Z"].parcels.add(parcel)
    return parcel


def test_land_released_over_the_enterprise_or_parcel_area_or_negative_is_refused(zone, confirmed, parcel, firms):
    economy = zone["economy"]
    refused(lambda: services.case_update(actor=economy, case=confirmed, data={"land_released_mu": "50.01"}),
            "land_released_mu", "超过企业用地面积 50.00 亩")
    refused(lambda: services.case_update(actor=economy, case=confirmed, data={"land_released_mu": "-1"}),
            "land_released_mu", "不能为负数")
    refused(lambda: services.case_update(actor=economy, case=confirmed, data={"land_released_mu": "许多"}),
            "land_released_mu", "释放土地")
    refused(lambda: services.case_update(actor=economy, case=confirmed,
                                         data={"land_released_mu": "31", "parcel": parcel.pk}),
            "land_released_mu", "超过地块 D-7 的面积 30.00 亩")
    other = Parcel.objects.create(code="D-9", name="别家", area_mu=10, area_text="10", unit=parcel.unit)
    refused(lambda: services.case_update(actor=economy, case=confirmed, data={"parcel": other.pk}), "parcel",
            "不是Z 企业名下的地块")
    firms["Z"].land_mu = None
    firms["Z"].save()
    refused(lambda: services.case_update(actor=economy, case=confirmed, data={"land_released_mu": "1"}),
            "land_released_mu", "未登记用地面积")


def test_land_released_flows_to_the_land_registers_revitalised_area(zone, confirmed, parcel, clock):
    economy = zone["economy"]
    revitalised, released = find_metric("land.area_revitalised"), find_metric("cleanup.land_released")
    disposed = find_metric("cleanup.zombie_disposed")
    on = clock.today()
    before = revitalised.compute_many([{"year": 2026}], on)[0]
    case = services.case_update(actor=economy, case=confirmed, data={"land_released_mu": "20", "parcel": parcel.pk})
    case = services.case_step(actor=economy, case=case, action="start")
    assert released.compute_many([{"year": 2026}], on) == [Decimal("0.00")]  # counts once disposed
    case = services.case_step(actor=economy, case=case, action="complete", completed_on="2026-09-10")
    item = Revitalisation.objects.get()
    assert case.revitalisation == item
    assert (item.parcel, item.area_mu, item.method, item.status, item.completed_on) == (
        parcel, Decimal("20.00"), "merge", "done", D(2026, 9, 10))
    assert "Z 企业" in item.cause
    assert revitalised.compute_many([{"year": 2026}], on)[0] == before + 20
    assert released.compute_many([{"year": 2026}, {"year": 2025}], on) == [Decimal("20.00"), Decimal("0.00")]
    assert disposed.compute_many([{"year": 2026}], on) == [Decimal(1)]
    # as of a date before the completion, nothing yet
    assert released.compute_many([{"year": 2026}], D(2026, 9, 9)) == [Decimal("0.00")]
    assert disposed.compute_many([{"year": 2026}], D(2026, 9, 9)) == [Decimal(0)]
    assert find_metric("cleanup.scattered_rectified").compute_many([{"year": 2026}], on) == [Decimal(0)]
    refused(lambda: services.case_update(actor=economy, case=case, data={"land_released_mu": "1"}), "state", "已处置")


def test_completion_dated_before_a_step_or_in_the_future_is_refused(zone, confirmed):
    economy = zone["economy"]
    step = services.step_add(actor=economy, case=confirmed, data={"title": "清产核资", "planned_on": "2026-05-01"})
    services.step_update(actor=economy, step=step, data={"done_on": "2026-05-01"})
    case = services.case_step(actor=economy, case=confirmed, action="start")
    refused(lambda: services.case_step(actor=economy, case=case, action="complete", completed_on="2026-04-30"),
            "completed_on", "早于最后一个步骤")
    refused(lambda: services.case_step(actor=economy, case=case, action="complete", completed_on="2026-10-01"),
            "completed_on", "不能晚于今天")


def test_a_late_step_reminds_the_responsible_unit_once_per_planned_date(zone, confirmed):
    from yuanqu.cleanup import reminders
    from yuanqu.core.models import Notification

    step = services.step_add(actor=zone["economy"], case=confirmed, data={"title": "清产核资", "planned_on": "2026-05-01"})
    services.step_add(actor=zone["economy"], case=confirmed, data={"title": "资产处置", "planned_on": "2026-12-01"})
    assert reminders.send_reminders(today=D(2026, 9, 15))["late_step"].created == 1
    notice = Notification.objects.get(recipient=zone["invest"])
    assert "清产核资" in notice.title and notice.url == f"/cleanup/{confirmed.pk}/"
    assert reminders.send_reminders(today=D(2026, 9, 16))["late_step"].skipped == 1
    services.step_update(actor=zone["invest"], step=step, data={"done_on": "2026-09-01"})
    assert reminders.send_reminders(today=D(2026, 9, 17))["late_step"].created == 0
