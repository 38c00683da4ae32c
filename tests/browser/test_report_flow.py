"""A reporter files a report in the browser, the supervisor accepts it, and the light follows."""

import re

import pytest
from playwright.sync_api import expect

from ..browser_fixtures import login, logout
from ..factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporter_files_supervisor_accepts_status_follows(page, plan, users):
    agri, supervisor = users["agri"], users["supervisor"]

    login(page, agri.username, PASSWORD)
    page.goto("/targets/")
    table = page.locator("#target-table")
    expect(table).to_contain_text("培育新型农民")
    expect(table).to_contain_text("三南村")
    expect(table).not_to_contain_text("招引项目100个")  # another unit's target stays out of scope

    page.get_by_role("link", name=re.compile("培育新型农民")).first.click()
    page.get_by_role("link", name=re.compile("填报进度")).click()
    page.fill("#id_value", "150")
    page.fill("textarea[name=narrative]", "已培育新型农民150人")
    page.get_by_role("button", name=re.compile("提交报告")).click()
    expect(page.locator("body")).to_contain_text("待审核")
    logout(page)

    login(page, supervisor.username, PASSWORD)
    page.goto("/review/")
    row = page.locator("tr", has_text="培育新型农民")
    expect(row).to_contain_text("150")
    row.get_by_role("button", name=re.compile("采纳")).click()
    expect(row).to_contain_text("已采纳")  # the row is swapped in place by htmx

    page.goto(f"/targets/?plan={plan.pk}&status=done")
    expect(page.locator("#target-table")).to_contain_text("培育新型农民")
    expect(page.locator("#target-table")).to_contain_text("已完成")


def test_a_reporter_cannot_open_another_units_report_form(page, plan, users):
    login(page, users["village"].username, PASSWORD)
    other = plan.targets.get(title__startswith="招引项目")
    response = page.goto(f"/targets/{other.pk}/report/")
    assert response.status == 404
