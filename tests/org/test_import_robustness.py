"""The import machinery when things go wrong or happen out of order: a failing run never sticks,
a confirm never writes what the preview did not show, reverts in any order, limits before reading."""

import pytest
from django.urls import reverse

from yuanqu.core.errors import ApplicationError
from yuanqu.core.imports import reading
from yuanqu.core.imports.services import import_apply, import_revert, run_import
from yuanqu.core.models import ChangeRecord, ImportBatch
from yuanqu.org import services
from yuanqu.org.models import OrgUnit

from ..core.spreadsheets import xlsx
from .import_helpers import UNIT_HEADER, preview, run
from .test_import_pages import login, upload

Status = ImportBatch.Status


def test_an_earlier_batch_can_be_reverted_once_a_later_one_was_reverted(users, units):
    admin = users["admin"]
    first = run(admin, "org.units", [UNIT_HEADER, ["新局", "", "局/办/中心", "管委会", "", ""]])
    second = run(admin, "org.units", [UNIT_HEADER, ["新局", "新", "局/办/中心", "管委会", "", ""]])
    with pytest.raises(ApplicationError, match="又被修改过"):
        import_revert(actor=admin, batch=first)
    import_revert(actor=admin, batch=second)
    assert OrgUnit.objects.get(name="新局").short_name == ""
    assert import_revert(actor=admin, batch=first).status == Status.REVERTED
    assert not OrgUnit.objects.filter(name="新局").exists()


def test_a_run_that_breaks_unexpectedly_ends_failed_and_keeps_its_task_id(users, units, monkeypatch):
    admin = users["admin"]
    batch = preview(admin, "org.units", [UNIT_HEADER, ["新局", "", "局/办/中心", "管委会", "", ""]])
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.QUEUED, task_id="task-42")

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("yuanqu.core.imports.base.Importer.plan", broken)
    with pytest.raises(RuntimeError):
        run_import(batch.pk, admin.pk)
    batch.refresh_from_db()
    assert batch.status == Status.FAILED and batch.task_id == "task-42"
    assert batch.errors == ["导入时发生内部错误：disk on fire"]
    assert not OrgUnit.objects.filter(name="新局").exists()


def test_confirming_after_the_data_changed_writes_nothing_the_preview_did_not_show(users, units):
    admin = users["admin"]
    batch = preview(admin, "org.units", [UNIT_HEADER, ["招商局", "招", "局/办/中心", "管委会", "", ""]])
    assert [c[0] for c in batch.preview["updates"][0]["changes"]] == ["简称"]
    # Meanwhile someone moves 招商局: applying now would also move it back, which nobody was shown.
    services.orgunit_update(actor=admin, unit=units["invest"], data={"parent": units["agri"].pk})
    before = ChangeRecord.objects.count()
    batch = import_apply(actor=admin, batch=batch)
    assert batch.status == Status.FAILED and "预览之后系统中的数据已有变化" in batch.errors[0]
    assert ChangeRecord.objects.count() == before
    assert OrgUnit.objects.get(pk=units["invest"].pk).short_name == ""
    assert [c[0] for c in batch.preview["updates"][0]["changes"]] == ["简称", "上级单位"]  # what it would do now


def test_a_repeated_header_names_the_row_the_header_is_on(users, units):
    rows = [[None] * 6, [None] * 6, [*UNIT_HEADER[:5], "单位名称"], ["新局", "", "局/办/中心", "", "", "x"]]
    batch = preview(users["admin"], "org.units", rows)
    assert batch.errors == ["第3行：列「单位名称」出现了两次（第1列和第6列）"]


def test_an_oversized_upload_is_refused_before_it_is_read(client, users, units, monkeypatch):
    login(client, users["admin"])
    monkeypatch.setattr(reading, "MAX_BYTES", 1000)
    read = []
    from django.core.files.utils import FileProxyMixin

    monkeypatch.setattr(FileProxyMixin, "read", property(lambda self: read.append(self.name) or self.file.read))
    response = upload(client, "org.units", xlsx([UNIT_HEADER, ["新局", "", "局/办/中心", "", "", ""]] * 50))
    assert response.status_code == 400 and "过大" in response.content.decode() and "10 MB" in response.content.decode()
    assert not ImportBatch.objects.exists() and read == []


def test_a_large_preview_lists_the_first_rows_and_the_rest_on_request(client, users, units, settings):
    login(client, users["admin"])
    rows = [UNIT_HEADER] + [[f"单位{i}", "", "村", "管委会", "", ""] for i in range(230)]
    batch = preview(users["admin"], "org.units", rows)
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "单位199" in page and "单位200" not in page and "另有 30 行未列出" in page
    full = client.get(reverse("imports:batch", args=[batch.pk]) + "?all=1").content.decode()
    assert "单位229" in full and "另有" not in full


def test_a_large_revert_runs_in_the_background_and_in_one_transaction(client, users, units, settings,
                                                                    django_capture_on_commit_callbacks):
    settings.YUANQU_IMPORT_INLINE_ROWS = 2
    admin = users["admin"]
    rows = [UNIT_HEADER] + [[f"单位{i}", "", "村", "管委会", "", ""] for i in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        batch = run(admin, "org.units", rows)
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.APPLIED
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    login(client, admin)
    client.post(reverse("imports:batch_revert", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == Status.REVERTING and batch.task_id
    assert OrgUnit.objects.filter(name__startswith="单位").count() == 5  # nothing undone yet
    status = client.get(reverse("imports:batch_status", args=[batch.pk]), headers={"HX-Request": "true"})
    assert "正在撤销" in status.content.decode() and "every 1s" in status.content.decode()
    from yuanqu.core.imports.services import run_revert

    run_revert(batch.pk, admin.pk)  # what the worker does
    batch.refresh_from_db()
    assert batch.status == Status.REVERTED and batch.revert_uuid
    assert not OrgUnit.objects.filter(name__startswith="单位").exists()


@pytest.mark.parametrize("key", ["org.units", "org.users"])
def test_the_templates_sample_row_left_in_is_named_not_imported(client, users, units, key):
    from ..core.spreadsheets import sheets

    login(client, users["admin"])
    template = client.get(reverse("imports:template", args=[key])).content
    header, sample = list(sheets(template).values())[0][:2]
    response = upload(client, key, xlsx([header, sample, ["" for _ in header]]))
    batch = ImportBatch.objects.get()
    assert response.url == reverse("imports:batch", args=[batch.pk])
    assert batch.errors == [f"第2行「{header[0]}」：这是模板中的示例行，请删除后再上传"]


def test_checking_reports_its_progress_at_most_every_half_second_and_always_at_the_end(users, units,
                                                                                    monkeypatch):
    """Each progress write rewrites the batch's row (its stored cells with it): not every 5% of a
    fast file, but as the page polls, and the end always."""
    from yuanqu.core.imports import base
    from yuanqu.core.imports.registry import get_importer

    table = reading.read_table("单位.xlsx", xlsx([UNIT_HEADER] + [[f"单位{i}", "", "村", "管委会", "", ""]
                                                                 for i in range(400)]))
    reported = []
    clock = iter([0.0, 0.2, 0.4, 0.6, 0.8])  # the start, then at each 100th row
    monkeypatch.setattr(base, "monotonic", lambda: next(clock))
    get_importer("org.units").plan(table, progress=reported.append)
    # At rows 100 and 200 too soon, at 300 (0.6 s) reported, at 400 too soon again: the end, once.
    assert reported == [300, 400]


def test_the_collector_is_paused_during_an_import_and_restored_after_however_they_overlap(users, units):
    import gc

    from yuanqu.core.imports.services import collector_paused

    seen = []
    with collector_paused():
        seen.append(gc.isenabled())
        with collector_paused():  # an inline apply inside a request's import, or a second thread's
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())
    assert seen == [False, False, False] and gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # whoever had switched it off keeps it off
    finally:
        gc.enable()
    run(users["admin"], "org.units", [UNIT_HEADER, ["暂停单位", "", "村", "管委会", "", ""]])
    assert gc.isenabled()
