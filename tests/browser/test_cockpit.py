"""A leader opens the cockpit, clicks the reddest section's red bar and lands on its lagging targets."""

import datetime as dt
import json
import re

import pytest
from playwright.sync_api import expect

from yuanqu.core import clock
from yuanqu.plans import services
from yuanqu.plans.models import Plan

from ..browser_fixtures import login
from ..factories import PASSWORD, target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def last_years_plan(plan, users):
    """Last year's plan: every unmet target is past its deadline (red), whatever today is."""
    Plan.objects.filter(pk=plan.pk).update(year=clock.today().year - 1)
    plan.refresh_from_db()
    done = target(plan, "培育新型农民")
    report = services.report_submit(actor=users["agri"], target=done, period=dt.date(plan.year, 12, 1),
                                    value="150", narrative="全年完成")
    services.report_accept(actor=users["supervisor"], report=report)
    return plan  # section 一: 2 red; section 二: 1 red, 1 done


def test_leader_clicks_the_reddest_section_and_lands_on_its_lagging_targets(page, last_years_plan, users):
    plan = last_years_plan
    login(page, users["leader"].username, PASSWORD)
    page.goto(f"/cockpit/?plan={plan.pk}")
    chart = page.get_by_test_id("chart-sections")
    expect(chart.locator("svg")).to_be_visible()

    data = json.loads(page.locator("#cockpit-data").text_content())
    reds = [s["counts"]["red"] for s in data["sections"]]
    reddest = max(range(len(reds)), key=reds.__getitem__)
    assert data["sections"][reddest]["label"].startswith("一")
    order = [st["value"] for st in data["statuses"]]
    counts = data["sections"][reddest]["counts"]
    middle = sum(counts[s] for s in order[: order.index("red")]) + counts["red"] / 2
    # Where ECharts drew the middle of that red segment, then a real mouse click there.
    x, y = page.evaluate(
        """([index, value]) => {
            const el = document.querySelector('[data-testid="chart-sections"]');
            return echarts.getInstanceByDom(el).convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [value, index]);
        }""",
        [reddest, middle],
    )
    box = chart.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)

    page.wait_for_url(re.compile(r"/targets/\?.*status=red"))
    section = plan.sections.get(no="一")
    assert f"section={section.pk}" in page.url
    table = page.locator("#target-table")
    expect(table).to_contain_text("招引项目100个")
    expect(table).to_contain_text("农民收入提升10%以上")
    expect(table).not_to_contain_text("培育新型农民")
    expect(table).to_contain_text("红灯")


def test_a_section_title_with_markup_is_shown_as_text_in_the_tooltip(page, last_years_plan, users):
    plan = last_years_plan
    section = plan.sections.get(no="一")
    section.title = '<img src=x onerror="document.title=\'pwned\'">招商'
    section.save()
    login(page, users["leader"].username, PASSWORD)
    page.goto(f"/cockpit/?plan={plan.pk}")
    expect(page.get_by_test_id("chart-sections").locator("svg")).to_be_visible()
    title = page.title()
    page.evaluate(
        """() => {
            const el = document.querySelector('[data-testid="chart-sections"]');
            const chart = echarts.getInstanceByDom(el);
            chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});
        }"""
    )
    tooltip = page.locator("[data-testid=chart-sections] div").filter(has_text="招商").last
    expect(tooltip).to_contain_text("<img")  # the markup is visible as text, not rendered
    assert page.title() == title
    assert page.locator("[data-testid=chart-sections] img").count() == 0
