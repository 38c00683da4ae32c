"""In the browser: the 督办单 list's export button takes the filters chosen through htmx (no reload)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from yuanqu.core import clock
from yuanqu.supervision.models import State

from ...browser_fixtures import login
from ...factories import PASSWORD
from .conftest import column, read_book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_export_button_reads_the_filters_chosen_after_the_page_loaded(page, make_item, users):
    make_item(State.CLOSED, title="已经办结的事项")
    make_item(State.IN_PROGRESS, title="仍在办理的事项", deadline=clock.today() + dt.timedelta(days=5))
    login(page, users["supervisor"].username, PASSWORD)
    page.goto("/supervision/")
    table = page.locator("#item-table")
    expect(table).to_contain_text("仍在办理的事项")
    page.select_option("#f-state", "closed")  # htmx swaps the table; the page URL is pushed, not reloaded
    expect(table).not_to_contain_text("仍在办理的事项")
    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    download = info.value
    assert download.suggested_filename.startswith("督办单-") and download.suggested_filename.endswith(".xlsx")
    rows = next(iter(read_book(open(download.path(), "rb").read()).values()))
    assert column(rows, "标题") == ["已经办结的事项"]
    assert "状态：已办结" in rows[0][0]
