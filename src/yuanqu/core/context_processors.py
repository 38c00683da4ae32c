from . import kept_forms
from .menus import Menu
from .notifications import unread_count


def navigation(request):
    """What the top bar needs: the menu (core.menus, computed when rendered), roles, home unit and
    unread notices (one query each, whatever the page)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {
        "kept_form": kept_forms.take(request),
        "nav_menu": Menu(request),
        "nav_role": user.role_display(),
        "nav_unit": user.unit.name if user.unit_id else "",
        "nav_unread": unread_count(user),
    }
