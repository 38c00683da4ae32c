"""Fixtures for the export tests: the supervision, assessment and reports builders, reused as they
are, and helpers to download an export and read it back with python-calamine."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from ...assessment.conftest import compute, on, scheme  # noqa: F401 (fixtures)
from ...reports.conftest import june_plan  # noqa: F401 (fixture)
from ...supervision.conftest import make_item  # noqa: F401 (fixture)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pytest_collection_modifyitems(items):
    # WhiteNoise warns about the (uncollected) STATIC_ROOT on every test client.
    for item in items:
        if "tests/exports/" in str(item.fspath):
            item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))


def read_book(content: bytes) -> dict[str, list[list]]:
    """{sheet name: rows}; row 0 is the note line, row 1 the headers."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def download(client, url, params=None) -> dict[str, list[list]]:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment; ")
    # The target list streams (a temporary file); the other exports are whole responses.
    return read_book(b"".join(response.streaming_content) if response.streaming else response.content)


def first_sheet(client, url, params=None) -> list[list]:
    return next(iter(download(client, url, params).values()))


def column(rows: list[list], header: str) -> list:
    index = rows[1].index(header)
    return [r[index] for r in rows[2:]]


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)
