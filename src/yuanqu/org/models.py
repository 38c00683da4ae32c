from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import TimeStampedModel, VersionedModel


class OrgUnitQuerySet(models.QuerySet):
    def subtree_ids(self, root_id: int | None) -> set[int]:
        """The unit and every unit under it. One query: the tree is small (tens of units)."""
        if root_id is None:
            return set()
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in self.model.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, stack = set(), [root_id]
        while stack:
            pk = stack.pop()
            if pk in found:
                continue
            found.add(pk)
            stack.extend(children.get(pk, []))
        return found


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

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """A person. Belongs to one unit; one role decides what they may see and do."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("系统管理员")
        SUPERVISOR = "supervisor", _("督查室")
        LEADER = "leader", _("领导")
        REPORTER = "reporter", _("单位填报员")

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.REPORTER)
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

    # Role predicates: the only place that maps roles to abilities.
    @property
    def reads_all(self) -> bool:
        return self.is_superuser or self.role in {self.Role.ADMIN, self.Role.SUPERVISOR, self.Role.LEADER}

    @property
    def is_supervisor(self) -> bool:
        return self.role == self.Role.SUPERVISOR

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def manages_plans(self) -> bool:
        """Who edits the plan's structure and reviews reports."""
        return self.is_supervisor or self.is_admin

    @property
    def is_reporter(self) -> bool:
        return self.role == self.Role.REPORTER and self.unit_id is not None

    # The administrator role holds every Django permission (the admin site); is_staff still gates entry.
    def has_perm(self, perm, obj=None) -> bool:
        return (self.is_active and self.role == self.Role.ADMIN) or super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        return (self.is_active and self.role == self.Role.ADMIN) or super().has_module_perms(app_label)

    def unit_scope_ids(self) -> set[int]:
        """The units whose records a reporter sees: their own and those under it."""
        if not hasattr(self, "_unit_scope_ids"):
            self._unit_scope_ids = OrgUnit.objects.subtree_ids(self.unit_id)
        return self._unit_scope_ids
