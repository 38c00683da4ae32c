"""The request's lifecycle on the workflow engine: each step an event with actor and time, 退回
and 改派, refusals naming the field and writing nothing, and raising to a 督办单."""

import pytest

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.models import ChangeRecord
from yuanqu.supervision.models import SupervisionItem
from yuanqu.visits import services
from yuanqu.visits.models import EnterpriseRequest, RequestEvent, Visit

from .conftest import D


def step(request, action, actor, **data):
    return services.request_step(actor=actor, request=request, action=action,
                                 expected_version=EnterpriseRequest.objects.get(pk=request.pk).version, **data)


def test_a_request_goes_from_receipt_to_closure_with_one_event_per_step(zone, make_request):
    request = make_request()
    assert request.due_on == D(2026, 9, 15)  # 用工: 10 working days after Tue 1 Sep
    invest, economy, visitor = zone["invest"], zone["economy"], zone["visitor"]
    step(request, "accept", invest)
    step(request, "handle", invest, comment="已对接人社局")
    step(request, "reply", invest, comment="已组织专场招聘会")
    step(request, "evaluate", visitor, satisfaction="4", comment="基本满意")
    request = step(request, "close", economy)
    assert request.state == "closed" and request.satisfaction == 4 and request.replied_on == D(2026, 9, 15)
    events = list(RequestEvent.objects.filter(request=request).values_list("action", "to_state", "actor__username"))
    assert events == [("accept", "accepted", "invest1"), ("handle", "handling", "invest1"),
                      ("reply", "replied", "invest1"), ("evaluate", "evaluated", "visitor1"),
                      ("close", "closed", "economy1")]
    assert request.version == 6
    assert ChangeRecord.objects.filter(object_id=request.pk, note__startswith="企业评价").get().after["satisfaction"] == 4


def test_return_sends_the_reply_back_to_the_handling_unit_with_the_reason(zone, make_request):
    request = make_request()
    invest, visitor = zone["invest"], zone["visitor"]
    for action in ("accept", "handle"):
        step(request, action, invest)
    step(request, "reply", invest, comment="请自行招聘")
    with pytest.raises(ApplicationError) as refused:
        step(request, "return", visitor)
    assert refused.value.field == "comment"
    request = step(request, "return", visitor, comment="企业不认可答复")
    assert (request.state, request.replied_on, request.return_count) == ("handling", None, 1)
    event = RequestEvent.objects.filter(request=request).last()
    assert (event.from_state, event.to_state) == ("replied", "handling")
    assert "企业不认可答复" in event.comment and "招商局" in event.comment
    # An evaluation returned goes back to be evaluated again, its score cleared.
    step(request, "reply", invest, comment="已协调招聘会")
    step(request, "evaluate", visitor, satisfaction=2)
    request = step(request, "return", zone["economy"], comment="评价录错")
    assert (request.state, request.satisfaction) == ("replied", None)


def test_reassignment_moves_the_request_and_keeps_the_due_date(zone, units, make_request):
    request = make_request()
    step(request, "accept", zone["invest"])
    with pytest.raises(ApplicationError) as same:
        step(request, "reassign", zone["economy"], assigned_unit=units["invest"].pk, comment="重新分派")
    assert same.value.field == "assigned_unit"
    request = step(request, "reassign", zone["economy"], assigned_unit=units["agri"].pk, comment="属农业农村局职责")
    assert (request.state, request.assigned_unit, request.due_on) == ("submitted", units["agri"], D(2026, 9, 15))
    assert "由招商局改派至农业农村局" in RequestEvent.objects.filter(request=request).last().comment
    # The old unit may no longer act, the new one accepts.
    with pytest.raises(PermissionDeniedError):
        step(request, "accept", zone["invest"])
    assert step(request, "accept", zone["agri"]).state == "accepted"


@pytest.mark.parametrize(("action", "data", "field"), [
    ("evaluate", {"satisfaction": "6"}, "satisfaction"),
    ("evaluate", {"satisfaction": "0"}, "satisfaction"),
    ("evaluate", {"satisfaction": "很好"}, "satisfaction"),
    ("evaluate", {}, "satisfaction"),
])
def test_a_satisfaction_outside_1_to_5_is_refused_naming_the_field_and_nothing_written(
        zone, make_request, action, data, field):
    request = make_request()
    for a, comment in (("accept", ""), ("handle", ""), ("reply", "已办")):
        step(request, a, zone["invest"], comment=comment)
    before = (EnterpriseRequest.objects.get(pk=request.pk).version, RequestEvent.objects.count(),
              ChangeRecord.objects.count())
    with pytest.raises(ApplicationError) as refused:
        step(request, action, zone["visitor"], **data)
    assert refused.value.field == field and "满意度" in refused.value.message
    after = EnterpriseRequest.objects.get(pk=request.pk)
    assert (after.version, RequestEvent.objects.count(), ChangeRecord.objects.count()) == before
    assert after.state == "replied" and after.satisfaction is None


def test_a_step_not_allowed_in_the_state_is_refused_in_chinese_and_writes_nothing(zone, make_request):
    request = make_request()
    with pytest.raises(ApplicationError) as refused:
        step(request, "close", zone["economy"])
    assert refused.value.message == "当前状态为“待受理”，不能办结。"
    with pytest.raises(ApplicationError) as unknown:
        step(request, "approve", zone["economy"])
    assert unknown.value.field == "action"
    assert RequestEvent.objects.count() == 0 and EnterpriseRequest.objects.get().version == 1


def test_bad_input_on_creation_names_the_field_and_writes_nothing(zone, units, firms, categories, make_request):
    cases = [({"enterprise": 999999}, "enterprise", "企业“999999”不存在。"),
             ({"enterprise": "abc"}, "enterprise", "企业“abc”不存在。"),
             ({"category": 999999}, "category", "诉求类别“999999”不存在。"),
             ({"assigned_unit": ""}, "assigned_unit", "请选择承办单位。"),
             ({"text": "  "}, "text", "请填写诉求内容。"),
             ({"received_on": "2026-13-01"}, "received_on", "受理日期“2026-13-01”不是有效日期，应为 YYYY-MM-DD。")]
    changes = ChangeRecord.objects.count()
    for data, field, message in cases:
        with pytest.raises(ApplicationError) as refused:
            make_request(**{"category": data.pop("category", "用工"), **data})
        assert (refused.value.field, refused.value.message) == (field, message)
    with pytest.raises(ApplicationError) as unknown:
        services.visit_create(actor=zone["visitor"], data={"enterprise": 424242, "visited_on": "2026-09-01",
                                                           "visitors": "王干部"})
    assert unknown.value.field == "enterprise"
    assert EnterpriseRequest.objects.count() == 0 and Visit.objects.count() == 0
    assert ChangeRecord.objects.count() == changes


def test_a_request_raised_on_a_visit_takes_its_enterprise_and_day(zone, units, firms, categories):
    visit = services.visit_create(actor=zone["visitor"], data={"enterprise": firms[1].pk, "visited_on": D(2026, 9, 2),
                                                               "visitors": "李副主任、王干部", "findings": "订单饱满"})
    assert visit.unit == units["agri"] and visit.recorded_by == zone["visitor"]
    request = services.request_create(actor=zone["visitor"], data={
        "visit": visit.pk, "category": categories["融资"].pk, "text": "流动资金贷款", "assigned_unit": units["invest"]})
    assert (request.enterprise, request.received_on) == (firms[1], D(2026, 9, 2))
    with pytest.raises(ApplicationError) as other:
        services.request_create(actor=zone["visitor"], data={
            "visit": visit.pk, "enterprise": firms[0].pk, "category": categories["融资"].pk, "text": "x",
            "assigned_unit": units["invest"]})
    assert other.value.field == "enterprise"
    # Only the cadre who recorded the visit (or the 经发局) raises on it.
    with pytest.raises(PermissionDeniedError):
        services.request_create(actor=zone["invest"], data={"visit": visit.pk, "category": categories["融资"].pk,
                                                            "text": "x", "assigned_unit": units["invest"]})


def test_raising_to_a_supervision_item_uses_its_service_and_keeps_the_state(zone, units, make_request):
    request = make_request()
    with pytest.raises(PermissionDeniedError):
        step(request, "raise", zone["visitor"], deadline="2026-10-30")
    with pytest.raises(ApplicationError) as no_deadline:
        step(request, "raise", zone["economy"])
    assert no_deadline.value.field == "deadline"
    request = step(request, "raise", zone["economy"], deadline="2026-10-30", comment="久拖未决")
    item = SupervisionItem.objects.get()
    assert request.state == "submitted" and request.supervision_item == item
    assert (item.source_kind, item.lead_unit, item.state) == ("enterprise_request", units["invest"], "registered")
    assert "缺少技术工人" in item.source_text and item.source_url == f"/visits/requests/{request.pk}/"
    with pytest.raises(ApplicationError):
        step(request, "raise", zone["economy"], deadline="2026-10-30")
    assert SupervisionItem.objects.count() == 1


def test_overdue_counts_open_requests_past_due_on_the_work_calendar_with_holidays(zone, units, clock, make_request):
    from yuanqu.core.models import CalendarDay
    from yuanqu.visits.selectors import filter_requests, unit_figures

    clock.set_today(D(2026, 9, 24))
    # Thu 24 Sep + 10 working days: 中秋 (25–27 Sep), 国庆 (1–7 Oct) skipped, Sat 10 Oct worked → Thu 15 Oct.
    late_open = make_request(received_on=D(2026, 9, 24))
    assert late_open.due_on == D(2026, 10, 15)
    on_time = make_request(received_on=D(2026, 9, 24))
    late_answered = make_request(received_on=D(2026, 9, 1))  # due 15 Sep
    clock.set_today(D(2026, 10, 15))
    for r in (on_time, late_answered):
        for a in ("accept", "handle"):
            step(r, a, zone["invest"])
        step(r, "reply", zone["invest"], comment="已解决")
    economy = zone["economy"]
    overdue = lambda: {r.pk for r in filter_requests(economy, {"overdue": "1"}, clock.today())[1]}  # noqa: E731
    assert overdue() == {late_answered.pk}  # the open one is due today, not yet late
    clock.set_today(D(2026, 10, 16))
    assert overdue() == {late_answered.pk, late_open.pk}  # open past due counts too
    on_time.refresh_from_db()
    assert late_open.is_overdue(clock.today()) and not on_time.is_overdue(clock.today())
    (invest,) = unit_figures(economy, clock.today())
    assert (invest.handled, invest.on_time, invest.open_overdue, invest.overdue) == (2, 1, 1, 2)
    # The administrator's own calendar rows win: a day off on 14 Oct moves a new due date on.
    CalendarDay.objects.create(date=D(2026, 10, 14), is_workday=False, name="停电检修")
    assert make_request(received_on=D(2026, 9, 24)).due_on == D(2026, 10, 16)


def test_units_are_ranked_only_from_the_minimum_sample(zone, units, settings, make_request):
    from yuanqu.visits.selectors import unit_figures

    def answered(unit, n, *, late=0, score=None):
        for i in range(n):
            r = make_request(unit=unit, received_on=D(2026, 8, 3) if i < late else D(2026, 9, 14))
            for a in ("accept", "handle"):
                step(r, a, zone["admin"])
            step(r, "reply", zone["admin"], comment="已办")
            if score:
                step(r, "evaluate", zone["admin"], satisfaction=score)

    answered("invest", 5, late=1, score=5)
    answered("agri", 4, score=5)  # all on time but only four: not ranked
    answered("village", 6, late=3, score=3)
    figures = {f.unit.name: f for f in unit_figures(zone["leader"], D(2026, 9, 15))}
    assert (figures["招商局"].rank, figures["三南村"].rank, figures["农业农村局"].rank) == (1, 2, None)
    assert figures["招商局"].on_time_share == 0.8 and figures["招商局"].satisfaction == 5.0
    settings.YUANQU_VISITS_MIN_SAMPLE = 4
    figures = {f.unit.name: f for f in unit_figures(zone["leader"], D(2026, 9, 15))}
    assert figures["农业农村局"].rank == 1 and figures["招商局"].rank == 2


def test_a_calendar_edit_moves_open_due_dates_and_a_category_edit_does_not(zone, categories, make_request):
    from yuanqu.core.calendar import calendar_changed
    from yuanqu.core.models import CalendarDay

    request = make_request()  # 用工, 10 working days from 1 Sep: 15 Sep
    services.category_save(actor=zone["economy"], category=categories["用工"], data={"time_limit_days": 5})
    request.refresh_from_db()
    assert (request.due_on, request.time_limit_days) == (D(2026, 9, 15), 10)
    assert make_request().due_on == D(2026, 9, 8)  # new requests take the new limit
    CalendarDay.objects.create(date=D(2026, 9, 7), is_workday=False, name="台风停工")
    calendar_changed(D(2026, 9, 7))  # what the admin site calls after the edit
    request.refresh_from_db()
    assert request.due_on == D(2026, 9, 16)
    with pytest.raises(PermissionDeniedError):
        services.category_save(actor=zone["invest"], category=categories["用工"], data={"time_limit_days": 1})
