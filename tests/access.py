"""What the registers' access tests share: the rows a page or an export shows, the export's cells,
a page's query count, the pages a role opens, and a register's paths in the API's schema."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook


def signed_in(client, user):
    """The test client, signed in as `user`."""
    client.force_login(user)
    return client


def seen(text: str, names, mark: str = " ") -> set[str]:
    """The rows, among `names`, that a page or a sheet shows: each row's text starts with its name
    and then `mark` ("H1 消防通道堵塞")."""
    return {n for n in names if f"{n}{mark}" in text}


def sheet_rows(response) -> list[list]:
    """The first sheet of an .xlsx answer, row by row."""
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def sheet_text(response) -> str:
    """Every cell of the first sheet of an .xlsx answer, as one text."""
    return " ".join(str(c) for row in sheet_rows(response) for c in row)


def assert_export_filtered(client, url: str, *, kept: str, dropped: str, caption: str) -> None:
    """A filtered list's .xlsx export writes the row `kept` and not the row `dropped` (each named by its
    first cell), and a line naming the filter (`caption`, "状态：已供")."""
    rows = sheet_rows(client.get(url))
    first = {row[0] for row in rows}
    assert kept in first and dropped not in first, url
    assert any(caption in str(row[0]) for row in rows), url


def queries(client, url) -> int:
    """How many queries one page or endpoint costs (it must answer 200)."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx)


def assert_queries_flat(client, url, add) -> None:
    """A page or endpoint costs as many queries with many rows as with a few: `add(n)` makes n
    more rows (3, then 9 more)."""
    add(3)
    few = queries(client, url)
    add(9)
    assert queries(client, url) == few, url


def assert_pages_open(client, urls, *, denied: bool) -> None:
    """Each page opens (200), or each is a 403 for a user who may read none of them."""
    for url in urls:
        assert client.get(url).status_code == (403 if denied else 200), url


def schema_paths(tmp_path, prefix: str) -> dict[str, set[str]]:
    """The schema's paths under `prefix` with their operations; generating it fails on any warning."""
    import yaml

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))  # raises on a warning
    paths = yaml.safe_load(out.read_text(encoding="utf-8"))["paths"]
    return {path: set(ops) - {"parameters"} for path, ops in paths.items() if path.startswith(prefix)}


def assert_list_and_export_show(client, page: str, export: str, names, expected, mark: str = " ") -> None:
    """The list page and its .xlsx export show exactly the rows `expected` among `names`."""
    assert seen(client.get(page).content.decode(), names, mark) == expected, page
    assert seen(sheet_text(client.get(export)), names, mark) == expected, export


def assert_register_shows(client, *, page: str, export: str, api: str, field: str, names, expected,
                          denied: bool) -> None:
    """A role's list page and its .xlsx export (unless `denied`: the role reads none of the
    register) and its API list show exactly the rows `expected` among `names`; an API row is named
    by the first word of its `field` ("H1 消防通道堵塞")."""
    if not denied:
        assert_list_and_export_show(client, page, export, names, expected)
    rows = client.get(api).json()["results"]
    assert {r[field].split()[0] for r in rows} == expected, api


def assert_each_in_scope(client, records: dict, readable, urls, *, denied: bool) -> None:
    """Each record's endpoint and pages (`urls(pk)`: the API's first) answer 200 when it is readable,
    404 out of scope; the pages are a 403 for a user who may read none of the register."""
    for name, record in records.items():
        expected = 200 if name in readable else 404
        api, *pages = urls(record.pk)
        assert client.get(api).status_code == expected, api
        for url in pages:
            assert client.get(url).status_code == (403 if denied else expected), url
