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
