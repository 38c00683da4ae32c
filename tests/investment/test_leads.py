"""Lead services: who may write, the amount kept as written and as a value, the stage table,
follow-ups, versions and duplicates."""

from decimal import Decimal

import pytest

from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.history import history_for
from yuanqu.investment import services
from yuanqu.investment.models import FollowUp, Lead, LeadEvent, Stage


def test_a_reporter_registers_for_their_own_unit_and_the_amount_is_read(users, units):
    lead = services.lead_create(actor=users["invest"], data={
        "name": "邮轮内装项目", "investor": "华东邮轮配套", "amount_text": "约2.5亿元"})
    assert lead.unit == units["invest"]  # the home unit by default
    assert (lead.amount, lead.currency, lead.amount_approximate) == (Decimal("25000"), "CNY", True)
    assert lead.amount_text == "约2.5亿元" and lead.stage == Stage.INFO
    assert history_for(lead).filter(action="create").count() == 1


@pytest.mark.parametrize("role", ["agri", "village", "leader", "supervisor", "nounit"])
def test_others_cannot_register_for_the_investment_bureau(users, units, role):
    with pytest.raises(PermissionDeniedError) as exc:
        services.lead_create(actor=users[role], data={"name": "某项目", "investor": "某企业", "unit": units["invest"]})
    assert "本单位" in exc.value.message
    assert not Lead.objects.exists()


def test_an_undecided_amount_is_refused_on_its_field(users):
    with pytest.raises(ApplicationError) as exc:
        services.lead_create(actor=users["invest"], data={"name": "某项目", "investor": "某企业", "amount_text": "面议"})
    assert exc.value.field == "amount_text" and "面议" in exc.value.message
    assert not Lead.objects.exists()


def test_a_second_lead_of_the_same_name_is_refused_naming_the_first(users, make_lead):
    make_lead("风电装备项目")
    with pytest.raises(ApplicationError) as exc:
        services.lead_create(actor=users["invest"], data={"name": "风电装备项目", "investor": "另一家"})
    assert exc.value.field == "name" and "招商局" in exc.value.message


def test_a_reporter_cannot_move_a_lead_to_a_unit_not_theirs(users, units, make_lead):
    lead = make_lead()
    with pytest.raises(PermissionDeniedError):
        services.lead_update(actor=users["invest"], lead=lead, data={"unit": units["agri"]})
    assert Lead.objects.get(pk=lead.pk).unit == units["invest"]


def test_an_update_over_a_newer_version_is_a_conflict_and_an_unchanged_one_writes_nothing(users, make_lead):
    lead = make_lead(amount_text="5000万元")
    services.lead_update(actor=users["invest"], lead=lead, data={"amount_text": "0.5亿元"}, expected_version=1)
    assert Lead.objects.get(pk=lead.pk).version == 2  # the text changed, the value did not
    services.lead_update(actor=users["invest"], lead=lead, data={"amount_text": "0.5亿元"}, expected_version=2)
    assert Lead.objects.get(pk=lead.pk).version == 2
    with pytest.raises(ConflictError):
        services.lead_update(actor=users["invest"], lead=lead, data={"industry": "船舶"}, expected_version=1)


def test_the_stages_go_one_step_at_a_time_and_each_step_is_one_event(users, make_lead):
    lead = make_lead()
    with pytest.raises(ApplicationError) as exc:
        services.lead_transition(actor=users["invest"], lead=lead, action="sign")
    assert "当前阶段为“信息”" in exc.value.message
    for action in ["contact", "visit", "negotiate", "sign"]:
        lead = services.lead_transition(actor=users["invest"], lead=lead, action=action)
    assert lead.stage == Stage.SIGNED
    assert list(LeadEvent.objects.filter(lead=lead).values_list("to_state", flat=True)) == [
        "contact", "visit", "negotiate", "signed"]
    with pytest.raises(ApplicationError) as exc:
        services.lead_transition(actor=users["invest"], lead=lead, action="terminate", comment="不做了")
    assert "已签约" in exc.value.message


def test_terminating_needs_a_reason_and_reopening_clears_it(users, make_lead):
    lead = make_lead(stage=Stage.VISIT)
    with pytest.raises(ApplicationError) as exc:
        services.lead_transition(actor=users["invest"], lead=lead, action="terminate", comment="  ")
    assert "终止原因" in exc.value.message
    assert Lead.objects.get(pk=lead.pk).stage == Stage.VISIT
    lead = services.lead_transition(actor=users["invest"], lead=lead, action="terminate", comment="选址他处")
    assert (lead.stage, lead.termination_reason) == (Stage.TERMINATED, "选址他处")
    lead = services.lead_transition(actor=users["invest"], lead=lead, action="reopen")
    assert (lead.stage, lead.termination_reason) == (Stage.INFO, "")


@pytest.mark.parametrize("role", ["leader", "supervisor", "agri"])
def test_readers_and_other_units_cannot_move_a_lead(users, make_lead, role):
    lead = make_lead()
    with pytest.raises(PermissionDeniedError) as exc:
        services.lead_transition(actor=users[role], lead=lead, action="contact")
    assert "招商局" in exc.value.message
    assert services.allowed_actions(users[role], lead) == []
    assert services.allowed_actions(users["invest"], lead) == ["contact", "terminate"]


def test_a_follow_up_sets_the_leads_next_action(users, make_lead):
    lead = make_lead()
    services.follow_up_create(actor=users["invest"], lead=lead, data={
        "kind": FollowUp.Kind.CALL, "date": "2026-09-10", "content": "电话沟通", "next_step": "赴总部拜访",
        "next_date": "2026-09-30"})
    lead.refresh_from_db()
    assert (lead.next_action, str(lead.next_action_on)) == ("赴总部拜访", "2026-09-30")
    with pytest.raises(PermissionDeniedError):
        services.follow_up_create(actor=users["agri"], lead=lead, data={
            "kind": FollowUp.Kind.CALL, "date": "2026-09-10", "content": "电话"})
    with pytest.raises(ApplicationError) as exc:
        services.follow_up_create(actor=users["invest"], lead=lead, data={"kind": "call", "content": "电话"})
    assert exc.value.field == "date"
    assert FollowUp.objects.count() == 1
