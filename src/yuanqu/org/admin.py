from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from yuanqu.core.history import history_for, record_change, snapshot
from yuanqu.core.models import ChangeRecord

from . import services
from .models import OrgUnit, RoleAssignment, User


class OrgUnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = services.UNIT_FIELDS

    def clean_parent(self):
        # The services refuse a loop too; checking here shows it on the form instead of failing the save.
        parent = self.cleaned_data.get("parent")
        if parent and self.instance.pk and parent.path.startswith(self.instance.path):
            raise forms.ValidationError("上级单位不能是该单位本身或其下级单位。")
        return parent


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    form = OrgUnitForm
    list_display = ["name", "short_name", "kind", "parent", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    fields = ["name", "short_name", "kind", "parent", "order", "is_active", "change_history"]
    readonly_fields = ["change_history"]

    def save_model(self, request, obj, form, change):
        # Through the services, so admin edits are versioned and logged like every other edit.
        data = {f: form.cleaned_data[f] for f in services.UNIT_FIELDS if f in form.cleaned_data}
        if change:
            saved = services.orgunit_update(actor=request.user, unit=OrgUnit.objects.get(pk=obj.pk), data=data)
        else:
            saved = services.orgunit_create(actor=request.user, **data)
        obj.pk, obj.version = saved.pk, saved.version

    def delete_model(self, request, obj):
        # Units are deactivated, never deleted: targets, reports and history point at them.
        services.orgunit_update(actor=request.user, unit=obj, data={"is_active": False})

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("修改记录"))
    def change_history(self, obj):
        if not obj.pk:
            return "—"
        rows = [
            (r.time.strftime("%Y-%m-%d %H:%M"), r.actor or "系统", r.get_action_display(),
             "；".join(f"{f}: {a} → {b}" for f, a, b in r.changes()))
            for r in history_for(obj)[:50]
        ]
        return format_html_join("\n", "<div>{} {} {} {}</div>", rows) if rows else "—"


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fields = ["role", "unit"]
    extra = 1
    verbose_name = _("角色")
    verbose_name_plural = _("角色（可担任多个，单位类角色须指定单位）")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "roles", "unit", "is_active"]
    list_filter = ["role_assignments__role", "unit", "is_active"]
    search_fields = ["username", "full_name"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("平台"), {"fields": ["full_name", "unit", "phone"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("平台"), {"fields": ["full_name", "unit"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit").prefetch_related("role_assignments__unit")

    @admin.display(description=_("角色"))
    def roles(self, obj):
        return "；".join(a.describe() for a in obj.role_assignments.all()) or "—"

    def save_model(self, request, obj, form, change):
        # Rights and roles are logged like every other edit (never the password hash): one record
        # per save, written once the inline assignments are saved too (save_related).
        form.logged_before = self._logged(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        after = self._logged(form.instance)
        if after != form.logged_before:
            record_change(
                actor=request.user, obj=form.instance, before=form.logged_before, after=after, note="管理后台",
                action=ChangeRecord.Action.UPDATE if change else ChangeRecord.Action.CREATE,
            )

    @staticmethod
    def _logged(user) -> dict:
        return {**snapshot(user, services.USER_FIELDS), "roles": services.assignment_snapshot(user)}

    def has_delete_permission(self, request, obj=None):
        # People leave by being deactivated: reports and history point at them.
        return False
