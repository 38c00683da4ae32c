"""In the browser: the assigned unit takes a request from 待受理 to 答复 with the page's buttons, the
cadre records the enterprise's evaluation, and a refused step shows its Chinese message."""

import pytest
from django.apps import apps

from yuanqu.visits import categories as shipped
from yuanqu.visits.models import EnterpriseRequest

from ..browser_fixtures import login, logout
from ..factories import PASSWORD


@pytest.fixture
def loaded(transactional_db):
    shipped.load(apps.get_model)  # a database flushed by an earlier transactional test


def test_a_request_is_handled_and_evaluated_with_the_pages_buttons(loaded, page, zone, make_request, clock):
    request = make_request()
    login(page, "invest1", PASSWORD)
    page.goto(f"/visits/requests/{request.pk}/")
    page.click("[data-testid=step-accept] button")
    page.click("[data-testid=step-handle] button")
    page.fill("[data-testid=step-reply] input[name=comment]", "已组织专场招聘会")
    page.click("[data-testid=step-reply] button")
    assert page.inner_text("[data-testid=state]") == "已答复"
    assert "答复：已组织专场招聘会" in page.inner_text("[data-testid=timeline]")
    logout(page)
    login(page, "visitor1", PASSWORD)
    page.goto(f"/visits/requests/{request.pk}/")
    page.click("[data-testid=step-return] button")  # no reason given
    assert page.inner_text("[data-testid=error]") == "退回时请填写退回理由。"
    page.select_option("[data-testid=step-evaluate] select[name=satisfaction]", "4")
    page.click("[data-testid=step-evaluate] button")
    assert page.inner_text("[data-testid=state]") == "已评价"
    assert EnterpriseRequest.objects.get(pk=request.pk).satisfaction == 4
    page.screenshot(path="/tmp/visits_request.png", full_page=True)
