import functools
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router
from django.db.backends.base.operations import BaseDatabaseOperations
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


class ListedItem(models.Model):
    """A row of a short list the administrator keeps in the admin site (an enterprise tag, a figure
    source, a land use)."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class DecidedRequest(models.Model):
    """Something asked for and then decided (a target adjustment, a deadline extension): who asked
    and when, who decided, when and with what comment. The register adds what is asked, its status
    choices and its Meta."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_comment = models.TextField(_("审批意见"), blank=True)

    class Meta:
        abstract = True


def raised_to_supervision() -> models.ForeignKey:
    """The 督办单 a record was raised to (提请督办): set once by core.commonsteps' raise step, never
    typed (disputes, visits, grid and inspections). A field, not a base: it keeps its place among
    the register's own fields, and with it the order of their history."""
    return models.ForeignKey("supervision.SupervisionItem", verbose_name=_("督办单"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+", editable=False)


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


class Job(models.Model):
    """A long piece of work the background worker does for one person (a large plan's bulletin …),
    followed on a progress page (core.jobs). `kind` is the dotted path of the function that does it
    (written by code only); the record it makes is its own app's, the job keeps where it stands:
    the current step, then where to go (`result_url`, with `message`) or why it failed (`error`).
    Until it is done `result_url` is the page to go back to."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=100)
    title = models.CharField(_("名称"), max_length=200)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.CASCADE, related_name="+",
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(_("当前步骤"), max_length=200, blank=True)
    done = models.PositiveSmallIntegerField(_("已完成步骤"), default=0)
    total = models.PositiveSmallIntegerField(_("步骤数"), default=1)
    result_url = models.CharField(_("结果地址"), max_length=300, blank=True)
    message = models.CharField(_("完成提示"), max_length=300, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    task_id = models.CharField(_("后台任务"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def is_working(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(100 * self.done / max(self.total, 1)))


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


# Field classes (exactly these, not subclasses) whose preparation for the database gives back a
# value of these types unchanged on every backend (Field.get_prep_value → to_python returns it):
# insert_many passes such values as they are. Any other class or type (a date, a Decimal, JSON, a
# lazy translation, an enum member) goes through the field's get_db_prep_save, as bulk_create would.
_AS_IS: dict[type[models.Field], tuple[type, ...]] = {
    models.CharField: (str,), models.TextField: (str,), models.BooleanField: (bool,),
}
# Text fields take any str as it is (to_python returns it): a choice's enum member (Stage.INFO) too.
_TEXT = (models.CharField, models.TextField)
# Integers are handed to the backend's adapter (psycopg wraps them by column size; SQLite takes them).
_INTEGERS = (models.IntegerField, models.SmallIntegerField, models.BigIntegerField, models.PositiveIntegerField,
             models.PositiveSmallIntegerField, models.PositiveBigIntegerField)
_AUTO = (models.AutoField, models.SmallAutoField, models.BigAutoField)


def _preparer(field: models.Field, connection):
    """(exact value types taken without Django's preparation, `adapt(ops, value)` applied to them
    or None) for one field; ((), None) when every value goes through get_db_prep_save."""
    kind = type(field)
    if kind in _AS_IS:
        return _AS_IS[kind], None
    if kind in _INTEGERS:
        if type(connection.ops).adapt_integerfield_value is BaseDatabaseOperations.adapt_integerfield_value:
            return (int,), None
        internal = field.get_internal_type()
        return (int,), lambda ops, value: ops.adapt_integerfield_value(value, internal)
    if kind in _AUTO:
        if type(connection.ops).validate_autopk_value is BaseDatabaseOperations.validate_autopk_value:
            return (int,), None
        return (int,), lambda ops, value: ops.validate_autopk_value(value)
    if kind in (models.ForeignKey, models.OneToOneField):
        return _preparer(field.target_field, connection)  # None is None, an id as its target's
    return (), None


@functools.cache
def _insert_plan(model: type[models.Model], alias: str) -> tuple[list, list, list, list]:
    """The inserted fields of a model and, per field, how insert_many reads and prepares its value:
    computed once per model and database."""
    connection = connections[alias]
    fields = [f for f in model._meta.concrete_fields
              if not (f.primary_key and isinstance(f, models.AutoField)) and not f.generated]
    steps = []
    for f in fields:
        as_is, adapt = _preparer(f, connection)
        # Field.pre_save reads the attribute; DateField's fills auto_now(_add).
        steps.append((f, f.attname, type(f).pre_save is models.Field.pre_save, as_is, adapt, type(f) in _TEXT))
    # Foreign keys (and generic ones) whose cached object insert_many checks as save() would.
    relations = [(f, f.attname, f.target_field.attname) for f in fields if f.is_relation]
    generic = [f for f in model._meta.private_fields if f.is_relation and hasattr(f, "fk_field")]
    return fields, steps, relations, generic


def _prepare_related(obj: models.Model, relations: list, generic: list) -> None:
    """Model._prepare_related_fields_for_save(operation_name="insert_many") without its walk over
    every field in the common case: each related object the instance holds is saved, and a key
    left empty when it was set takes its id now. Anything else (an unsaved object, a key that no
    longer matches its object) goes through Django's own method, with its error or its fix."""
    for field, attname, target in relations:
        if not field.is_cached(obj):
            continue
        related = field.get_cached_value(obj)
        if not related:
            continue
        if not related._is_pk_set():
            break
        value = getattr(obj, attname)
        if value in field.empty_values:
            setattr(obj, field.name, related)  # saved since it was set: its id now (as Django does)
            value = getattr(obj, attname)
        if getattr(related, target) != value:
            break
    else:
        if not any(f.is_cached(obj) and f.get_cached_value(obj) is not None for f in generic):
            return
    obj._prepare_related_fields_for_save(operation_name="insert_many")


def _values(objs: list[models.Model], steps: list, connection) -> list[list]:
    """Each object's values as bulk_create's compiler prepares them (pre_save, get_db_prep_save),
    with the values `_preparer` vouches for passed as they are."""
    rows, ops = [], connection.ops
    for obj in objs:
        row = []
        for field, attname, plain, as_is, adapt, text in steps:
            value = getattr(obj, attname) if plain else field.pre_save(obj, True)
            if value is None and as_is:
                row.append(None)
            elif type(value) in as_is:
                row.append(value if adapt is None else adapt(ops, value))
            elif text and isinstance(value, str):
                row.append(value)
            else:
                row.append(field.get_db_prep_save(value, connection))
        rows.append(row)
    return rows


def insert_many(objs: Iterable[models.Model], *, ids: bool = False, batch_size: int = 500) -> int:
    """Insert unsaved instances of one model, the values prepared as bulk_create prepares them but
    without its per-value compiler (at 10,000 rows that was most of an import); auto_now(_add)
    fields are filled as save() would; a pre_save signal is not sent (as bulk_create).

    By default one executemany, the ids not read back: for rows nothing refers to in the same
    transaction (timeline events, change records, figures). `ids=True` reads them back as
    bulk_create does (multi-row INSERT … RETURNING, `batch_size` rows or the backend's limit a
    statement) and marks the objects saved, for rows other rows then refer to; a model or backend
    that path does not cover (a primary key already set, inherited tables, columns the database
    fills, no RETURNING) goes through bulk_create itself."""
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    opts = model._meta
    if ids and (opts.parents or opts.db_returning_fields != [opts.pk] or any(o.pk is not None for o in objs)
                or any(f.has_db_default() for f in opts.concrete_fields)
                or not connection.features.can_return_rows_from_bulk_insert):
        model._base_manager.using(alias).bulk_create(objs, batch_size=batch_size)
        return len(objs)
    fields, steps, relations, generic = _insert_plan(model, alias)
    for obj in objs:  # a related object saved since it was set gives its id (as bulk_create does)
        _prepare_related(obj, relations, generic)
    rows = _values(objs, steps, connection)
    quote = connection.ops.quote_name
    into = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
    row_sql = ["%s"] * len(fields)
    with connection.cursor() as cursor:
        if not ids:
            cursor.executemany(f"{into}VALUES ({', '.join(row_sql)})", rows)
            return len(objs)
        size = max(1, min(batch_size, connection.ops.bulk_batch_size(fields, objs)))
        returning, returning_params = connection.ops.return_insert_columns([opts.pk])
        for start in range(0, len(objs), size):
            batch = rows[start:start + size]
            sql = f"{into}{connection.ops.bulk_insert_sql(fields, [row_sql] * len(batch))} {returning}"
            cursor.execute(sql, [value for row in batch for value in row] + list(returning_params))
            returned = connection.ops.fetch_returned_insert_rows(cursor)
            if len(returned) != len(batch):
                raise RuntimeError(f"insert_many: {len(batch)} rows inserted, {len(returned)} ids returned")
            for obj, (pk,) in zip(objs[start:start + size], returned, strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = alias
    return len(objs)
