"""The office maps an unknown unit name on the review page; the targets take the unit and the
name becomes an alias."""

import pytest
from playwright.sync_api import expect

from yuanqu.org.models import OrgUnitAlias
from yuanqu.plans import services

from ..browser_fixtures import login
from ..factories import PASSWORD
from ..plans.task_lists import task, task_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_maps_an_unknown_unit_name_on_the_review_page(page, units, users, monkeypatch):
    draft = task_list(
        task("1", "举办投资推介会", lead=["投资促进局"], deadline="2027-05-31", points=1),
        task("2", "建设招商服务平台", lead=["区招商局"], coop=["投资促进局"], deadline="2027-11-30"),
        year=2027,
    )
    monkeypatch.setattr("yuanqu.plans.extract.extract", lambda text, year=None: draft)
    plan = services.plan_import_text(actor=users["supervisor"], text="（任务清单原文）")

    login(page, users["supervisor"].username, PASSWORD)
    page.goto(f"/plans/{plan.pk}/review/")
    row = page.locator('[data-unit-name="投资促进局"]')
    expect(row).to_contain_text("2 个目标（其中 1 个为牵头单位）")
    expect(page.locator("#missing-lead")).to_contain_text("1 个未指定牵头单位")
    row.get_by_label("“投资促进局”对应的单位").select_option(value=str(units["invest"].pk))
    row.get_by_role("button", name="对应", exact=True).click()

    expect(page.locator("body")).to_contain_text("单位名称“投资促进局”对应为“招商局”，涉及2个目标，并保留为该单位的别名。")
    expect(page.locator("#unit-names")).to_have_count(0)
    expect(page.locator("#missing-lead")).to_have_count(0)
    first = next(t for t in plan.targets.all() if t.as_written["item"] == "1")
    expect(page.locator(f"#tcard-{first.pk}")).to_contain_text("招商局")
    assert first.lead_unit == units["invest"]
    assert OrgUnitAlias.objects.get(name="投资促进局").unit == units["invest"]
