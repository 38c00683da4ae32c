"""The one rule for evidence files (report attachments, bonus evidence, import files aside), and the
one row that keeps such a file with its record."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError
from .scope import Scope, ScopedQuerySet

ATTACHMENT_TYPES = frozenset({
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".ofd", ".txt", ".csv",
    ".jpg", ".jpeg", ".png", ".gif", ".zip", ".rar", ".7z",
})
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_MAX_COUNT = 10


def check_attachment(file, *, field: str = "files", what: str = "附件") -> None:
    """One file: a document, sheet, picture or archive of at most 20 MB."""
    name = getattr(file, "name", "") or ""
    if Path(name).suffix.lower() not in ATTACHMENT_TYPES:
        allowed = "、".join(sorted(t.lstrip(".") for t in ATTACHMENT_TYPES))
        raise ApplicationError(f"{what}“{name}”的类型不支持，请上传文档、表格、图片或压缩包（{allowed}）。", field=field)
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ApplicationError(f"{what}“{name}”超过{ATTACHMENT_MAX_BYTES // (1024 * 1024)}MB。", field=field)


def check_attachments(files, *, field: str = "files", what: str = "附件") -> None:
    """Evidence files: at most 10, each passing check_attachment."""
    files = list(files)
    if len(files) > ATTACHMENT_MAX_COUNT:
        raise ApplicationError(f"{what}最多{ATTACHMENT_MAX_COUNT}个。", field=field)
    for file in files:
        check_attachment(file, field=field, what=what)


class Attachment(models.Model):
    """A file kept with a record (a stage's evidence, an event's photo): its name as uploaded, who
    uploaded it and when. The register adds the key to its record and the file field itself, with
    its own upload path (its migrations name that function), and its Meta with its ordering."""

    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @classmethod
    def of_stage(cls, stage: type[models.Model], fk: str, *, upload_to) -> type[Attachment]:
        """An abstract base for a stage's 佐证材料 (a pollution work's stage, a project's step): `fk`
        points at `stage` (deleted with it, its files under `evidence`), the file is kept at
        `upload_to` (the register's own function: its migrations name it), and whoever reads the
        stage reads its files. The register subclasses it; the Meta comes with it."""
        meta = {"abstract": True, "verbose_name": _("阶段佐证材料"), "verbose_name_plural": _("阶段佐证材料"),
                "ordering": ["id"]}
        attrs = {
            "__module__": cls.__module__,
            "Meta": type("Meta", (cls.Meta,), meta),
            fk: models.ForeignKey(stage, verbose_name=_("阶段"), on_delete=models.CASCADE, related_name="evidence"),
            "file": models.FileField(_("佐证材料"), upload_to=upload_to, max_length=300),
            "objects": ScopedQuerySet.as_manager(),
            "scope": Scope(via=fk),
        }
        return type(cls)(f"{stage.__name__}Evidence", (cls,), attrs)
