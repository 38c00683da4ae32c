from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.plans.models import Plan


def bulletin_path(instance: "Bulletin", filename: str) -> str:
    # ASCII names on disk (any file system, any backup tool); people get the Chinese name on download.
    return f"bulletins/plan{instance.plan_id}/{instance.month:%Y-%m}-v{instance.version}.docx"


class Bulletin(models.Model):
    """One version of a month's 督查通报. Generating makes a draft: its figures are frozen in `data`
    as of generation, and the 督查室 edits its wording (总体情况, 下步工作要求, 发文机关, 主送, 抄送,
    签发人) until it issues it. Issuing writes the .docx once; an issued version is never changed,
    and generating the month again adds a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ISSUED = "issued", _("已印发")

    plan = models.ForeignKey(Plan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="bulletins")
    month = models.DateField(_("通报月份"), help_text=_("该月第一天"))
    version = models.PositiveIntegerField(_("版本"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    file = models.FileField(_("文件"), upload_to=bulletin_path, max_length=200, blank=True,
                            help_text=_("印发时生成；草稿下载时按当前文字即时生成"))
    summary = models.JSONField(_("统计摘要"), default=dict)
    data = models.JSONField(_("通报数据"), default=dict, help_text=_("生成时冻结的各项数字和表格"))
    issuer = models.CharField(_("发文机关"), max_length=100, default="")
    main_to = models.CharField(_("主送"), max_length=300, blank=True)
    cc = models.CharField(_("抄送"), max_length=300, blank=True)
    signer = models.CharField(_("签发人"), max_length=50, blank=True)
    overview = models.TextField(_("总体情况"), default="")
    requirements = models.TextField(_("下步工作要求"), default="")
    revision = models.PositiveIntegerField(_("修改次数"), default=0)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("印发人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
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
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def download_name(self) -> str:
        draft = "（草稿）" if self.is_draft else ""
        return f"督查通报（{self.issue_label}）第{self.version}版{draft}.docx"
