def navigation(request):
    """What the top bar needs: the user's role label and unit (no queries beyond the user)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"nav_role": user.get_role_display(), "nav_unit": user.unit.name if user.unit_id else ""}
