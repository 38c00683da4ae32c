"""Who holds an ability (notices, the issuing office): one query each."""

from django.db.models import QuerySet

from yuanqu.core.abilities import roles_holding

from .models import RoleAssignment, User


def assignments_holding(ability: str) -> QuerySet[RoleAssignment]:
    """The active users' assignments whose role holds the ability."""
    return RoleAssignment.objects.filter(role__in=roles_holding(ability), user__is_active=True)


def users_holding(ability: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, pk__in=assignments_holding(ability).values("user_id"))


def first_holder(ability: str, **filters) -> User | None:
    """The longest-standing active user holding the ability (demos pick their actors this way)."""
    return users_holding(ability).filter(**filters).order_by("pk").first()
