"""One error type for every rule a service enforces; pages, API and commands translate it."""


class ApplicationError(Exception):
    """A rule was broken; `message` is shown to the user as is (Chinese), `field` names the input."""

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    pass


class ConflictError(ApplicationError):
    """The record changed since the user loaded it (optimistic lock)."""


# A write waiting longer than SQLite's busy timeout for another writer (a long import) fails with
# "database is locked": it is a temporary state, answered 503 with a retry hint, never a 500.
BUSY_MESSAGE = "系统正忙（其他用户正在写入大量数据，如导入），本次操作未保存，请稍后重试。"
BUSY_RETRY_AFTER = 10


def is_database_busy(exc: BaseException) -> bool:
    from django.db import OperationalError

    text = str(exc).lower()
    return isinstance(exc, OperationalError) and ("database is locked" in text or "database table is locked" in text)
