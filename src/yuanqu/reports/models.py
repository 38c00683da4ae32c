from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.plans.models import Plan


def bulletin_path(instance: "Bulletin", filename: str) -> str:
    # ASCII names on disk (any file system, any backup tool); people get the Chinese name on download.
    return f"bulletins/plan{instance.plan_id}/{instance.month:%Y-%m}-v{instance.version}.docx"


class Bulletin(models.Model):
    """One generated 督查通报 (.docx). Generating a month again adds a version; files are never overwritten."""

    plan = models.ForeignKey(Plan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="bulletins")
    month = models.DateField(_("通报月份"), help_text=_("该月第一天"))
    version = models.PositiveIntegerField(_("版本"))
    file = models.FileField(_("文件"), upload_to=bulletin_path, max_length=200)
    summary = models.JSONField(_("统计摘要"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    # For the 督查室, leaders and administrators; units see none (no `units`, no hook).
    scope = Scope(read_all="reports.read_bulletins")

    class Meta:
        verbose_name = _("督查通报")
        verbose_name_plural = _("督查通报")
        ordering = ["-month", "-version", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "month", "version"], name="bulletin_version_unique",
                violation_error_message=_("该月通报的这一版本已存在，请刷新后重试"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month.year}年{self.month.month}月督查通报 第{self.version}版"

    @property
    def issue_label(self) -> str:
        return f"{self.month.year}年第{self.month.month}期"

    @property
    def download_name(self) -> str:
        return f"督查通报（{self.issue_label}）第{self.version}版.docx"
