"""The import pages: administrators only, the template round trip, preview → apply → revert,
background work with a progress fragment, and a preview page with a constant query count."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yuanqu.core.models import ImportBatch
from yuanqu.org.models import OrgUnit, User

from ..core.spreadsheets import sheets, xlsx
from ..factories import PASSWORD
from .import_helpers import UNIT_HEADER, USER_HEADER, preview

Status = ImportBatch.Status


def login(client, user):
    if user is not None:
        client.login(username=user.username, password=PASSWORD)
    return client


def upload(client, key, data, name="导入.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("imports:importer", args=[key]), {"file": file})


@pytest.mark.parametrize("role, expected", [
    ("admin", 200), ("supervisor", 403), ("leader", 403), ("invest", 403), ("anonymous", 302)])
def test_access_matrix(client, users, units, role, expected):
    batch = preview(users["admin"], "org.units", [UNIT_HEADER, ["新局", "", "村", "", "", ""]])
    login(client, users.get(role))
    pages = [reverse("imports:index"), reverse("imports:importer", args=["org.units"]),
             reverse("imports:importer", args=["org.users"]), reverse("imports:template", args=["org.users"]),
             reverse("imports:batch", args=[batch.pk]), reverse("imports:batch_status", args=[batch.pk])]
    for url in pages:
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert response.url.startswith(reverse("login"))
    for name in ["imports:batch_apply", "imports:batch_revert"]:
        assert client.post(reverse(name, args=[batch.pk])).status_code in ({200, 302} if role == "admin" else {expected})
    assert upload(client, "org.units", xlsx([UNIT_HEADER, ["别局", "", "村", "", "", ""]])).status_code == (
        302 if role == "admin" else expected)
    if role != "admin":
        assert not OrgUnit.objects.filter(name__in=["新局", "别局"]).exists()
    home = client.get(reverse("plans:home"), follow=True)
    if role != "anonymous":
        assert (reverse("imports:index") in home.content.decode()) == (role == "admin")


@pytest.mark.parametrize("key, header", [("org.units", UNIT_HEADER), ("org.users", USER_HEADER)])
def test_the_template_describes_every_column_with_drop_downs(client, users, units, key, header):
    response = login(client, users["admin"]).get(reverse("imports:template", args=[key]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    book = sheets(response.content)
    data_sheet, notes = list(book.values())[0], book["填写说明"]
    assert data_sheet[0] == header and len(data_sheet) == 2  # header and one sample row
    assert [r[0] for r in notes[1:len(header) + 1]] == header
    role_or_kind = next(r for r in notes if r[0] in {"角色", "类型"})
    assert role_or_kind[2] == "必填" and "局/办/中心" in role_or_kind[3] or "单位填报员" in role_or_kind[3]
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    assert xml.count("<dataValidation ") == 2  # the choice column and 启用
    # The sample row is valid data: with a name of one's own it imports cleanly (left as it is,
    # it is named as the sample row — test_import_robustness).
    header_row, sample = data_sheet
    batch = preview(users["admin"], key, [header_row, ["新条目" if i == 0 else v for i, v in enumerate(sample)]])
    assert batch.errors == []


def test_template_round_trip_fill_upload_preview_apply_revert(client, users, units):
    login(client, users["admin"])
    header = list(sheets(client.get(reverse("imports:template", args=["org.users"])).content).values())[0][0]
    filled = [header, ["wangwu", "王五", "招商局", "单位填报员", "13900000000", "", "是"]]
    response = upload(client, "org.users", xlsx(filled), "人员.xlsx")
    batch = ImportBatch.objects.get()
    assert response.url == reverse("imports:batch", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "将新增" in page and "王五" in page and "确认导入" in page
    assert not User.objects.filter(username="wangwu").exists()
    client.post(reverse("imports:batch_apply", args=[batch.pk]))
    assert User.objects.get(username="wangwu").unit == units["invest"]
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "已导入" in page and "撤销本批导入" in page
    client.post(reverse("imports:batch_revert", args=[batch.pk]))
    assert not User.objects.filter(username="wangwu").exists()  # never used: taken back entirely
    history = client.get(reverse("imports:index")).content.decode()
    assert "人员.xlsx" in history and "已撤销" in history


def test_upload_refusals_are_shown_on_the_form(client, users, units):
    login(client, users["admin"])
    response = upload(client, "org.units", b"%PDF-1.4", "通知.pdf")
    assert response.status_code == 400 and "不是电子表格" in response.content.decode()
    response = upload(client, "org.units", xlsx([["名称"], ["新局"]]))
    page = client.get(response.url).content.decode()
    assert "缺少必填列「单位名称」" in page and "确认导入" not in page
    assert not ImportBatch.objects.exclude(error_count=0).filter(status=Status.APPLIED).exists()


def test_a_preview_with_errors_cannot_be_applied_from_the_page(client, users, units):
    login(client, users["admin"])
    batch = preview(users["admin"], "org.units", [UNIT_HEADER, ["新局", "", "村", "火星", "", ""]])
    response = client.post(reverse("imports:batch_apply", args=[batch.pk]), follow=True)
    assert "1处错误" in response.content.decode()
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.PREVIEWED
    assert not OrgUnit.objects.filter(name="新局").exists()


def _unit_rows(n, bad=False):
    rows = [UNIT_HEADER] + [[f"单位{i}", f"简{i}", "村", "管委会", i, "是"] for i in range(n)]
    if bad:
        rows += [[f"坏{i}", "", "村", "火星", "", ""] for i in range(n)]
    return rows


def test_the_preview_page_costs_the_same_queries_for_n_and_3n_rows(client, users, units):
    login(client, users["admin"])
    counts = []
    for n in (5, 15):
        batch = preview(users["admin"], "org.units", _unit_rows(n, bad=True))
        good = preview(users["admin"], "org.units", _unit_rows(n))
        for b in (batch, good):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("imports:batch", args=[b.pk])).status_code == 200
            counts.append(len(queries))
    assert counts[0] == counts[2] and counts[1] == counts[3]
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("imports:index"))
    first = len(queries)
    preview(users["admin"], "org.units", _unit_rows(2))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("imports:index"))
    assert len(queries) == first


def test_a_large_file_goes_to_the_background_worker(client, users, units, settings, django_capture_on_commit_callbacks):
    settings.YUANQU_IMPORT_INLINE_ROWS = 2
    login(client, users["admin"])
    batch = preview(users["admin"], "org.units", _unit_rows(5))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("imports:batch_apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == Status.QUEUED and not OrgUnit.objects.filter(name="单位0").exists()
    status = client.get(reverse("imports:batch_status", args=[batch.pk]), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in status.content.decode() and "排队" in status.content.decode()
    assert "HX-Refresh" not in status
    for callback in callbacks:  # the request's transaction commits: the task is enqueued and runs
        callback()
    batch.refresh_from_db()
    assert batch.status == Status.APPLIED and batch.task_id and batch.created_count == 5
    status = client.get(reverse("imports:batch_status", args=[batch.pk]), headers={"HX-Request": "true"})
    assert status["HX-Refresh"] == "true" and "every 1s" not in status.content.decode()


def test_the_database_queue_and_its_worker_run_an_import(client, users, units, settings, monkeypatch,
                                                        django_capture_on_commit_callbacks):
    # The worker closes "old" connections on waking, which inside the test's transaction means ours.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.YUANQU_IMPORT_INLINE_ROWS = 2
    login(client, users["admin"])
    batch = preview(users["admin"], "org.units", _unit_rows(5))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:batch_apply", args=[batch.pk]))
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.count() == 1
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.QUEUED
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.APPLIED
    assert OrgUnit.objects.filter(name__startswith="单位").count() == 5
