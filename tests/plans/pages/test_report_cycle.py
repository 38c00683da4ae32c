"""The report cycle speaks: notices on arrival and review, the correction form that starts from the
returned version, and the review queue showing what a correction changed."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_user, target
from yuanqu.core import clock
from yuanqu.core.models import Notification
from yuanqu.org import roles as Role
from yuanqu.plans import services
from yuanqu.plans.models import ProgressReport

HX = {"HTTP_HX_REQUEST": "true"}


def _month() -> str:
    return clock.today().strftime("%Y-%m")


def _file(name: str, content: bytes = b"evidence") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _file_report(user, t, **kw):
    data = {"period": _month(), "value": "20", "narrative": "已培训20人", "problems": "场地不足"}
    data.update(kw)
    return services.report_submit(actor=user, target=t, **data)


# ---------------------------------------------------------------- notices


def test_a_returned_report_tells_its_reporter_with_the_comment_and_a_link_to_the_filled_form(users, plan):
    farmers = target(plan, "培育新型农民")
    report = _file_report(users["agri"], farmers)
    services.report_return(actor=users["supervisor"], report=report, comment="佐证材料不全，请补充花名册。")
    notice = Notification.objects.get(recipient=users["agri"], kind="plans.report_returned")
    assert "退回" in notice.title and farmers.title[:10] in notice.title and "第1版" in notice.title
    assert "佐证材料不全，请补充花名册。" in notice.body
    assert notice.url == reverse("plans:report_create", args=[farmers.pk]) + f"?period={_month()}"
    assert notice.read_at is None


def test_an_accepted_report_tells_its_reporter_once(users, plan):
    farmers = target(plan, "培育新型农民")
    report = _file_report(users["agri"], farmers)
    services.report_accept(actor=users["supervisor"], report=report, comment="属实")
    notices = Notification.objects.filter(recipient=users["agri"])
    assert [n.kind for n in notices] == ["plans.report_accepted"]
    assert "已采纳" in notices[0].title and "属实" in notices[0].body
    assert notices[0].url == reverse("plans:target_detail", args=[farmers.pk])


def test_the_office_gets_one_notice_per_unit_and_day_that_counts_the_reports(users, units, plan):
    # Two reports from 农业农村局, one from 招商局: two notices per office member, the first counting two.
    _file_report(users["agri"], target(plan, "培育新型农民"))
    assisted = target(plan, "农民收入提升")
    services.report_submit(actor=users["invest"], target=assisted, period=_month(), value="3", narrative="进展")
    extra = target(plan, "招引项目")
    services.report_submit(actor=users["invest"], target=extra, period=_month(), value="30", narrative="进展")
    office = Notification.objects.filter(recipient=users["supervisor"], kind="plans.reports_arrived")
    by_title = sorted(n.title for n in office)
    assert by_title == ["农业农村局今日报送进度报告1份，待审核", "招商局今日报送进度报告2份，待审核"]
    invest = office.get(title__startswith="招商局")
    assert "招引项目" in invest.body and "农民收入" in invest.body
    assert invest.url == reverse("plans:review_queue")
    # Administrators review too, but the queue is the 督查室's: they are not paged; nor are reporters or leaders.
    assert not Notification.objects.filter(recipient__in=[users["admin"], users["leader"], users["agri"]],
                                           kind="plans.reports_arrived").exists()


def test_a_read_arrival_notice_comes_back_unread_when_more_reports_arrive(users, plan):
    _file_report(users["agri"], target(plan, "培育新型农民"))
    notice = Notification.objects.get(recipient=users["supervisor"], kind="plans.reports_arrived")
    Notification.objects.filter(pk=notice.pk).update(read_at=dt.datetime(2026, 9, 15, 9, tzinfo=dt.UTC))
    _file_report(users["agri"], target(plan, "培育新型农民"), narrative="更正：已培训25人", value="25")
    notice.refresh_from_db()
    assert notice.read_at is None and "2份" in notice.title
    assert Notification.objects.filter(recipient=users["supervisor"], kind="plans.reports_arrived").count() == 1


def test_a_supervisor_filing_a_report_is_not_told_of_their_own(users, plan):
    second = make_user("super2", Role.SUPERVISOR, plan.targets.first().lead_unit)
    services.report_submit(actor=users["supervisor"], target=target(plan, "招引项目"), period=_month(),
                           value="5", narrative="代报")
    assert not Notification.objects.filter(recipient=users["supervisor"]).exists()
    assert Notification.objects.filter(recipient=second, kind="plans.reports_arrived").count() == 1


# ---------------------------------------------------------------- the correction form


def test_the_correction_form_opens_filled_with_the_returned_version_and_shows_the_comment(client, users, plan):
    farmers = target(plan, "培育新型农民")
    report = _file_report(users["agri"], farmers, next_steps="下月再培训30人", files=[_file("花名册.pdf")])
    services.report_return(actor=users["supervisor"], report=report, comment="人数与花名册不符")
    client.force_login(users["agri"])
    response = client.get(reverse("plans:report_create", args=[farmers.pk]) + f"?period={_month()}")
    html = response.content.decode()
    form = response.context["form"]
    assert form.initial["value"] == "20" and form.initial["narrative"] == "已培训20人"
    assert form.initial["problems"] == "场地不足" and form.initial["next_steps"] == "下月再培训30人"
    assert form.initial["based_on_version"] == 1 and form.initial["period"] == _month()
    assert 'id="return-comment"' in html and "退回意见：人数与花名册不符" in html
    assert html.index("return-comment") < html.index('name="narrative"')  # the comment above the form
    assert "已培训20人</textarea>" in html and 'value="20"' in html
    assert "花名册.pdf" in html and 'name="keep_attachments"' in html


def test_a_correction_keeps_the_ticked_attachments_and_drops_the_others(client, users, plan):
    farmers = target(plan, "培育新型农民")
    report = _file_report(users["agri"], farmers, files=[_file("花名册.pdf"), _file("照片.jpg")])
    services.report_return(actor=users["supervisor"], report=report, comment="补充签到表")
    kept = report.attachments.get(name="花名册.pdf")
    client.force_login(users["agri"])
    response = client.post(reverse("plans:report_create", args=[farmers.pk]), {
        "period": _month(), "value": "25", "narrative": "已培训25人", "problems": "", "next_steps": "",
        "based_on_version": "1", "keep_attachments": [str(kept.pk)], "attachments": [_file("签到表.pdf")],
    })
    assert response.status_code == 302
    second = ProgressReport.objects.get(target=farmers, version=2)
    assert sorted(a.name for a in second.attachments.all()) == ["签到表.pdf", "花名册.pdf"]
    assert second.attachments.get(name="花名册.pdf").file.name == kept.file.name  # the same stored file
    assert report.attachments.count() == 2  # the returned version keeps its own


def test_keeping_an_attachment_of_another_report_is_refused_and_nothing_is_written(users, plan):
    farmers, other = target(plan, "培育新型农民"), target(plan, "招引项目")
    foreign = services.report_submit(actor=users["invest"], target=other, period=_month(), value="3",
                                     narrative="进展", files=[_file("别的.pdf")]).attachments.get()
    first = _file_report(users["agri"], farmers)
    with pytest.raises(services.ApplicationError, match="不属于该月最新一版"):
        _file_report(users["agri"], farmers, keep_attachments=[foreign.pk], based_on_version=first.version)
    assert ProgressReport.objects.filter(target=farmers).count() == 1


def test_a_form_with_no_earlier_version_is_empty(client, users, plan):
    client.force_login(users["agri"])
    response = client.get(reverse("plans:report_create", args=[target(plan, "培育新型农民").pk]))
    assert "narrative" not in response.context["form"].initial
    assert 'id="return-comment"' not in response.content.decode()


# ---------------------------------------------------------------- the review queue's version diff


def test_the_review_queue_shows_what_a_correction_changed(client, users, plan):
    farmers = target(plan, "培育新型农民")
    first = _file_report(users["agri"], farmers, files=[_file("花名册.pdf")])
    services.report_return(actor=users["supervisor"], report=first, comment="补充签到表")
    _file_report(users["agri"], farmers, value="25", narrative="已培训25人", based_on_version=1,
                 keep_attachments=[first.attachments.get().pk], files=[_file("签到表.pdf")])
    client.force_login(users["supervisor"])
    response = client.get(reverse("plans:review_queue"))
    (row,) = response.context["page"]
    changes = {c["label"]: (c["before"], c["after"]) for c in row.version_changes}
    assert changes == {
        "完成值": ("20", "25"),
        "工作进展": ("已培训20人", "已培训25人"),
        "附件": ("花名册.pdf", "签到表.pdf、花名册.pdf"),
    }  # 存在问题 unchanged is not listed
    html = response.content.decode()
    assert "较第1版的修改（3项）" in html and "<del class=\"text-muted\">已培训20人</del>" in html


def test_a_first_version_shows_no_diff(client, users, plan):
    _file_report(users["agri"], target(plan, "培育新型农民"))
    client.force_login(users["supervisor"])
    response = client.get(reverse("plans:review_queue"))
    assert response.context["page"][0].version_changes == []
    assert "较第" not in response.content.decode()
