"""In Chromium, as the demo runs (DEBUG off): the Chinese 404, a report form that survives an expired
session, the 督办单 target picker and the 督办通知单 download."""

import io
import re

import pytest
from docx import Document
from playwright.sync_api import expect

from yuanqu.plans.models import ProgressReport
from yuanqu.supervision.models import SupervisionItem

from ..browser_fixtures import login
from ..factories import PASSWORD, target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def test_another_units_target_is_the_styled_chinese_404(page, plan, users):
    login(page, users["village"].username, PASSWORD)
    response = page.goto(f"/targets/{target(plan, '招引项目').pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("未找到（404）")
    expect(page.locator("body")).not_to_contain_text("URLconf")
    # The stylesheets are served with DEBUG off: Bootstrap's primary button is blue, not a bare link.
    colour = page.locator("a.btn-primary").evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), colour
    page.screenshot(path="/tmp/yuanqu-404.png")


def test_a_report_typed_into_an_expired_session_comes_back_filled_after_login(page, plan, users):
    agri = users["agri"]
    login(page, agri.username, PASSWORD)
    page.goto(f"/targets/{target(plan, '培育新型农民').pk}/report/")
    page.fill("#id_value", "88")
    page.fill("textarea[name=narrative]", "完成第三批培训，共88人")
    page.fill("textarea[name=problems]", "场地紧张")
    page.context.clear_cookies(name="sessionid")  # the session expires while the form is open
    page.get_by_role("button", name=re.compile("提交报告")).click()

    expect(page.locator("body")).to_contain_text("登录已超时")
    page.fill("input[name=username]", agri.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("kept-form-note")).to_be_visible()
    expect(page.locator("#id_value")).to_have_value("88")
    expect(page.locator("textarea[name=narrative]")).to_have_value("完成第三批培训，共88人")
    expect(page.locator("textarea[name=problems]")).to_have_value("场地紧张")
    assert not ProgressReport.objects.exists()  # filled back, not submitted
    page.screenshot(path="/tmp/yuanqu-kept-form.png", full_page=True)
    page.get_by_role("button", name=re.compile("提交报告")).click()
    expect(page.locator("body")).to_contain_text("待审核")
    assert ProgressReport.objects.get().narrative == "完成第三批培训，共88人"


def test_the_office_picks_a_target_by_search_and_prints_the_notice(page, plan, users, units, tmp_path):
    login(page, users["supervisor"].username, PASSWORD)
    page.goto("/supervision/new/")
    page.fill("input[name=title]", "关于加快培育新型农民的督办")
    page.select_option("select[name=source_kind]", "target")
    page.fill("#target-search", "农民")
    results = page.locator("#target-results")
    expect(results).to_contain_text("测试计划 › 二、乡村")
    page.screenshot(path="/tmp/yuanqu-picker.png", full_page=True)
    results.get_by_role("button", name=re.compile("培育新型农民")).click()
    expect(page.locator("#target-picker [data-picked]")).to_contain_text("培育新型农民不少于150人")
    page.select_option("select[name=lead_unit]", str(units["agri"].pk))
    page.fill("textarea[name=requirement]", "九月底前完成全部培训。")
    page.get_by_role("button", name="立项并交办").click()
    expect(page.locator("#item-state")).to_contain_text("已交办")
    item = SupervisionItem.objects.get()
    assert item.target == target(plan, "培育新型农民")

    with page.expect_download() as caught:
        page.get_by_role("link", name=re.compile("督办通知单")).click()
    download = caught.value
    assert download.suggested_filename == f"督办通知单{item.number}.docx"
    path = tmp_path / "notice.docx"  # two suites may run at once (.ci/run)
    download.save_as(path)
    with open(path, "rb") as handle:
        doc = Document(io.BytesIO(handle.read()))
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert texts[:2] == ["督办通知单", item.number] and "农业农村局：" in texts
