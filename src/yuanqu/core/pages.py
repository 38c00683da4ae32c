"""Small pieces every app's views share."""

from django.core.exceptions import PermissionDenied


def require_manager(user, message: str = "只有督查室或系统管理员可以访问此页面。") -> None:
    """Pages and actions for the supervision office and administrators only (403 otherwise)."""
    if not user.manages_plans:
        raise PermissionDenied(message)


def is_partial(request) -> bool:
    """An htmx request for a fragment (a history restore after a cache miss needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request
