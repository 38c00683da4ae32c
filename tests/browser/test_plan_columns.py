"""The supervision office uploads an .xlsx task sheet, corrects one column in the mapping step and
imports: the draft is made from the corrected mapping."""

import re

import pytest
from playwright.sync_api import expect

from yuanqu.plans.models import Plan

from ..browser_fixtures import login
from ..factories import PASSWORD
from ..plans.test_documents_formats import task_sheet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_upload_a_task_sheet_change_a_column_and_import(page, users):
    login(page, users["supervisor"].username, PASSWORD)
    page.goto("/plans/import/")
    page.fill("#id_year", "2027")
    page.set_input_files("#id_file", files=[{"name": "任务分解.xlsx", "mimeType": XLSX, "buffer": task_sheet()}])
    page.get_by_role("button", name=re.compile("解析并生成草稿")).click()

    expect(page.get_by_role("heading", name="核对任务表的列")).to_be_visible()
    coop = page.get_by_label("工作表“任务分解”第6列“配合部门”")
    expect(coop).to_have_value("coop")  # the guess
    expect(page.locator("table")).to_contain_text("推进一网通办")
    coop.select_option(label="（不导入）")
    page.get_by_role("button", name=re.compile("按此对应关系生成草稿")).click()

    expect(page).to_have_url(re.compile(r"/plans/\d+/review/$"))
    expect(page.locator("body")).to_contain_text("已导入为草稿")
    plan = Plan.objects.get(year=2027)
    assert "配合单位" not in plan.source_text
    assert "1．推进一网通办（完成时限：2027年6月30日）（牵头单位：政务服务局）（0.5分）" in plan.source_text
