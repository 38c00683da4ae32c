"""A reporter corrects a returned report from the form filled with the returned version; the
review queue shows what changed. A leader writes a 批示 on a target's page."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from yuanqu.core import clock
from yuanqu.plans import services
from yuanqu.plans.models import ProgressReport

from ..browser_fixtures import login, logout
from ..factories import PASSWORD, target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporter_corrects_a_returned_report_from_the_prefilled_form(page, plan, users):
    agri, supervisor = users["agri"], users["supervisor"]
    farmers = target(plan, "培育新型农民")
    first = services.report_submit(
        actor=agri, target=farmers, period=clock.today().strftime("%Y-%m"), value="120",
        narrative="已培育新型农民120人", problems="培训场地紧张",
        files=[SimpleUploadedFile("花名册.pdf", b"%PDF-1.4 roster", content_type="application/pdf")],
    )
    services.report_return(actor=supervisor, report=first, comment="人数与花名册不符，请核实后重报。")

    login(page, agri.username, PASSWORD)
    page.goto("/my/")
    returned = page.locator("#returned")
    expect(returned).to_contain_text("人数与花名册不符")
    returned.get_by_role("link", name=re.compile("修改后重报")).click()

    # The return comment stands above the form, which holds the returned version.
    expect(page.locator("#return-comment")).to_contain_text("退回意见：人数与花名册不符，请核实后重报。")
    expect(page.locator("#id_value")).to_have_value("120")
    expect(page.locator("textarea[name=narrative]")).to_have_value("已培育新型农民120人")
    expect(page.locator("textarea[name=problems]")).to_have_value("培训场地紧张")
    expect(page.locator("#keep-attachments")).to_contain_text("花名册.pdf")
    expect(page.locator("#keep-attachments input[type=checkbox]")).to_be_checked()

    page.fill("#id_value", "150")
    page.fill("textarea[name=narrative]", "已培育新型农民150人（已按花名册核实）")
    page.get_by_role("button", name=re.compile("提交报告")).click()
    expect(page.locator("body")).to_contain_text("第2版")

    second = ProgressReport.objects.get(target=farmers, version=2)
    assert (second.value, second.problems) == (150, "培训场地紧张")
    assert [a.name for a in second.attachments.all()] == ["花名册.pdf"]
    logout(page)

    login(page, supervisor.username, PASSWORD)
    page.goto("/review/")
    row = page.locator(f"#review-{second.pk}")
    changes = row.locator(".yq-version-changes")
    expect(changes).to_contain_text("较第1版的修改（2项）")
    expect(changes).to_contain_text("完成值")
    expect(changes).to_contain_text("120")
    expect(changes).to_contain_text("150")


def test_a_leader_writes_a_instruction_on_a_target_page(page, plan, users):
    t = target(plan, "招引项目")
    login(page, users["leader"].username, PASSWORD)
    page.goto(f"/targets/{t.pk}/")
    panel = page.locator("#instructions")
    expect(panel).to_contain_text("暂无领导批示")  # loaded into the page by htmx
    panel.locator("textarea[name=text]").fill("请招商局月底前报送签约项目清单。")
    panel.locator("#id_wants_item").check()
    panel.get_by_role("button", name=re.compile("提交批示")).click()
    expect(page.locator("#instructions")).to_contain_text("批示已记录")
    expect(page.locator("#instructions")).to_contain_text("请招商局月底前报送签约项目清单。")
    expect(page.locator("#instructions")).to_contain_text("请督查室立项督办")
