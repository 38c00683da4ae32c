"""The stage gates: forward only, actual dates neither in the future nor before the previous gate's,
a skip needs a reason; late gates; converting a signed lead once."""

import datetime as dt
from decimal import Decimal

import pytest

from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.models import ChangeRecord
from yuanqu.investment import services as lead_services
from yuanqu.investment.models import PIPELINE
from yuanqu.projects import selectors, services
from yuanqu.projects.models import Project, ProjectEvent, Stage, StageStep

pytestmark = pytest.mark.django_db


def step(project, stage):
    return StageStep.objects.get(project=project, stage=stage)


def test_a_project_has_six_gates_with_their_planned_dates(make_project):
    project = make_project()
    assert [s.stage for s in project.steps.order_by("id")] == [
        "signed", "registered", "land", "started", "completed", "producing"]
    assert step(project, Stage.SIGNED).planned_on == dt.date(2026, 1, 10)
    assert project.stage == Stage.PLANNED


def test_reaching_the_next_gate_records_date_event_and_history(make_project, users):
    project = make_project()
    services.stage_reach(actor=users["invest"], project=project, stage=Stage.SIGNED, actual_on=dt.date(2026, 2, 1),
                         expected_version=project.version)
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
    assert step(project, Stage.SIGNED).actual_on == dt.date(2026, 2, 1)
    event = ProjectEvent.objects.get(project=project)
    assert (event.from_state, event.to_state, event.actor) == ("planned", "signed", users["invest"])
    record = ChangeRecord.objects.filter(object_id=project.pk, action="update").latest("id")
    assert record.after["stage"] == "signed" and "实际日期 2026-02-01" in record.note


def test_an_actual_date_in_the_future_is_refused(make_project):
    project = make_project()
    with pytest.raises(ApplicationError, match="不能晚于今天") as exc:
        services.stage_reach(actor=None, project=project, stage=Stage.SIGNED, actual_on=dt.date(2026, 9, 16))
    assert exc.value.field == "actual_on"
    assert Stage.PLANNED == type(project).objects.get(pk=project.pk).stage


def test_an_actual_date_before_the_previous_gates_is_refused(make_project):
    project = make_project(reached={Stage.SIGNED: dt.date(2026, 3, 1)})
    with pytest.raises(ApplicationError, match="不能早于上一阶段“签约”的实际日期（2026-03-01）"):
        services.stage_reach(actor=None, project=project, stage=Stage.REGISTERED, actual_on=dt.date(2026, 2, 28))
    services.stage_reach(actor=None, project=project, stage=Stage.REGISTERED, actual_on=dt.date(2026, 3, 1))


def test_skipping_a_gate_needs_a_reason_which_the_skipped_gates_keep(make_project):
    project = make_project(reached={Stage.SIGNED: dt.date(2026, 3, 1)})
    with pytest.raises(ApplicationError, match="跳过“注册、供地”须填写跳过原因") as exc:
        services.stage_reach(actor=None, project=project, stage=Stage.STARTED, actual_on=dt.date(2026, 4, 1))
    assert exc.value.field == "comment"
    services.stage_reach(actor=None, project=project, stage=Stage.STARTED, actual_on=dt.date(2026, 4, 1),
                         comment="利用自有厂房，无需新供地和注册")
    assert step(project, Stage.LAND).skipped and step(project, Stage.LAND).skip_reason.startswith("利用自有厂房")
    assert step(project, Stage.REGISTERED).skipped
    assert not step(project, Stage.LAND).is_late(dt.date(2027, 1, 1))


def test_no_step_backwards_or_twice(make_project):
    project = make_project(reached={Stage.SIGNED: dt.date(2026, 3, 1), Stage.REGISTERED: dt.date(2026, 3, 5)})
    with pytest.raises(ApplicationError, match="项目已到“注册”阶段，不能再签约"):
        services.stage_reach(actor=None, project=project, stage=Stage.SIGNED, actual_on=dt.date(2026, 3, 6))


def test_only_the_lead_units_people_move_stages(make_project, users):
    project = make_project(unit="invest")
    for role in ("agri", "leader", "supervisor"):
        with pytest.raises(PermissionDeniedError):
            services.stage_reach(actor=users[role], project=project, stage=Stage.SIGNED, actual_on=dt.date(2026, 2, 1))
    services.stage_reach(actor=users["admin"], project=project, stage=Stage.SIGNED, actual_on=dt.date(2026, 2, 1))


def test_a_stale_version_is_refused(make_project):
    project = make_project()
    with pytest.raises(ConflictError):
        services.stage_reach(actor=None, project=project, stage=Stage.SIGNED, actual_on=dt.date(2026, 2, 1),
                             expected_version=project.version + 5)


def test_a_gate_past_its_planned_date_without_an_actual_date_is_late(make_project):
    project = make_project(reached={Stage.SIGNED: dt.date(2026, 1, 5)})
    on = dt.date(2026, 9, 15)
    steps = {s.stage: s for s in selectors.steps_of(project, on)}
    assert not steps[Stage.SIGNED].late  # reached
    assert steps[Stage.REGISTERED].late and steps[Stage.LAND].late  # planned 2026-05-10 and 2026-09-10
    assert not steps[Stage.STARTED].late  # planned 2027
    assert selectors.late_step_ids([project.pk], on) == {project.pk}
    assert selectors.late_step_ids([project.pk], dt.date(2026, 5, 10)) == set()


def test_planned_dates_out_of_order_are_refused(make_project):
    project = make_project()
    with pytest.raises(ApplicationError, match="“开工”（2026-01-01）早于“供地”"):
        services.plan_update(actor=None, project=project, planned={Stage.STARTED: "2026-01-01"})
    changed = services.plan_update(actor=None, project=project, planned={Stage.STARTED: "2026-10-01"})
    assert changed == [Stage.STARTED] and step(project, Stage.STARTED).planned_on == dt.date(2026, 10, 1)
    assert services.plan_update(actor=None, project=project, planned={Stage.STARTED: "2026-10-01"}) == []


# ---------------------------------------------------------------- lead → project


@pytest.fixture
def signed_lead(units, clock):
    clock.set_today(dt.date(2026, 8, 3))
    lead = lead_services.lead_create(actor=None, data={"name": "皓晶新材料项目", "investor": "皓晶集团",
                                                      "amount_text": "30亿元", "unit": units["invest"]})
    for stage in PIPELINE[1:]:
        lead = lead_services.lead_transition(actor=None, lead=lead, action=lead_services.STEP_INTO[stage])
    clock.set_today(dt.date(2026, 9, 15))
    return lead


def test_a_signed_lead_becomes_a_project_once(signed_lead, users):
    project = services.convert_lead(actor=users["invest"], lead=signed_lead)
    assert project.lead == signed_lead and project.total_investment == Decimal("30")
    assert project.stage == Stage.SIGNED and project.name == "皓晶新材料项目"
    assert step(project, Stage.SIGNED).actual_on is not None
    with pytest.raises(ConflictError, match="该线索已转为项目“皓晶新材料项目”，不能重复转换"):
        services.convert_lead(actor=users["invest"], lead=signed_lead, data={"name": "另一个名字"})
    assert signed_lead.__class__.objects.get(pk=signed_lead.pk).project == project


def test_the_project_keeps_the_leads_place_on_its_chain(signed_lead, users, units):
    from yuanqu.chains import services as chain_services
    chain = chain_services.chain_create(actor=None, data={"name": "豪华邮轮", "lead_unit": units["invest"]})
    node = chain_services.node_create(actor=None, chain=chain, data={"code": "M", "name": "中游", "segment": "mid"})
    signed_lead.chain_node = node
    signed_lead.save(update_fields=["chain_node"])
    assert services.convert_lead(actor=users["invest"], lead=signed_lead).chain_node == node


def test_an_unsigned_lead_cannot_be_converted(units, users):
    lead = lead_services.lead_create(actor=None, data={"name": "在谈项目", "investor": "某集团", "unit": units["invest"]})
    with pytest.raises(ApplicationError, match="签约后才能转为项目"):
        services.convert_lead(actor=users["invest"], lead=lead)


def test_another_units_reporter_cannot_convert(signed_lead, users):
    with pytest.raises(ApplicationError, match="不存在或您无权查看"):
        services.convert_lead(actor=users["agri"], lead=signed_lead)
    assert not Project.objects.exists()
