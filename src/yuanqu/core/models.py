import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router
from django.utils.translation import gettext_lazy as _


class ChangeRecord(models.Model):
    """One row per edit of any register: who, when, what, before and after.

    Written explicitly by services (core.history.record_change), never by signals, so edits
    from commands, imports and jobs are logged exactly like edits from pages.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("新建")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        RESTORE = "restore", _("恢复")
        SUBMIT = "submit", _("提交")
        ACCEPT = "accept", _("审核通过")
        RETURN = "return", _("退回")
        ACTIVATE = "activate", _("启用")
        CLOSE = "close", _("关闭")
        IMPORT = "import", _("导入")

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    obj = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("对象"), max_length=300)
    before = models.JSONField(_("修改前"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("修改后"), null=True, blank=True, encoder=DjangoJSONEncoder)
    note = models.TextField(_("说明"), blank=True)
    batch = models.UUIDField(_("批次"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("修改记录")
        verbose_name_plural = _("修改记录")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-time"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field whose value differs."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AliveQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)


class SoftDeleteModel(models.Model):
    """Deleting keeps the row (and its history); lists show only the living."""

    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """`version` rises on every edit so a form submitted over a newer version is refused."""

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True


class Notification(models.Model):
    """An in-app notice to one person. `key` makes sending idempotent: one notice per (person, key)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类别"), max_length=30)
    key = models.CharField(_("去重键"), max_length=200)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]

    def __str__(self) -> str:
        return self.title


class CalendarYear(models.Model):
    """A year the administrator has entered in full (its holidays and make-up workdays below).

    The chinese_calendar package knows the State Council's days only up to its release; for a
    later year the administrator enters the notice's days and marks the year complete.
    """

    year = models.PositiveIntegerField(_("年度"), unique=True)
    complete = models.BooleanField(_("已完整维护"), default=False,
                                   help_text=_("勾选后，该年未列出的日期按周一至周五上班计算"))
    note = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如 国务院办公厅关于2027年部分节假日安排的通知"))

    class Meta:
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    """One day that differs from the Monday–Friday rule, or that corrects the package."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("上班"), help_text=_("法定节假日不勾选；调休补班日勾选"))
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("如 春节、国庆节调休"))

    class Meta:
        verbose_name = _("工作日历日期")
        verbose_name_plural = _("工作日历日期")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '休息'}"


class ImportBatch(models.Model):
    """One spreadsheet import: previewed, then applied (every change record carries `uuid`), maybe
    reverted. The parsed cells are kept so applying and the history need not keep the file."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("已预览")
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        APPLIED = "applied", _("已导入")
        REVERTING = "reverting", _("撤销中")
        REVERTED = "reverted", _("已撤销")
        FAILED = "failed", _("失败")

    uuid = models.UUIDField(_("批次号"), default=uuid.uuid4, unique=True, editable=False)
    importer = models.CharField(_("导入类型"), max_length=50)
    file_name = models.CharField(_("文件名"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reverted_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("修改"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变"), default=0)
    error_count = models.PositiveIntegerField(_("错误"), default=0)
    progress = models.PositiveIntegerField(_("已处理行数"), default=0)
    table = models.JSONField(_("表格内容"), default=dict, blank=True)
    preview = models.JSONField(_("预览"), default=dict, blank=True)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    task_id = models.CharField(_("后台任务"), max_length=64, blank=True)
    # The batch of the changes a revert made: a later revert of an earlier batch ignores them.
    revert_uuid = models.UUIDField(_("撤销批次号"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def is_working(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING, self.Status.REVERTING}

    @property
    def percent(self) -> int:
        """Checking the rows is the first half of the work, writing them the second."""
        if self.status in {self.Status.APPLIED, self.Status.REVERTED}:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(50 * self.progress / self.total_rows))


class IdempotentRequest(models.Model):
    """An API POST sent with an Idempotency-Key, kept 24 hours (core.idempotency): a client that
    retries after a lost connection gets this first answer back instead of a second write.
    `status` is null while the first request is still running."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("幂等键"), max_length=255)
    method = models.CharField(_("方法"), max_length=10)
    path = models.CharField(_("地址"), max_length=500)
    body_hash = models.CharField(_("请求体摘要"), max_length=64)
    status = models.PositiveSmallIntegerField(_("状态码"), null=True, blank=True)
    response = models.JSONField(_("响应"), null=True, blank=True)
    headers = models.JSONField(_("响应头"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("幂等请求")
        verbose_name_plural = _("幂等请求")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotent_user_key")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"


def insert_many(objs: Iterable[models.Model]) -> int:
    """Insert unsaved instances of one model with a single executemany, their ids not read back:
    for rows nothing refers to in the same transaction (timeline events, change records, figures).
    bulk_create compiles a statement per batch (about 90 rows on SQLite, its parameter limit) and
    prepares every value through the query compiler; at 10,000 rows that is most of an import.
    auto_now(_add) fields are filled as save() would; a pre_save signal is not sent (as bulk_create)."""
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    for obj in objs:  # a related object saved since it was set gives its id (as bulk_create does)
        obj._prepare_related_fields_for_save(operation_name="insert_many")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                                 for obj in objs])
    return len(objs)

