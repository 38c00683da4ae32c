"""The administrator's import pages: per register (template, upload, preview, confirm, progress,
result) and the history of batches with revert."""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from yuanqu.core.errors import ApplicationError
from yuanqu.core.models import ImportBatch
from yuanqu.core.pagination import Paginator

from . import services
from .reading import check_upload_size
from .registry import all_importers, get_importer
from .services import IMPORT_ABILITY
from .template import template_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 30


def admin_only(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.can(IMPORT_ABILITY):
            raise PermissionDenied("只有系统管理员可以导入数据。")
        return view(request, *args, **kwargs)

    return wrapped


def _allowed(request, importer) -> None:
    """An importer's pages: the administrators, and the holders of the importer's own ability."""
    if not services.may_import(request.user, importer):
        raise PermissionDenied("只有系统管理员或该类数据的管理部门可以导入数据。")


class UploadForm(forms.Form):
    file = forms.FileField(label="电子表格文件", help_text="支持 .xlsx、.xls、.csv（UTF-8 或 GB18030 编码），不超过 10 MB")


def _with_titles(batches):
    titles = {i.key: i.title for i in all_importers()}
    for batch in batches:
        batch.importer_title = titles.get(batch.importer, batch.importer)
    return batches


@admin_only
def index(request):
    batches = ImportBatch.objects.select_related("created_by", "reverted_by").defer("table", "preview", "errors")
    importer = request.GET.get("type")
    if importer:
        batches = batches.filter(importer=importer)
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_titles(page.object_list)
    return render(request, "core/imports/index.html", {
        "importers": all_importers(), "page": page, "selected": importer,
    })


@login_required
def importer_page(request, key: str):
    importer = get_importer(key)
    _allowed(request, importer)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload_size(upload.name, upload.size)  # before reading it into memory
            batch = services.import_preview(actor=request.user, importer_key=key, file_name=upload.name,
                                            data=upload.read())
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("imports:batch", pk=batch.pk)
    recent = _with_titles(list(ImportBatch.objects.filter(importer=key).select_related("created_by")
                               .defer("table", "preview", "errors")[:10]))
    return render(request, "core/imports/importer.html", {"importer": importer, "form": form, "recent": recent,
                                                          "may_list": request.user.can(IMPORT_ABILITY)},
                  status=400 if form.errors else 200)


@login_required
def template_download(request, key: str):
    importer = get_importer(key)
    _allowed(request, importer)
    response = HttpResponse(template_bytes(importer), content_type=XLSX_TYPE)
    filename = f"{importer.title}导入模板.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"template.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return response


PREVIEW_ROWS = 200


def _batch(pk: int) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.select_related("created_by", "reverted_by").defer("table"), pk=pk)


@login_required
def batch_detail(request, pk: int):
    batch = _batch(pk)
    importer = get_importer(batch.importer)
    _allowed(request, importer)
    # Thousands of preview rows make a page nobody reads and a browser that stalls: the first
    # PREVIEW_ROWS of each list, the rest on request.
    shown = None if request.GET.get("all") else PREVIEW_ROWS
    preview = batch.preview or {}
    lists = {key: preview.get(key, []) for key in ("creates", "updates")}
    return render(request, "core/imports/batch.html", {
        "batch": batch, "importer": importer,
        "creates": lists["creates"][:shown], "updates": lists["updates"][:shown],
        "hidden_rows": sum(len(rows) for rows in lists.values()) - sum(len(rows[:shown]) for rows in lists.values()),
        "may_list": request.user.can(IMPORT_ABILITY),
    })


@login_required
def batch_status(request, pk: int):
    """The progress fragment htmx polls; once the work is over the page reloads to show the result."""
    batch = get_object_or_404(ImportBatch.objects.only("pk", "importer", "status", "progress", "total_rows"), pk=pk)
    _allowed(request, get_importer(batch.importer))
    response = render(request, "core/imports/_status.html", {"batch": batch})
    if not batch.is_working and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def _batch_action(request, pk: int, action, outcome) -> HttpResponse:
    """Run `action` on the batch and say how it went (`outcome(batch)` → (level, text) or None
    while the worker still has it); back to the batch's page either way."""
    batch = _batch(pk)
    _allowed(request, get_importer(batch.importer))
    try:
        batch = action(actor=request.user, batch=batch)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        said = outcome(batch)
        if said:
            messages.add_message(request, *said)
    return redirect("imports:batch", pk=pk)


@login_required
@require_POST
def batch_apply(request, pk: int):
    def outcome(batch):
        if batch.status == ImportBatch.Status.APPLIED:
            return messages.SUCCESS, (f"导入完成：新增{batch.created_count}条，修改{batch.updated_count}条，"
                                      f"未变{batch.unchanged_count}条。")
        if batch.status == ImportBatch.Status.FAILED:
            return messages.ERROR, "导入失败，未写入任何数据，原因见下方。"
        return None

    return _batch_action(request, pk, services.import_apply, outcome)


@login_required
@require_POST
def batch_revert(request, pk: int):
    def outcome(batch):
        if batch.status == ImportBatch.Status.REVERTED:
            return messages.SUCCESS, "已撤销该批导入。"
        if batch.status == ImportBatch.Status.APPLIED and batch.errors:
            return messages.ERROR, batch.errors[0]
        return None

    return _batch_action(request, pk, services.import_revert, outcome)
