"""The 招商局 opens its chain, clicks a missing link in the tree, reads it is 缺失 (补链), adds a
firm to it, and sees the node turn 较强 once the chain's threshold is met."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ..browser_fixtures import login
from ..chains.conftest import (
    chain,  # noqa: F401  (the fixture)
    make_enterprise,
    place,
)
from ..factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_click_a_missing_node_in_the_tree_and_fill_it(page, users, chain):  # noqa: F811
    place(chain.n["M1"], make_enterprise("甲船厂"), Decimal("9"))
    newcomer = make_enterprise("乙分段公司")
    login(page, users["invest"].username, PASSWORD)
    page.goto(f"/chains/{chain.pk}/")
    tree = page.get_by_test_id("chain-tree")
    expect(tree.locator("svg")).to_be_visible()
    tree.locator("text", has_text="薄板分段制造").first.click()
    panel = page.get_by_test_id("node-detail")
    expect(panel).to_contain_text("薄弱 · 强链")
    expect(panel).to_contain_text("甲船厂")
    panel.locator("select[name=enterprise]").select_option(label=newcomer.name)
    panel.locator("input[name=output]").fill("3")
    panel.get_by_role("button", name="加入").click()
    # Back on the chain page with the node's panel open again (?node=…).
    expect(page.get_by_test_id("node-detail")).to_contain_text("较强")
    expect(page.get_by_test_id("node-detail")).to_contain_text("乙分段公司")
