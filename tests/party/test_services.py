"""The services: bad input refused in Chinese naming the field and nothing written; the assessment's
lifecycle with evidence, review and result; the metric the plan's target reads; history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import history_for
from yuanqu.core.metrics import get_metric
from yuanqu.core.models import ChangeRecord
from yuanqu.party import services
from yuanqu.party.models import (
    Assessment,
    AssessmentEvent,
    ChecklistTemplate,
    Election,
    ElectionStage,
    PartyOrganisation,
    State,
)

from .conftest import ITEMS, YEAR


def test_a_negative_member_count_is_refused_naming_the_field_and_nothing_is_written(zone, units):
    before = ChangeRecord.objects.count()
    with pytest.raises(ApplicationError) as exc:
        services.organisation_create(actor=zone["office"], data={
            "name": "中共三南村支部委员会", "form": "branch", "unit": units["village"], "full_members": -3})
    assert exc.value.field == "full_members" and "正式党员不能为负数" in exc.value.message
    assert not PartyOrganisation.objects.exists() and ChangeRecord.objects.count() == before


def test_only_the_party_office_registers_and_edits_are_versioned_with_history(zone, orgs, units):
    with pytest.raises(PermissionDeniedError):
        services.organisation_create(actor=zone["village"], data={"name": "x", "form": "branch",
                                                                  "unit": units["village"]})
    org = orgs["village"]
    services.organisation_update(actor=zone["office"], organisation=org, data={"full_members": 60},
                                 expected_version=1)
    org.refresh_from_db()
    assert org.version == 2 and org.full_members == 60
    last = history_for(org).order_by("-pk").first()
    assert last.before == {"full_members": 58} and last.after == {"full_members": 60}
    with pytest.raises(ApplicationError, match="当前为第2版"):
        services.organisation_update(actor=zone["office"], organisation=org, data={"full_members": 61},
                                     expected_version=1)


def test_warnings_on_the_register(zone, orgs, units, clock):
    dept = orgs["dept"]  # 9 full members, a committee of 3, term from 2025-01-01 (3 years)
    assert dept.warnings(clock.today()) == []
    services.organisation_update(actor=zone["office"], organisation=dept, data={"committee": "甲、乙"})
    dept.refresh_from_db()
    assert [w.code for w in dept.warnings(clock.today())] == ["needs_committee"]
    village = orgs["village"]  # a village's term is 5 years: 2021-04-01 → 2026-04-01, over
    assert village.term_end_on(services_thresholds()) == dt.date(2026, 4, 1)
    assert [w.code for w in village.warnings(clock.today())] == ["term_over"]


def services_thresholds():
    from yuanqu.party.rules import thresholds

    return thresholds()


def test_a_checklist_whose_maximums_do_not_add_up_is_refused_and_nothing_written(zone):
    with pytest.raises(ApplicationError) as exc:
        services.template_create(actor=zone["office"], data={
            "name": "清单", "year": YEAR, "pass_mark": 80, "exemplary_mark": 95, "items": ITEMS[1:]})
    assert exc.value.field == "items" and "满分合计为80分" in exc.value.message
    assert not ChecklistTemplate.objects.exists()


def test_the_same_name_again_is_the_next_version_and_this_years_is_the_latest(zone, template):
    again = services.template_create(actor=zone["office"], data={
        "name": template.name, "year": YEAR, "pass_mark": 85, "exemplary_mark": 95, "items": ITEMS})
    assert again.version == 2 and services.current_template(YEAR) == again
    assert template.items.count() == again.items.count() == 4


def _evidence():
    return SimpleUploadedFile("三会一课记录.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")


def test_self_assessment_review_and_the_metric_the_plan_reads(zone, orgs, template, clock):
    metric = get_metric("party.standard_met").func
    assert metric([{"year": YEAR}], clock.today()) == [Decimal(0)]
    village = zone["village"]
    a = services.assessment_start(actor=village, organisation=orgs["village"], year=YEAR)
    items = {e.item.title: e for e in a.entries.select_related("item")}
    # a deduction over the item's maximum: refused naming the item, nothing written
    with pytest.raises(ApplicationError, match="第2项“三会一课”扣分32分.*超过该项满分30分"):
        services.assessment_score(actor=village, assessment=a, values={
            items["按期换届"].item_id: 1, items["三会一课"].item_id: 16})
    a.refresh_from_db()
    assert a.version == 1 and a.entries.filter(self_value__isnull=False).count() == 0
    services.assessment_score(actor=village, assessment=a, values={
        items["按期换届"].item_id: 1, items["三会一课"].item_id: 2, items["党务公开"].item_id: 1,
        items["获表彰"].item_id: 0})
    # the review before the submission: out of order
    with pytest.raises(ApplicationError, match="当前状态为“自评中”，不能审核评定"):
        services.assessment_step(actor=zone["office"], assessment=a, action="review")
    with pytest.raises(ApplicationError, match="第2项“三会一课”须上传佐证材料") as exc:
        services.assessment_step(actor=village, assessment=a, action="submit")
    assert exc.value.field == "evidence"
    with pytest.raises(ApplicationError, match="类型不支持"):
        services.evidence_add(actor=village, entry=items["三会一课"],
                              files=[SimpleUploadedFile("x.exe", b"MZ")])
    services.evidence_add(actor=village, entry=items["三会一课"], files=[_evidence()])
    a = services.assessment_step(actor=village, assessment=a, action="submit")
    assert a.state == State.SUBMITTED and a.self_score == Decimal(100 - 4 - 5)
    with pytest.raises(PermissionDeniedError):
        services.assessment_step(actor=village, assessment=a, action="review")
    with pytest.raises(ApplicationError, match="不能修改自评"):
        services.assessment_score(actor=village, assessment=a, values={items["获表彰"].item_id: 1})
    # the 党建办 finds two more missed disclosures: 100 - 4 - 15 = 81, 达标
    services.assessment_score(actor=zone["office"], assessment=a, review=True,
                              values={items["党务公开"].item_id: 3})
    a = services.assessment_step(actor=zone["office"], assessment=a, action="review", comment="台账核查")
    assert (a.state, a.score, a.result) == (State.REVIEWED, Decimal(81), "met")
    assert metric([{"year": YEAR}], clock.today()) == [Decimal(1)]
    assert get_metric("party.exemplary").func([{"year": YEAR}], clock.today()) == [Decimal(0)]
    assert metric([{"year": YEAR}], clock.today() - dt.timedelta(days=1)) == [Decimal(0)]  # as of a date
    assert list(AssessmentEvent.objects.filter(assessment=a).values_list("action", flat=True)) == ["submit", "review"]
    assert history_for(a).count() >= 5  # created, self-assessed, evidence, submitted, review scores, reviewed


def test_a_veto_item_failed_is_not_met_whatever_the_score(zone, orgs, template):
    a = services.assessment_start(actor=zone["office"], organisation=orgs["dept"], year=YEAR)
    items = {e.item.title: e for e in a.entries.select_related("item")}
    services.assessment_score(actor=zone["office"], assessment=a, values={
        items["按期换届"].item_id: 0, items["三会一课"].item_id: 0, items["党务公开"].item_id: 0,
        items["获表彰"].item_id: 0})
    services.evidence_add(actor=zone["office"], entry=items["三会一课"], files=[_evidence()])
    services.assessment_step(actor=zone["office"], assessment=a, action="submit")
    a = services.assessment_step(actor=zone["office"], assessment=a, action="review")
    assert a.score == Decimal(80) and a.result == "not_met" and a.vetoed_by == "按期换届"


def test_return_needs_a_reason_and_reopens_the_self_assessment(zone, orgs, template):
    a = services.assessment_start(actor=zone["office"], organisation=orgs["dept"], year=YEAR)
    services.assessment_score(actor=zone["office"], assessment=a, values={
        e.item_id: 0 for e in a.entries.all()} | {a.entries.get(item__rule="check").item_id: 1})
    services.evidence_add(actor=zone["office"], entry=a.entries.get(item__evidence_required=True),
                          files=[_evidence()])
    services.assessment_step(actor=zone["office"], assessment=a, action="submit")
    with pytest.raises(ApplicationError, match="退回时请填写退回理由") as exc:
        services.assessment_step(actor=zone["office"], assessment=a, action="return")
    assert exc.value.field == "comment"
    a = services.assessment_step(actor=zone["office"], assessment=a, action="return", comment="材料不全")
    assert a.state == State.SELF and a.self_score is None


def test_a_village_assesses_only_its_own_organisation_and_one_per_year(zone, orgs, template):
    with pytest.raises(PermissionDeniedError):
        services.assessment_start(actor=zone["village"], organisation=orgs["dept"], year=YEAR)
    services.assessment_start(actor=zone["village"], organisation=orgs["village"], year=YEAR)
    with pytest.raises(ApplicationError, match="考评已开始"):
        services.assessment_start(actor=zone["office"], organisation=orgs["village"], year=YEAR)
    with pytest.raises(ApplicationError, match="2027年度尚未制定考评清单"):
        services.assessment_start(actor=zone["office"], organisation=orgs["dept"], year=2027)
    assert services.assessment_open_year(actor=zone["office"], year=YEAR) == 1
    assert Assessment.objects.filter(year=YEAR).count() == 2


def test_election_steps_done_or_late(zone, units, clock):
    stages = list(ElectionStage.objects.filter(is_active=True))
    planned = {s.pk: dt.date(2026, 9, 1) + dt.timedelta(days=3 * i) for i, s in enumerate(stages)}
    with pytest.raises(ApplicationError, match="只适用于村和社区"):
        services.election_create(actor=zone["office"], unit=units["invest"], year=YEAR, planned=planned)
    with pytest.raises(ApplicationError, match=f"请填写“{stages[-1].name}”的计划完成日期"):
        services.election_create(actor=zone["office"], unit=units["village"], year=YEAR,
                                 planned={k: v for k, v in planned.items() if k != stages[-1].pk})
    assert not Election.objects.exists()
    election = services.election_create(actor=zone["office"], unit=units["village"], year=YEAR, planned=planned)
    steps = list(election.steps.order_by("stage__order"))
    services.election_step_done(actor=zone["village"], step=steps[0], done_on="2026-09-01")
    services.election_step_done(actor=zone["village"], step=steps[1], done_on="2026-09-05")
    with pytest.raises(ApplicationError, match="不能晚于今天"):
        services.election_step_done(actor=zone["village"], step=steps[2], done_on="2026-09-30")
    with pytest.raises(PermissionDeniedError):
        services.election_step_done(actor=zone["invest"], step=steps[2], done_on="2026-09-03")
    statuses = [s.status(clock.today()) for s in election.steps.order_by("stage__order")]
    assert statuses[:3] == ["done", "late", "overdue"] and statuses[-1] == "pending"
