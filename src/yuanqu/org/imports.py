"""Spreadsheet import of the zone's units and people: the administrator's first day."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from yuanqu.core.abilities import ROLES, role_choices, role_label
from yuanqu.core.imports import (
    BoolColumn,
    EnumColumn,
    ForeignKeyColumn,
    Importer,
    IntColumn,
    NewRef,
    TextColumn,
    register,
)

from . import services
from .models import OrgUnit, OrgUnitAlias, User


def _unit_column(header: str, field: str, help: str, sample: str) -> ForeignKeyColumn:
    return ForeignKeyColumn(header, field, model=OrgUnit, lookup=("name", "short_name"), help=help, sample=sample)


class AliasesColumn(TextColumn):
    """Other names of the unit, separated by 、 or commas; a filled cell replaces the unit's aliases."""

    def parse(self, raw, ctx):
        text = super().parse(raw, ctx)
        return sorted(dict.fromkeys(n.strip() for n in re.split(r"[、,，;；]", text) if n.strip()))

    def current(self, obj):
        return sorted(a.name for a in obj.aliases.all())  # prefetched by `existing`

    def display(self, value):
        return "、".join(value) if value else "（空）"


@register
class UnitImporter(Importer):
    key = "org.units"
    title = "单位"
    model = OrgUnit
    natural_key = "name"
    columns = [
        TextColumn("单位名称", "name", required=True, max_length=100, help="全称，用于匹配已有单位", sample="招商局"),
        TextColumn("简称", "short_name", max_length=30, sample="招商"),
        EnumColumn("类型", "kind", choices=OrgUnit.Kind.choices, required=True, sample="局/办/中心"),
        _unit_column("上级单位", "parent", "已有单位或本表中单位的名称或简称；留空表示顶级", "管委会"),
        IntColumn("排序", "order", help="数字小的排在前面", sample=10),
        BoolColumn("启用", "is_active", sample="是"),
        AliasesColumn("别名", "alias_names", max_length=500,
                      help="计划中对该单位的其他写法，多个用顿号分隔；填写即替换原有别名，留空不改", sample="区招商局、投资促进局"),
    ]
    notes = ("上级单位可以是本表中靠后的行；不能形成循环（某单位的上级是它自己的下级）。"
             "别名用于导入计划时把原文中的单位名称对应到单位，不能与任何单位的名称相同。")

    def existing(self, keys):
        return {u.name: u for u in OrgUnit.objects.filter(name__in=keys).select_related("parent")
                .prefetch_related("aliases")}

    def create(self, *, actor, values):
        is_active = values.pop("is_active", True)
        aliases = values.pop("alias_names", None)
        unit = services.orgunit_create(actor=actor, **values)
        if not is_active:
            unit = services.orgunit_update(actor=actor, unit=unit, data={"is_active": False})
        if aliases:
            services.unit_aliases_set(actor=actor, unit=unit, names=aliases)
        return unit

    def update(self, *, actor, obj, values):
        aliases = values.pop("alias_names", None)
        unit = services.orgunit_update(actor=actor, unit=obj, data=values) if values else obj
        if aliases is not None:  # a revert puts back an empty list too
            services.unit_aliases_set(actor=actor, unit=unit, names=aliases)
        return unit

    def undo_create(self, *, actor, obj):
        services.unit_aliases_set(actor=actor, unit=obj, names=[])  # so that the unit itself can go
        services.orgunit_delete(actor=actor, unit=obj)

    def check_rows(self, plans, ctx):
        """A parent chain that comes back to the unit itself, once the file is applied."""
        node = {}  # a unit → its node id: existing pk or "new:<name>"
        parent_of: dict = {pk: parent for pk, parent in OrgUnit.objects.values_list("pk", "parent_id")}

        def ident(value):
            if value is None:
                return None
            return f"new:{value.key}" if isinstance(value, NewRef) else value.pk

        for plan in plans:
            node[plan.row] = plan.obj.pk if plan.obj is not None else f"new:{plan.key}"
            if "parent" in plan.values:
                parent_of[node[plan.row]] = ident(plan.values["parent"])
            elif plan.obj is None:
                parent_of[node[plan.row]] = None
        errors = self._alias_errors(plans)
        for plan in plans:
            if "parent" not in plan.values:
                continue
            start, seen, current = node[plan.row], set(), parent_of.get(node[plan.row])
            while current is not None and current not in seen:
                if current == start:
                    errors.append((plan, "parent", "上级单位不能是该单位本身或其下级单位（会形成循环）"))
                    break
                seen.add(current)
                current = parent_of.get(current)
        return errors


    def _alias_errors(self, plans):
        """Aliases that are a unit's name (stored or in the file), belong to another unit, or are
        given to two rows: two queries, whatever the number of rows."""
        names = set(OrgUnit.objects.values_list("name", flat=True)) | {p.key for p in plans}
        owner = dict(OrgUnitAlias.objects.values_list("name", "unit__name"))
        errors, seen = [], {}
        for plan in plans:
            for alias in plan.values.get("alias_names") or ():
                if alias in names:
                    errors.append((plan, "alias_names", f"别名“{alias}”是单位名称，不能作为别名"))
                elif owner.get(alias, plan.key) != plan.key:
                    errors.append((plan, "alias_names", f"别名“{alias}”已属于单位“{owner[alias]}”"))
                elif seen.setdefault(alias, plan.key) != plan.key:
                    errors.append((plan, "alias_names", f"别名“{alias}”在本表中也写给了“{seen[alias]}”"))
        return errors


class RoleColumn(EnumColumn):
    """The one role a user holds for their unit (the import gives each person one role). A user
    holding anything else — several roles, or a role for another unit — reads as different, so
    the row replaces those roles with the one it names."""

    def current(self, obj):
        held = list(obj.role_assignments.all())  # prefetched by `existing`
        if len(held) == 1:
            role = ROLES.get(held[0].role)
            home = obj.unit_id if role is not None and role.needs_unit else None
            if held[0].unit_id == home:
                return held[0].role
        return "；".join(sorted(a.describe() for a in held))

    def display(self, value):
        if value in ROLES:
            return role_label(value)
        return value or super().display(value)


@register
class UserImporter(Importer):
    key = "org.users"
    title = "用户"
    model = User
    natural_key = "username"
    columns = [
        TextColumn("登录名", "username", required=True, max_length=150, help="字母、数字、汉字或 @.+-_，用于匹配已有用户",
                   sample="zhangsan"),
        TextColumn("姓名", "full_name", max_length=50, sample="张三"),
        _unit_column("单位", "unit", "所属单位；单位填报员等单位角色必填，角色即为该单位的角色", "招商局"),
        RoleColumn("角色", "role", choices=role_choices, required=True, help="每人一个角色", sample="单位填报员"),
        TextColumn("电话", "phone", max_length=30, digits=True, sample="13800000000"),
        TextColumn("邮箱", "email", max_length=254, sample="zhangsan@example.com"),
        BoolColumn("启用", "is_active", help="否：账号停用，不能登录", sample="是"),
    ]
    notes = "新用户没有密码，不能登录：请系统管理员在管理后台为其设置初始密码。"

    def existing(self, keys):
        users = User.objects.filter(username__in=keys).select_related("unit").prefetch_related(
            "role_assignments__unit")
        return {u.username: u for u in users}

    def check_row(self, plan, ctx):
        errors = []
        try:
            User.username_validator(plan.key)
        except ValidationError:
            errors.append(("username", f"“{plan.key}”只能包含字母、数字、汉字和 @ . + - _"))
        if plan.values.get("email"):
            try:
                validate_email(plan.values["email"])
            except ValidationError:
                errors.append(("email", f"“{plan.values['email']}”不是有效的邮箱地址"))
        role = plan.values.get("role") or (self.column("role").current(plan.obj) if plan.obj else None)
        unit = plan.values["unit"] if "unit" in plan.values else getattr(plan.obj, "unit", None)
        if role in ROLES and ROLES[role].needs_unit and unit is None:
            errors.append(("unit", f"“{role_label(role)}”须填写单位"))
        return errors

    def create(self, *, actor, values):
        return services.user_create(actor=actor, password=None, **values)

    def update(self, *, actor, obj, values):
        return services.user_update(actor=actor, user=obj, data=values)

    def restore(self, *, actor, obj, before):
        data = dict(before)
        data.pop("roles", None)  # the readable copy; `_grants` holds the same as (code, unit id)
        if data.get("_grants") is not None:
            data["roles"] = [(code, unit_id) for code, unit_id in data.pop("_grants")]
        services.user_update(actor=actor, user=obj, data=data)

    def undo_create(self, *, actor, obj):
        # An account never used goes (a re-import creates it afresh); one that has history
        # (logins, reports, reviews) is disabled, not deleted.
        services.user_remove(actor=actor, user=obj)

