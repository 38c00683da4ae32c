"""目标调整: the one controlled path by which an active plan's targets change — asked with a reason
and a document, decided by the office or a leader as the plan says, applied in one transaction."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import history_for
from yuanqu.core.models import ChangeRecord, Notification
from yuanqu.plans import adjustments, services
from yuanqu.plans.models import AdjustmentEvent, Plan, Target, TargetAdjustment

from ..conftest import TEST_TODAY
from ..factories import target

Status = TargetAdjustment.Status


def minutes(name="会议纪要.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 minutes", content_type="application/pdf")


def ask(actor, t, kind="change", **kw):
    kw.setdefault("reason", "经管委会主任办公会研究，项目开工推迟")
    kw.setdefault("basis", "minutes")
    kw.setdefault("document", minutes())
    return adjustments.adjustment_request(actor=actor, target=t, kind=kind, **kw)


def written():
    return (ChangeRecord.objects.count(), TargetAdjustment.objects.count(), AdjustmentEvent.objects.count(),
            Target.objects.count())


def test_a_lead_unit_asks_the_office_approves_and_the_change_applies_with_its_history(plan, users, units):
    t = target(plan, "招引项目")
    new_deadline = TEST_TODAY + dt.timedelta(days=60)
    adjustment = ask(users["invest"], t, changes={"deadline": new_deadline.isoformat(), "target_value": "80",
                                                  "title": t.title})
    assert adjustment.status == Status.PENDING and adjustment.lead_unit == units["invest"]
    assert adjustment.changes == {"deadline": new_deadline.isoformat(), "target_value": "80"}  # title unchanged
    assert Target.objects.get(pk=t.pk).target_value == Decimal("100")  # nothing applies before approval
    assert Notification.objects.filter(recipient=users["supervisor"], kind="adjustment").exists()

    adjustments.adjustment_decide(actor=users["supervisor"], adjustment=adjustment, action="approve", comment="同意")
    t.refresh_from_db()
    assert (t.deadline, t.target_value, t.version) == (new_deadline, Decimal("80"), 2)
    record = history_for(t).first()
    assert {f for f, _, _ in record.changes()} == {"deadline", "target_value"}
    assert record.note.startswith("目标调整（调整目标内容，会议纪要）：经管委会")
    adjustment.refresh_from_db()
    assert adjustment.status == Status.APPROVED and adjustment.decided_by == users["supervisor"]
    assert adjustment.before["target_value"] == "100"
    assert Notification.objects.filter(recipient=users["invest"], title__startswith="目标调整已批准").exists()


def test_a_cancelled_target_leaves_the_lists_and_a_split_makes_its_parts(plan, users, units):
    cancelled = target(plan, "三南村")
    adjustment = ask(users["supervisor"], cancelled, kind="cancel", basis="instruction", reason="领导批示：不再实施")
    adjustments.adjustment_decide(actor=users["admin"], adjustment=adjustment, action="approve")
    cancelled.refresh_from_db()
    assert cancelled.deleted_at is not None and cancelled.cancelled_on == TEST_TODAY
    assert not Target.objects.visible_to(users["supervisor"]).filter(pk=cancelled.pk).exists()

    whole = target(plan, "招引项目")
    later = (TEST_TODAY + dt.timedelta(days=30)).isoformat()
    split = ask(users["invest"], whole, kind="split", parts=[
        {"title": "招引内资项目60个", "target_value": "60", "unit": "个", "deadline": later, "lead_unit": units["invest"].pk},
        {"title": "招引外资项目40个", "target_value": "40", "unit": "个", "lead_unit": units["agri"].pk},
        {"title": "", "target_value": ""},  # a blank row of the form is no part
    ])
    assert len(split.parts) == 2
    adjustments.adjustment_decide(actor=users["supervisor"], adjustment=split, action="approve")
    parts = list(Target.objects.alive().filter(adjusted_from=whole).order_by("pk"))
    assert [(p.title, p.target_value, p.lead_unit) for p in parts] == [
        ("招引内资项目60个", Decimal("60"), units["invest"]), ("招引外资项目40个", Decimal("40"), units["agri"])]
    assert parts[0].deadline == dt.date.fromisoformat(later) and parts[0].section == whole.section
    assert Target.objects.get(pk=whole.pk).deleted_at is not None


@pytest.mark.parametrize("case, kw, message", [
    ("no reason", {"reason": "  "}, "请写明调整理由"),
    ("no document", {"document": None}, "请上传调整依据文件"),
    ("no basis", {"basis": ""}, "请选择调整依据"),
    ("a script as document", {"document": SimpleUploadedFile("x.exe", b"MZ")}, "类型不支持"),
    ("deadline before today", {"changes": {"deadline": "2026-01-31"}}, "不能早于今天"),
    ("nothing changes", {"changes": {"unit": "个"}}, "调整内容与目标现状相同"),
    ("a field not to adjust", {"changes": {"metric": "x"}}, "不能修改"),
    ("one part only", {"kind": "split", "parts": [{"title": "只一项", "lead_unit": None}]}, "至少拆为两项"),
])
def test_bad_requests_are_refused_in_chinese_and_write_nothing(plan, users, case, kw, message):
    t = target(plan, "招引项目")
    kind = kw.pop("kind", "change")
    kw.setdefault("changes", {"target_value": "90"})
    before = written()
    with pytest.raises(ApplicationError, match=message):
        ask(users["supervisor"], t, kind=kind, **kw)
    assert written() == before


def test_no_adjustment_on_a_closed_plan_and_drafts_are_edited_directly(plan, users):
    t = target(plan, "招引项目")
    services.plan_close(actor=users["supervisor"], plan=plan)
    with pytest.raises(ApplicationError, match="计划已关闭，不能再调整目标"):
        ask(users["supervisor"], t, changes={"target_value": "90"})
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)
    with pytest.raises(ApplicationError, match="草稿计划的目标请直接在审阅页修改"):
        ask(users["supervisor"], t, changes={"target_value": "90"})


def test_who_may_ask_and_who_may_decide(plan, users):
    t = target(plan, "招引项目")  # led by 招商局
    for role in ("agri", "village", "leader"):
        with pytest.raises(PermissionDeniedError):
            ask(users[role], t, changes={"target_value": "90"})
    adjustment = ask(users["supervisor"], t, changes={"target_value": "90"})
    before = written()
    # Not the one who asked, not a unit, not a leader while the office decides.
    for role in ("supervisor", "invest", "leader"):
        with pytest.raises(PermissionDeniedError):
            adjustments.adjustment_decide(actor=users[role], adjustment=adjustment, action="approve")
    with pytest.raises(ApplicationError, match="不同意调整时请填写理由"):
        adjustments.adjustment_decide(actor=users["admin"], adjustment=adjustment, action="refuse")
    assert written() == before
    # The plan says a leader decides: now the office may not, the leader may.
    services.plan_update_settings(actor=users["supervisor"], plan=plan, data={"adjustment_approver": "leader"})
    with pytest.raises(PermissionDeniedError, match="分管领导审批"):
        adjustments.adjustment_decide(actor=users["admin"], adjustment=adjustment, action="approve")
    adjustments.adjustment_decide(actor=users["leader"], adjustment=adjustment, action="approve")
    assert Target.objects.get(pk=t.pk).target_value == Decimal("90")


def test_an_approval_over_a_target_changed_since_is_refused(plan, users):
    t = target(plan, "招引项目")
    first = ask(users["invest"], t, changes={"target_value": "90"})
    adjustments.adjustment_decide(actor=users["invest"], adjustment=first, action="withdraw")
    second = ask(users["invest"], t, changes={"target_value": "95"})
    # Someone binds a data source meanwhile (allowed directly): the target moved on.
    services.target_update(actor=users["supervisor"], target=t, data={"metric": "plans.ledger_done",
                                                                      "metric_params": {"target": str(t.pk)}})
    with pytest.raises(ApplicationError, match="目标在提出申请后已有变动"):
        adjustments.adjustment_decide(actor=users["supervisor"], adjustment=second, action="approve")
    assert TargetAdjustment.objects.get(pk=second.pk).status == Status.PENDING
    assert Target.objects.get(pk=t.pk).target_value == Decimal("100")


def test_a_direct_edit_of_an_active_plan_is_refused_but_binding_a_metric_is_not(plan, users):
    t = target(plan, "招引项目")
    with pytest.raises(ApplicationError, match="目标调整"):
        services.target_update(actor=users["supervisor"], target=t, data={"deadline": "2026-10-31"})
    with pytest.raises(ApplicationError, match="目标调整"):
        services.target_delete(actor=users["supervisor"], target=t)
    with pytest.raises(ApplicationError, match="目标调整"):
        services.target_bulk_assign(actor=users["supervisor"], plan=plan, versions={t.pk: None},
                                    lead_unit=users["agri"].unit)
    assert Target.objects.get(pk=t.pk).version == 1 and not history_for(t).exists()


def test_the_pages_ask_list_and_decide(client, plan, users):
    t = target(plan, "招引项目")
    client.force_login(users["invest"])
    page = client.get(reverse("plans:target_detail", args=[t.pk])).content.decode()
    assert reverse("plans:adjustment_create", args=[t.pk]) in page
    form = client.get(reverse("plans:adjustment_create", args=[t.pk]))
    assert form.status_code == 200 and "审批后生效" in form.content.decode()
    refused = client.post(reverse("plans:adjustment_create", args=[t.pk]), {"kind": "change", "reason": "",
                                                                           "expected_version": 1})
    assert refused.status_code == 400 and "请写明调整理由" in refused.content.decode()
    new_deadline = (TEST_TODAY + dt.timedelta(days=45)).isoformat()
    response = client.post(reverse("plans:adjustment_create", args=[t.pk]), {
        "kind": "change", "reason": "上级调整任务", "basis": "document", "document": minutes("通知.pdf"),
        "title": t.title, "target_value": "100", "unit": "个", "deadline": new_deadline,
        "lead_unit": t.lead_unit_id, "weight": "1", "expected_version": 1,
    })
    adjustment = TargetAdjustment.objects.get()
    assert response.status_code == 302 and response.url == reverse("plans:adjustment_detail", args=[adjustment.pk])
    assert list(adjustment.changes) == ["deadline"]  # only what was changed on the form
    detail = client.get(response.url).content.decode()
    assert "待审批" in detail and "通知.pdf" in detail and 'data-testid="approve"' not in detail
    assert client.get(reverse("plans:adjustment_document", args=[adjustment.pk])).status_code == 200
    # Another unit sees none of it.
    client.force_login(users["village"])
    assert client.get(reverse("plans:adjustment_detail", args=[adjustment.pk])).status_code == 404
    assert client.get(reverse("plans:adjustment_document", args=[adjustment.pk])).status_code == 404
    # The office decides on the page.
    client.force_login(users["supervisor"])
    listing = client.get(reverse("plans:adjustment_list", args=[plan.pk])).content.decode()
    assert "上级调整任务" in listing
    client.post(reverse("plans:adjustment_decide", args=[adjustment.pk, "approve"]), {"comment": "同意"})
    assert Target.objects.get(pk=t.pk).deadline == dt.date.fromisoformat(new_deadline)
    assert "已批准" in client.get(reverse("plans:adjustment_detail", args=[adjustment.pk])).content.decode()


def test_the_api_asks_and_decides_and_refuses_a_direct_patch(client_as, plan, users):
    t = target(plan, "招引项目")
    patch = client_as("supervisor").patch(f"/api/plans/targets/{t.pk}/", {"target_value": "90", "version": 1},
                                          format="json")
    assert patch.status_code == 400 and "目标调整" in patch.json()["message"]
    created = client_as("invest").post("/api/plans/adjustments/", {
        "target": t.pk, "kind": "change", "reason": "市里下调任务", "basis": "document",
        "document": minutes(), "changes": '{"target_value": "90"}', "version": 1,
    }, format="multipart")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "pending" and body["changes"] == {"target_value": "90"}
    assert client_as("village").get(f"/api/plans/adjustments/{body['id']}/").status_code == 404
    denied = client_as("invest").post(f"/api/plans/adjustments/{body['id']}/approve/", {}, format="json")
    assert denied.status_code == 403
    approved = client_as("supervisor").post(f"/api/plans/adjustments/{body['id']}/approve/", {"comment": "同意"},
                                            format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert Target.objects.get(pk=t.pk).target_value == Decimal("90")
    listed = client_as("leader").get(f"/api/plans/adjustments/?plan={plan.pk}").json()
    assert [a["id"] for a in listed["results"]] == [body["id"]]


def test_the_form_names_every_missing_part_at_once(client, plan, users):
    t = target(plan, "招引项目")
    client.force_login(users["invest"])
    response = client.post(reverse("plans:adjustment_create", args=[t.pk]), {"kind": "change"})
    page = response.content.decode()
    assert response.status_code == 400
    assert all(text in page for text in ("请写明调整理由", "请选择调整依据", "请上传调整依据文件", "请重新选择"))
    assert not TargetAdjustment.objects.exists()


@pytest.mark.parametrize("kind, kw, message", [
    ("change", {"changes": {"title": ""}}, "目标"),
    ("change", {"changes": {"title": "长" * 301}}, "目标"),
    ("change", {"changes": {"weight": "-1"}}, "权重"),
    ("change", {"changes": {"target_value": "1" * 18}}, "超出可填写的范围"),
    ("change", {"changes": ["title"]}, "字段: 新值"),
    ("change", {"changes": {"cooperating_units": 5}}, "配合单位应为"),
    ("split", {"parts": {"a": 1}}, "拆分内容应为"),
    ("split", {"parts": [1, 2]}, "拆分内容应为"),
    ("split", {"parts": [{"title": "甲", "target_value": "1" * 18}, {"title": "乙"}]}, "第1项：目标值.*超出可填写的范围"),
    ("split", {"parts": [{"title": "甲" * 301}, {"title": "乙"}]}, "第1项："),
])
def test_a_request_that_could_never_be_applied_is_refused_when_made(plan, users, kind, kw, message):
    t = target(plan, "招引项目")
    before = written()
    with pytest.raises(ApplicationError, match=message):
        ask(users["invest"], t, kind=kind, **kw)
    assert written() == before


def test_a_split_shares_the_weight_and_keeps_the_cooperating_units_and_a_range_becomes_one_figure(plan, users, units):
    t = target(plan, "农民收入")  # led by 招商局, 农业农村局 cooperating
    Target.objects.filter(pk=t.pk).update(weight=Decimal("3"), comparator="range", target_value=Decimal("10"),
                                          target_value_max=Decimal("20"))
    t.refresh_from_db()
    split = ask(users["supervisor"], t, kind="split", parts=[
        {"title": "甲村收入提升12%", "target_value": "12", "unit": "%", "lead_unit": units["invest"].pk},
        {"title": "乙村收入提升15%", "target_value": "15", "unit": "%", "lead_unit": units["invest"].pk},
    ])
    adjustments.adjustment_decide(actor=users["admin"], adjustment=split, action="approve")
    parts = list(Target.objects.alive().filter(adjusted_from=t))
    assert [p.weight for p in parts] == [Decimal("1.50"), Decimal("1.50")]
    assert all(p.comparator == ">=" and list(p.cooperating_units.all()) == [units["agri"]] for p in parts)
