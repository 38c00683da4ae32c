"""Filing, reviewing and returning progress reports through the pages."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_target, target
from yuanqu.core import clock
from yuanqu.core.history import history_for
from yuanqu.plans import services
from yuanqu.plans.models import Plan, ProgressReport, Section

HX = {"HTTP_HX_REQUEST": "true"}


def _this_month() -> str:
    return clock.today().strftime("%Y-%m")


def _statuses(client, plan, status):
    response = client.get(reverse("plans:target_list"), {"plan": plan.pk, "status": status})
    return {t.title for t in response.context["table"].data}


def test_reporter_files_supervisor_accepts_and_the_status_on_the_list_changes(client, users, plan):
    farmers = target(plan, "培育新型农民")
    client.force_login(users["supervisor"])
    assert farmers.title not in _statuses(client, plan, "done")

    client.force_login(users["agri"])
    response = client.post(
        reverse("plans:report_create", args=[farmers.pk]),
        {"period": _this_month(), "value": "150", "narrative": "已培训150人", "based_on_version": "0"},
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(target=farmers)
    assert (report.version, report.value, report.review) == (1, 150, "pending")

    client.force_login(users["supervisor"])
    queue = client.get(reverse("plans:review_queue"))
    assert [r.pk for r in queue.context["page"]] == [report.pk]
    assert farmers.title not in _statuses(client, plan, "done")  # pending reports do not count

    response = client.post(reverse("plans:report_accept", args=[report.pk]), {"comment": "属实"}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="review-{report.pk}"' in html and "已采纳" in html and "<html" not in html
    report.refresh_from_db()
    assert report.review == "accepted" and report.review_comment == "属实"

    assert farmers.title in _statuses(client, plan, "done")
    listing = client.get(reverse("plans:target_list"), {"plan": plan.pk, "q": "新型农民"})
    assert "150人" in listing.content.decode()  # the latest accepted figure with its unit
    assert client.get(reverse("plans:review_queue")).context["page"].paginator.count == 0


def test_returning_a_report_needs_a_comment_and_then_shows_on_my_unit(client, users, plan):
    farmers = target(plan, "培育新型农民")
    report = services.report_submit(actor=users["agri"], target=farmers, period=_this_month(), value="20",
                                    narrative="进展")
    client.force_login(users["supervisor"])
    refused = client.post(reverse("plans:report_return", args=[report.pk]), {"comment": " "}, **HX)
    assert "退回时请填写退回意见" in refused.content.decode()
    report.refresh_from_db()
    assert report.review == "pending"

    client.post(reverse("plans:report_return", args=[report.pk]), {"comment": "请附培训签到表"}, **HX)
    report.refresh_from_db()
    assert report.review == "returned"

    client.force_login(users["agri"])
    page = client.get(reverse("plans:my_unit"))
    assert [r.pk for r in page.context["returned"]] == [report.pk]
    assert "请附培训签到表" in page.content.decode()

    # A new version replaces the returned one on my-unit.
    services.report_submit(actor=users["agri"], target=farmers, period=_this_month(), value="25",
                           narrative="补充", based_on_version=1)
    assert client.get(reverse("plans:my_unit")).context["returned"] == []


def test_review_errors_are_shown_inline_not_as_a_500(client, users, plan):
    farmers = target(plan, "培育新型农民")
    report = services.report_submit(actor=users["agri"], target=farmers, period=_this_month(), value="20",
                                    narrative="进展")
    services.report_accept(actor=users["supervisor"], report=report)
    client.force_login(users["supervisor"])
    response = client.post(reverse("plans:report_accept", args=[report.pk]), {}, **HX)
    assert response.status_code == 200
    assert "不能重复审核" in response.content.decode()


def test_reporters_cannot_review(client, users, plan):
    report = services.report_submit(actor=users["agri"], target=target(plan, "培育新型农民"),
                                    period=_this_month(), value="20", narrative="进展")
    client.force_login(users["agri"])
    assert client.post(reverse("plans:report_accept", args=[report.pk]), {}).status_code == 403
    report.refresh_from_db()
    assert report.review == "pending"


def test_a_value_that_is_not_a_number_names_the_field_and_writes_nothing(client, users, plan):
    farmers = target(plan, "培育新型农民")
    client.force_login(users["agri"])
    response = client.post(
        reverse("plans:report_create", args=[farmers.pk]),
        {"period": _this_month(), "value": "abc", "narrative": "进展", "based_on_version": "0"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["value"]
    assert any("完成值" in e and "abc" in e for e in errors)
    assert "完成值应为数字" in response.content.decode()
    assert not ProgressReport.objects.filter(target=farmers).exists()
    assert not history_for(farmers).exists()


def test_missing_narrative_is_refused_with_a_chinese_message(client, users, plan):
    farmers = target(plan, "培育新型农民")
    client.force_login(users["agri"])
    response = client.post(reverse("plans:report_create", args=[farmers.pk]),
                           {"period": _this_month(), "value": "5", "narrative": "", "based_on_version": "0"})
    assert "请填写工作进展" in " ".join(response.context["form"].errors["narrative"])
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(("title", "code"), [("农民收入", 403), ("招引项目", 404)])
def test_reporting_on_another_units_target_is_refused_and_writes_nothing(client, users, plan, title, code):
    """Assisting is not leading (403); a target outside the unit's scope is not even found (404)."""
    other = target(plan, title)
    client.force_login(users["agri"])
    response = client.post(reverse("plans:report_create", args=[other.pk]),
                           {"period": _this_month(), "value": "5", "narrative": "x", "based_on_version": "0"})
    assert response.status_code == code
    assert not ProgressReport.objects.filter(target=other).exists()


def test_a_stale_based_on_version_is_a_conflict_and_writes_nothing(client, users, plan):
    farmers = target(plan, "培育新型农民")
    services.report_submit(actor=users["agri"], target=farmers, period=_this_month(), value="10", narrative="v1")
    client.force_login(users["agri"])
    response = client.post(
        reverse("plans:report_create", args=[farmers.pk]),
        {"period": _this_month(), "value": "12", "narrative": "based on nothing", "based_on_version": "0"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="conflict"' in html and "已有第1版" in html
    assert reverse("plans:report_create", args=[farmers.pk]) in html  # the reload link
    assert list(ProgressReport.objects.filter(target=farmers).values_list("version", flat=True)) == [1]


def test_the_form_carries_the_current_version_of_each_month(client, users, plan):
    farmers = target(plan, "培育新型农民")
    services.report_submit(actor=users["agri"], target=farmers, period=_this_month(), value="10", narrative="v1")
    client.force_login(users["agri"])
    response = client.get(reverse("plans:report_create", args=[farmers.pk]))
    assert response.context["versions"][_this_month()]["version"] == 1
    assert 'id="period-versions"' in response.content.decode()
    periods = [value for value, _label in response.context["form"].fields["period"].choices]
    assert periods[0] == f"{plan.year}-01" and periods[-1] == _this_month()
    assert "完成值" in response.content.decode() and "（人）" in response.content.decode()


def test_a_second_report_with_attachments_is_a_new_version_and_attachments_are_scoped(client, users, plan):
    farmers = target(plan, "培育新型农民")
    client.force_login(users["agri"])
    files = [SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 a"), SimpleUploadedFile("现场.jpg", b"\xff\xd8jpg")]
    for version, value in [(0, "10"), (1, "30")]:
        response = client.post(
            reverse("plans:report_create", args=[farmers.pk]),
            {"period": _this_month(), "value": value, "narrative": "进展", "based_on_version": str(version),
             "attachments": files if version else []},
        )
        assert response.status_code == 302, response.context and response.context["form"].errors
    latest = ProgressReport.objects.get(target=farmers, version=2)
    assert sorted(a.name for a in latest.attachments.all()) == ["现场.jpg", "签到表.pdf"]
    attachment = latest.attachments.get(name="签到表.pdf")
    detail = client.get(reverse("plans:target_detail", args=[farmers.pk])).content.decode()
    assert "第1版" in detail and "第2版" in detail and "已被新版本取代" in detail
    download = client.get(reverse("plans:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 a"
    client.force_login(users["invest"])
    assert client.get(reverse("plans:attachment_download", args=[attachment.pk])).status_code == 404


def test_an_attachment_of_an_unknown_type_is_refused(client, users, plan):
    farmers = target(plan, "培育新型农民")
    client.force_login(users["agri"])
    response = client.post(
        reverse("plans:report_create", args=[farmers.pk]),
        {"period": _this_month(), "value": "3", "narrative": "x", "based_on_version": "0",
         "attachments": [SimpleUploadedFile("run.exe", b"MZ")]},
    )
    assert "类型不支持" in " ".join(response.context["form"].errors["attachments"])
    assert not ProgressReport.objects.exists()


def test_my_unit_lists_targets_without_a_report_for_the_due_month(client, users, plan):
    village_target = target(plan, "三南村")
    client.force_login(users["village"])
    page = client.get(reverse("plans:my_unit"))
    assert [p["target"].pk for p in page.context["pending"]] == [village_target.pk]
    due = page.context["pending"][0]["period"]
    services.report_submit(actor=users["village"], target=village_target, period=due, percent="40",
                           narrative="进展")
    assert client.get(reverse("plans:my_unit")).context["pending"] == []


def test_ledger_items_are_added_and_updated_by_the_lead_unit_through_htmx(client, users, plan):
    farmers = target(plan, "培育新型农民")
    client.force_login(users["agri"])
    response = client.post(reverse("plans:ledger_item_create", args=[farmers.pk]),
                           {"name": "第一期培训班", "status": "planned"}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="ledger"' in html and "第一期培训班" in html and "<html" not in html
    item = farmers.ledger_items.get()
    response = client.post(reverse("plans:ledger_item_update", args=[item.pk]),
                           {"status": "done", "completed_on": "", "expected_version": item.version}, **HX)
    item.refresh_from_db()
    assert item.status == "done" and item.completed_on is not None
    stale = client.post(reverse("plans:ledger_item_update", args=[item.pk]),
                        {"status": "in_progress", "expected_version": 1}, **HX)
    assert "已被他人修改" in stale.content.decode()
    item.refresh_from_db()
    assert item.status == "done"

    client.force_login(users["invest"])  # another unit: the target is not even visible
    assert client.post(reverse("plans:ledger_item_create", args=[farmers.pk]), {"name": "x",
                       "status": "planned"}).status_code == 404
    assert farmers.ledger_items.count() == 1


def test_my_unit_names_the_plan_of_each_row_when_two_plans_are_open(client, users, units, plan):
    client.force_login(users["invest"])
    assert "badge text-bg-light border" not in client.get(reverse("plans:my_unit")).content.decode()
    # Last year's plan still open (not yet closed) beside this year's.
    old = Plan.objects.create(year=plan.year - 1, title="上年计划", source_text="一、招商。", status=Plan.Status.ACTIVE)
    section = Section.objects.create(plan=old, no="一", title="招商", order=0)
    make_target(old, section, units["invest"], "上年招引项目80个")
    html = client.get(reverse("plans:my_unit")).content.decode()
    assert f"{plan.year - 1}年</span>" in html and f"{plan.year}年</span>" in html
