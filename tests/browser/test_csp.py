"""In Chromium, under the Content-Security-Policy: the main pages of the demo zone run with no
violation (no inline script, no inline handler, no eval), htmx and ECharts included, and the
confirmations moved out of onsubmit= still ask."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from yuanqu.plans.models import Plan
from yuanqu.supervision.models import SupervisionItem

from ..browser_fixtures import login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "csp-test-2026"

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


INLINE = """() => [
  ...[...document.querySelectorAll("*")].flatMap(el => [...el.attributes]
      .filter(a => a.name.startsWith("on") || /^\\s*javascript:/i.test(a.value)).map(a => el.tagName + " " + a.name)),
  ...[...document.scripts].filter(s => !s.src && !/json/.test(s.type)).map(s => "inline script " + s.textContent.slice(0, 40)),
]"""


@pytest.fixture
def zone(monkeypatch, settings):
    settings.DEBUG = False
    monkeypatch.setenv("YUANQU_DEMO_PASSWORD", PASSWORD)
    call_command("demo", stdout=StringIO())
    return Plan.objects.get(is_demo=True)


@pytest.fixture
def watched(page):
    """The page, with every CSP violation it meets collected (events and console reports)."""
    page.add_init_script(WATCH)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.console_violations = console
    return page


def visit(page, url: str, ready: str | None = None) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy, url
    page.wait_for_load_state("networkidle")
    if ready:
        expect(page.locator(ready).first).to_be_visible()
    violations = page.evaluate("window.__csp") + page.console_violations
    assert not violations, (url, violations)
    # An inline handler is only refused once its event fires: look for any in the page itself.
    inline = page.evaluate(INLINE)
    assert not inline, (url, inline)


def test_the_main_pages_pass_the_content_security_policy(watched, zone, live_server):
    page = watched
    plan = zone
    target = plan.targets.alive().filter(lead_unit__name="招商局").order_by("pk").first()
    item = SupervisionItem.objects.order_by("pk").first()

    visit(page, "/login/")
    login(page, "supervisor", PASSWORD)
    visit(page, f"/plans/{plan.pk}/")
    visit(page, f"/targets/?plan={plan.pk}", "#target-table")
    # htmx: a filter change swaps the table in place (the request and the swap under the policy).
    page.locator("#target-filters select").first.select_option(index=1)
    page.wait_for_load_state("networkidle")
    assert not page.evaluate("window.__csp")
    visit(page, f"/targets/{target.pk}/")
    visit(page, "/plans/import/")
    visit(page, "/supervision/")
    visit(page, f"/supervision/{item.pk}/")
    visit(page, "/review/")

    # A confirmation moved from onsubmit= to data-confirm still asks, and "no" sends nothing.
    visit(page, f"/plans/{plan.pk}/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name=re.compile("关闭")).first.click()
    page.wait_for_load_state("networkidle")
    assert asked and "确定关闭" in asked[0]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE

    logout(page)
    login(page, "zsj", PASSWORD)
    visit(page, f"/targets/{target.pk}/report/", "#id_period")

    logout(page)
    login(page, "admin", PASSWORD)
    visit(page, "/imports/")

    logout(page)
    login(page, "leader", PASSWORD)
    visit(page, "/cockpit/", "[data-testid=chart-sections] svg")


def test_the_watch_does_see_a_violation(watched, live_server):
    """The detector itself: an inline script injected into a page is refused and reported."""
    page = watched
    page.goto("/login/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                           document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is None
    assert any("script-src" in v for v in page.evaluate("window.__csp"))
