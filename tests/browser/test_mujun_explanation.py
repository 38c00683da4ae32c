"""The 经发局 runs the 亩均 evaluation in the browser, opens the class C list, clicks one
enterprise and reads why it is class C: each indicator's value, benchmark, weight and points,
which add up to the total shown."""

from decimal import Decimal

import pytest
from django.apps import apps
from playwright.sync_api import expect

from yuanqu.enterprises import gb4754, services
from yuanqu.enterprises.abilities import ECONOMY
from yuanqu.enterprises.models import MujunResult

from ..browser_fixtures import login
from ..enterprises.mujun_zone import build_zone, make_scheme
from ..factories import PASSWORD, code_for, make_bureau, make_keeper

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _make_enterprise(**data):
    n = int(data["name"][-2:]) + 1
    return services.enterprise_create(actor=None, data={"credit_code": code_for(n), **data})


def test_the_economy_bureau_runs_and_reads_why_an_enterprise_is_class_c(page, units):
    gb4754.load(apps.get_model)  # an earlier transactional test's flush empties the shipped lists
    economy = make_keeper("economy1", ECONOMY, make_bureau(units, "经济发展局"))
    build_zone(_make_enterprise, count=20)
    scheme = make_scheme()
    login(page, economy.username, PASSWORD)
    page.goto("/enterprises/mujun/")
    page.get_by_test_id(f"run-{scheme.pk}").click()
    expect(page.get_by_test_id("status")).to_have_text("草稿")
    page.select_option("#f-class", "C")
    page.get_by_role("button", name="筛选").click()
    first = page.locator("table tbody tr td a").first
    name = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_contain_text(name)
    expect(page.get_by_test_id("outcome")).to_contain_text("C 监管调控")
    result = MujunResult.objects.get(enterprise__name=name)
    lines = page.get_by_test_id("lines").locator("tbody tr")
    expect(lines).to_have_count(len(result.lines))
    shown = [Decimal(t) for t in page.get_by_test_id("points").all_inner_texts()]
    assert abs(sum(shown) - result.total) < Decimal("0.001")
    expect(lines.first).to_contain_text("亩均税收")
    expect(lines.first).to_contain_text("公布基准值")
    expect(page.get_by_test_id("explanation")).to_contain_text("C类（监管调控）")
