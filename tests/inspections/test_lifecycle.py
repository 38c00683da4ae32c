"""A hazard's lifecycle: every allowed move and every refused one (state, right, input), each
refusal with a Chinese message naming the field and nothing written."""

import pytest

from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.models import ChangeRecord
from yuanqu.inspections import services
from yuanqu.inspections.models import Hazard, HazardEvent, Inspection, Revisit, State

from .conftest import D, step

NOTICE = {"deadline": D(2026, 9, 30), "comment": "清理通道"}


def _written() -> tuple[int, int, int]:
    return HazardEvent.objects.count(), ChangeRecord.objects.count(), Revisit.objects.count()


def test_the_whole_way_found_notice_rectified_rechecked_closed(zone, make_hazard, clock):
    hazard = make_hazard()
    assert hazard.state == State.FOUND and hazard.deadline is None
    hazard = step(hazard, "notify", zone["inspector"], **NOTICE)
    assert hazard.state == State.RECTIFYING and hazard.deadline == D(2026, 9, 30)
    assert hazard.notice_on == clock.today() and hazard.notice_no.startswith("整改〔2026〕")
    hazard = step(hazard, "report", zone["invest"], comment="已清理")
    assert hazard.state == State.RECHECK and hazard.rectified_on == clock.today()
    hazard = step(hazard, "pass", zone["inspector"])
    assert hazard.state == State.CLOSED and hazard.closed_on == clock.today()
    actions = list(hazard.events.order_by("pk").values_list("action", flat=True))
    assert actions == ["notify", "report", "pass"]
    # One change record per step besides the creation, naming the step.
    notes = list(ChangeRecord.objects.filter(object_id=hazard.pk, content_type__model="hazard")
                 .exclude(action="create").order_by("pk").values_list("note", flat=True))
    assert [n.split("：")[0] for n in notes] == ["下达整改通知", "报告整改完成", "复查通过"]


def test_a_failed_recheck_sends_it_back_to_rectification(zone, make_hazard):
    hazard = step(make_hazard(), "notify", zone["inspector"], **NOTICE)
    hazard = step(hazard, "report", zone["invest"], comment="已清理")
    hazard = step(hazard, "fail", zone["inspector"], comment="仍有杂物", deadline=D(2026, 10, 10))
    assert hazard.state == State.RECTIFYING and hazard.rectified_on is None
    assert hazard.recheck_failures == 1 and hazard.deadline == D(2026, 10, 10)
    hazard = step(hazard, "report", zone["invest"], comment="再次清理")
    assert step(hazard, "pass", zone["inspector"]).state == State.CLOSED


@pytest.mark.parametrize(("moves", "action", "message"), [
    ([], "pass", "尚未下达整改通知，不能复查。"),
    ([], "fail", "尚未下达整改通知，不能复查。"),
    ([], "report", "尚未下达整改通知，不能报告整改完成。"),
    (["notify"], "pass", "整改尚未报告完成，不能复查。"),
    (["notify"], "notify", "当前状态为“整改中”，不能下达整改通知。"),
    (["notify", "report"], "report", "当前状态为“待复查”，不能报告整改完成。"),
    (["notify", "report", "pass"], "notify", "当前状态为“已销号”，不能下达整改通知。"),
    (["notify", "report", "pass"], "fail", "当前状态为“已销号”，不能复查不通过。"),
    ([], "reopen", "当前状态为“待下达整改”，不能复发重新整改。"),
])
def test_a_move_out_of_order_is_refused_and_writes_nothing(zone, make_hazard, moves, action, message):
    hazard = make_hazard()
    data = {"notify": NOTICE, "report": {"comment": "已整改"}, "pass": {}}
    for move in moves:
        hazard = step(hazard, move, zone["admin"], **data[move])
    before, state, version = _written(), hazard.state, hazard.version
    with pytest.raises(ApplicationError) as caught:
        step(hazard, action, zone["admin"], comment="x", **({"deadline": D(2026, 9, 30)} if action == "notify" else {}))
    assert caught.value.message == message
    hazard.refresh_from_db()
    assert (hazard.state, hazard.version) == (state, version) and _written() == before


@pytest.mark.parametrize(("data", "field", "message"), [
    ({}, "deadline", "下达整改通知时请填写整改期限。"),
    ({"deadline": "2026-08-20"}, "deadline", "整改期限（2026-08-20）不能早于检查日期（2026-09-01）。"),
    ({"deadline": "2026-09-10"}, "deadline", "整改期限（2026-09-10）不能早于今天（2026-09-15）。"),
    ({"deadline": "9月30日"}, "deadline", None),
])
def test_a_notice_needs_a_deadline_not_before_the_inspection(zone, make_hazard, data, field, message):
    hazard = make_hazard()
    before = _written()
    with pytest.raises(ApplicationError) as caught:
        step(hazard, "notify", zone["inspector"], **data)
    assert caught.value.field == field
    assert message is None or caught.value.message == message
    assert "整改期限" in caught.value.message
    hazard.refresh_from_db()
    assert hazard.state == State.FOUND and _written() == before


def test_the_steps_require_their_inputs(zone, make_hazard):
    hazard = step(make_hazard(), "notify", zone["inspector"], **NOTICE)
    with pytest.raises(ApplicationError) as caught:
        step(hazard, "report", zone["invest"])
    assert (caught.value.field, caught.value.message) == ("comment", "报告整改完成时请填写整改情况。")
    hazard = step(hazard, "report", zone["invest"], comment="好了")
    with pytest.raises(ApplicationError) as caught:
        step(hazard, "fail", zone["inspector"])
    assert caught.value.field == "comment"


def test_a_hazard_needs_a_responsible_unit_a_description_and_a_level(zone, make_inspection):
    inspection = make_inspection()
    cases = [({"description": "通道堵塞", "level": "general"}, "responsible_unit", "请选择隐患的责任单位。"),
             ({"description": "", "responsible_unit": zone["invest"].unit_id}, "description", "请填写隐患（问题）描述。"),
             ({"description": "x", "level": "较大", "responsible_unit": zone["invest"].unit_id}, "level",
              "隐患等级应为“一般”或“重大”，收到“较大”。"),
             ({"description": "x", "responsible_unit": 999999}, "responsible_unit", "责任单位“999999”不存在。")]
    for data, field, message in cases:
        with pytest.raises(ApplicationError) as caught:
            services.hazard_create(actor=zone["inspector"], inspection=inspection, data=data)
        assert (caught.value.field, caught.value.message) == (field, message)
    assert not Hazard.objects.exists()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"enterprise": None, "site": ""}, "site", "请选择被检查企业或填写检查地点。"),
    ({"inspected_on": "2026-09-20"}, "inspected_on", "检查日期（2026-09-20）不能晚于今天。"),
    ({"domain": "fire"}, "domain", "请选择检查类别（安全生产、环境污染或城乡环境）。"),
    ({"inspectors": ""}, "inspectors", "请填写检查人员。"),
])
def test_bad_inspection_input_names_the_field_and_writes_nothing(zone, firm, data, field, message):
    values = {"domain": "safety", "enterprise": firm.pk, "inspected_on": D(2026, 9, 1), "inspectors": "郑刚", **data}
    with pytest.raises(ApplicationError) as caught:
        services.inspection_create(actor=zone["inspector"], data=values)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert not Inspection.objects.exists() and not ChangeRecord.objects.exists()


def test_a_place_may_be_a_site_in_a_village_but_the_village_must_be_one(zone, units):
    data = {"domain": "urban", "site": "十二号横河东岸", "inspected_on": D(2026, 9, 1), "inspectors": "城管队"}
    inspection = services.inspection_create(actor=zone["inspector"], data={**data, "village": units["village"].pk})
    assert inspection.place == "十二号横河东岸（三南村）" and inspection.enterprise is None
    with pytest.raises(ApplicationError) as caught:
        services.inspection_create(actor=zone["inspector"], data={**data, "village": units["invest"].pk})
    assert caught.value.field == "village" and "不是村或社区" in caught.value.message


def test_the_checklist_is_kept_as_it_read_when_the_template_changes(zone, firm):
    from yuanqu.inspections.models import ChecklistTemplate

    template = ChecklistTemplate.objects.get(name="企业安全生产检查表")
    inspection = services.inspection_create(actor=zone["inspector"], data={
        "domain": "safety", "enterprise": firm.pk, "inspected_on": D(2026, 9, 1), "inspectors": "郑刚",
        "template": template.pk})
    items = list(inspection.checklist)
    services.config_save(actor=zone["admin"], obj=template, model=ChecklistTemplate,
                         data={"items": "只剩一项"})
    template.refresh_from_db()
    inspection.refresh_from_db()
    assert template.version == 2 and template.item_list() == ["只剩一项"]
    assert inspection.checklist == items and inspection.template_version == 1 and len(items) == 7
    with pytest.raises(ApplicationError) as caught:
        services.inspection_create(actor=zone["inspector"], data={
            "domain": "urban", "site": "x", "inspected_on": D(2026, 9, 1), "inspectors": "a", "template": template.pk})
    assert caught.value.field == "template"
    with pytest.raises(PermissionDeniedError):
        services.config_save(actor=zone["inspector"], obj=template, model=ChecklistTemplate, data={"items": "x"})


def test_only_the_inspecting_unit_records_and_rechecks_and_only_the_responsible_unit_rectifies(zone, make_hazard):
    hazard = make_hazard()
    with pytest.raises(PermissionDeniedError):
        step(hazard, "notify", zone["invest"], **NOTICE)
    hazard = step(hazard, "notify", zone["inspector"], **NOTICE)
    for who in ("inspector", "agri", "leader", "supervisor"):
        with pytest.raises(PermissionDeniedError):
            step(hazard, "report", zone[who], comment="x")
    hazard = step(hazard, "report", zone["invest"], comment="x")
    with pytest.raises(PermissionDeniedError):
        step(hazard, "pass", zone["invest"])
    with pytest.raises(PermissionDeniedError):
        services.inspection_create(actor=zone["invest"], data={"domain": "safety", "site": "x"})


def test_a_stale_version_is_a_conflict(zone, make_hazard):
    hazard = make_hazard()
    with pytest.raises(ConflictError):
        services.hazard_step(actor=zone["inspector"], hazard=hazard, action="notify", expected_version=7, **NOTICE)
