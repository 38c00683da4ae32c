"""On a phone-sized screen (375 px): a grid worker reports an event with a photo from the camera
input and the phone's position, sees it on their page, and a file that is not a picture is refused
with the field named. The page fits the screen and loads no framework."""

import pytest
from django.apps import apps

from yuanqu.grid import categories as shipped
from yuanqu.grid.models import GridEvent

from ..browser_fixtures import login
from ..factories import PASSWORD
from ..grid.conftest import JPEG, cats, grids, make_event, more_units, zone  # noqa: F401  (fixtures)


@pytest.fixture
def loaded(transactional_db):
    shipped.load(apps.get_model)  # a database flushed by an earlier transactional test


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True,
                                  has_touch=True, base_url=live_server.url, permissions=["geolocation"],
                                  geolocation={"latitude": 31.890512, "longitude": 121.176234})
    context.set_default_timeout(60_000)  # a loaded machine: the bound is the test's own, not the page's
    page = context.new_page()
    yield page
    context.close()


def test_a_grid_worker_reports_an_event_with_a_photo_on_a_phone(loaded, phone, zone, grids, cats, clock):  # noqa: F811
    page = phone
    login(page, "worker1", PASSWORD)
    scripts = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto("/grid/m/")
    page.click("[data-testid=report-link]")
    page.wait_for_url("**/grid/m/report/", wait_until="load")  # the click does not wait for its scripts
    assert [u.rsplit("/", 1)[-1] for u in scripts] == ["geo.js"]  # no framework on the phone pages
    # A file that is not a picture: refused, the field named, nothing written.
    page.set_input_files("input[name=photos]", files=[{"name": "说明.jpg", "mimeType": "image/jpeg",
                                                        "buffer": b"not a picture at all"}])
    page.select_option("select[name=category]", str(cats["road"].pk))
    page.fill("textarea[name=description]", "路面塌陷约两平方米")
    page.click("button[type=submit]")
    error = page.locator("[data-testid=error]")
    assert "“说明.jpg”不是图片" in error.inner_text() and error.get_attribute("data-field") == "photos"
    assert not GridEvent.objects.exists()
    # What was typed is kept; take the photo again and use the phone's position.
    assert page.input_value("textarea[name=description]") == "路面塌陷约两平方米"
    page.set_input_files("input[name=photos]", files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": JPEG}])
    page.click("[data-geolocate]")
    page.wait_for_function("document.querySelector('#r-lat').value !== ''")
    assert page.input_value("#r-lat") == "31.890512"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the screen
    page.screenshot(path="/tmp/grid_phone_report.png", full_page=True)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=state]")
    event = GridEvent.objects.get()
    assert page.inner_text("[data-testid=state]") == "待受理" and event.number in page.inner_text("h1")
    assert event.photos.count() == 1 and str(event.latitude) == "31.890512"
    assert page.locator("[data-testid=photos] img").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto("/grid/m/")
    assert "路面塌陷" in page.inner_text("[data-testid=reported]")
    page.screenshot(path="/tmp/grid_phone_home.png", full_page=True)
