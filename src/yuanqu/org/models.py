import hashlib
from typing import NamedTuple

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ROLES, role_choices, role_label, roles_holding
from yuanqu.core.models import TimeStampedModel, VersionedModel
from yuanqu.core.trees import path_segment, save_with_path  # noqa: F401  (path_segment: re-exported)

from . import roles


class OrgUnitQuerySet(models.QuerySet):
    def subtree(self, *roots: "OrgUnit | str"):
        """The units under any of `roots` (units or their paths), the roots included. Lazy:
        usable as a subquery (`lead_unit__in=OrgUnit.objects.subtree(u).values("pk")`)."""
        paths = [r if isinstance(r, str) else r.path for r in roots]
        if not paths:
            return self.none()
        q = models.Q()
        for path in paths:
            q |= models.Q(path__startswith=path)
        return self.filter(q)


class OrgUnit(TimeStampedModel, VersionedModel):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("管委会")
        DEPARTMENT = "department", _("局/办/中心")
        COMPANY = "company", _("国有公司")
        AREA = "area", _("片区")
        VILLAGE = "village", _("村")
        COMMUNITY = "community", _("社区")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)
    # Materialised path: the ids of the ancestors and the unit itself ("000001.000007.000031."),
    # so that a subtree is one indexed `LIKE 'prefix%'` query. Maintained by `save()`.
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        save_with_path(self, lambda: super(OrgUnit, self).save(*args, **kwargs),
                       loop_message="上级单位不能是该单位本身或其下级单位。")

    @property
    def label(self) -> str:
        return self.short_name or self.name


class UnitScope:
    """The units a user holds something for: every unit, or the subtrees under some units.

    `q("lead_unit")` filters a queryset with a subquery (no extra round trip); `ids()` loads the
    unit ids once (one query) for membership tests in Python.
    """

    def __init__(self, *, everything: bool = False, paths: tuple[str, ...] = ()):
        self.everything = everything
        self.paths = tuple(sorted(set(paths)))
        self._ids: set[int] | None = None

    def __bool__(self) -> bool:
        return self.everything or bool(self.paths)

    def units(self):
        return OrgUnit.objects.all() if self.everything else OrgUnit.objects.subtree(*self.paths)

    def q(self, field: str) -> models.Q:
        if self.everything:
            return models.Q()
        if not self.paths:
            return models.Q(pk__in=[])
        return models.Q(**{f"{field}__in": self.units().values("pk")})

    def ids(self) -> set[int]:
        if self._ids is None:
            self._ids = set(self.units().values_list("pk", flat=True)) if self else set()
        return self._ids

    def __contains__(self, unit_id) -> bool:
        return unit_id is not None and (self.everything or unit_id in self.ids())


class Held(NamedTuple):
    """One role a user holds, as the ability checks read it."""

    role: str
    unit_id: int | None
    path: str | None
    unit_name: str | None


class User(AbstractUser):
    """A person. Belongs to a home unit (display); what they may see and do comes from their
    role assignments (`RoleAssignment`) and the abilities the apps give those roles."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    # One name field: Django's first/last name stay empty, its greetings use 姓名.
    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    # ---- abilities (see yuanqu.core.abilities). The assignments are loaded once per user object,
    # i.e. once per request: every check after the first costs no query.

    def assignments(self) -> list[Held]:
        """The user's role assignments; a superuser also holds the administrator role zone-wide."""
        cached = self.__dict__.get("_assignments")
        if cached is None:
            cached = []
            if self.pk is not None:
                rows = self.role_assignments.order_by("pk").values_list("role", "unit_id", "unit__path", "unit__name")
                cached = [Held(*row) for row in rows]
            if self.is_superuser:
                cached.append(Held(roles.ADMIN, None, None, None))
            self.__dict__["_assignments"] = cached
        return cached

    def assignments_key(self) -> str:
        """A short fingerprint of the user's role assignments, for a cache key of what they may see:
        a changed role or unit is another key."""
        return hashlib.sha256(repr(self.assignments()).encode()).hexdigest()[:16]

    def forget_assignments(self) -> None:
        """After assignments change (services call this on the instances they were given)."""
        for key in ("_assignments", "_units_for", "_scope_units"):
            self.__dict__.pop(key, None)

    def role_codes(self) -> set[str]:
        return {held.role for held in self.assignments()}

    def role_display(self) -> str:
        held = self.role_codes()
        return "、".join(str(r.label) for code, r in ROLES.items() if code in held)

    def unit_names(self) -> str:
        """The units the user holds roles for ("招商局、三南村"), else the home unit."""
        names = list(dict.fromkeys(h.unit_name for h in self.assignments() if h.unit_id))
        if not names and self.unit_id:
            names = [self.unit.name]
        return "、".join(names) or "（未设置单位）"

    def can(self, ability: str, unit: "OrgUnit | int | None" = None) -> bool:
        """Holds the ability through at least one role (for some unit or zone-wide); with `unit`,
        holds it for that unit (zone-wide, or the unit is under one of the assignments' units)."""
        if unit is not None:
            return getattr(unit, "pk", unit) in self.units_for(ability)
        holders = roles_holding(ability)
        return any(held.role in holders for held in self.assignments())

    def units_for(self, ability: str) -> UnitScope:
        """The units for which the user holds the ability: the subtrees under the units of the
        assignments whose role holds it; every unit when such an assignment has no unit."""
        cache = self.__dict__.setdefault("_units_for", {})
        if ability not in cache:
            holders = roles_holding(ability)
            held = [h for h in self.assignments() if h.role in holders]
            if any(h.unit_id is None for h in held):
                cache[ability] = UnitScope(everything=True)
            else:
                cache[ability] = UnitScope(paths=tuple(h.path for h in held))
        return cache[ability]

    def scope_units(self) -> UnitScope:
        """The units whose records the user reads as a member: the subtrees under the units of
        all their assignments (zone-wide readers are lifted by a `*.read_all` ability instead)."""
        cached = self.__dict__.get("_scope_units")
        if cached is None:
            cached = UnitScope(paths=tuple(h.path for h in self.assignments() if h.unit_id is not None))
            self.__dict__["_scope_units"] = cached
        return cached

    # Whoever may manage users holds every Django permission (the admin site); is_staff still gates entry.
    def has_perm(self, perm, obj=None) -> bool:
        return (self.is_active and self.can("org.manage_users")) or super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        return (self.is_active and self.can("org.manage_users")) or super().has_module_perms(app_label)


class RoleAssignment(TimeStampedModel):
    """A user holds a role, for a unit (a unit's reporter, 网格员) or zone-wide (督查室, 领导)."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=32, choices=role_choices)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        ordering = ["user", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"], name="role_assignment_unique",
                violation_error_message=_("该用户已在该单位担任此角色"),
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(unit__isnull=True), name="role_assignment_unique_zone",
                violation_error_message=_("该用户已担任此角色"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}：{self.describe()}"

    def describe(self) -> str:
        return role_label(self.role) + (f"（{self.unit}）" if self.unit_id else "")

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        message = unit_problem(self.role, self.unit_id)
        if message:
            raise ValidationError({"unit": message})


def unit_problem(role: str, unit_id: int | None) -> str:
    """Why a role cannot be held with (or without) this unit; "" when it can."""
    found = ROLES.get(role)
    if found is None:
        return ""
    if found.needs_unit and unit_id is None:
        return f"“{found.label}”须指定单位。"
    if not found.needs_unit and unit_id is not None:
        return f"“{found.label}”是全区角色，不指定单位。"
    return ""


class OrgUnitAlias(TimeStampedModel):
    """Another name a unit goes by in the plans offices send (区招商局, 投资促进局 for 招商局):
    maintained by the administrator, read when unit names are resolved on import."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("别名"), max_length=100, unique=True,
                            error_messages={"unique": _("该别名已属于其他单位")})

    class Meta:
        verbose_name = _("单位别名")
        verbose_name_plural = _("单位别名（计划中对该单位的其他写法）")
        ordering = ["unit", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        self.name = (self.name or "").strip()
        # A unit's own name already resolves to it; an alias equal to another unit's name would
        # make the name mean two units.
        clash = OrgUnit.objects.filter(name=self.name).first()
        if clash is not None:
            where = "本单位的名称" if clash.pk == self.unit_id else f"单位“{clash.name}”的名称"
            raise ValidationError({"name": f"“{self.name}”已是{where}，不能作为别名。"})
