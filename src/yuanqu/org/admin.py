from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from yuanqu.core.history import history_for, record_change, snapshot
from yuanqu.core.models import ChangeRecord

from . import services
from .models import OrgUnit, User


class OrgUnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = services.UNIT_FIELDS

    def clean_parent(self):
        # The services refuse a loop too; checking here shows it on the form instead of failing the save.
        parent = self.cleaned_data.get("parent")
        if parent and self.instance.pk and parent.pk in OrgUnit.objects.subtree_ids(self.instance.pk):
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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "unit", "is_active"]
    list_filter = ["role", "unit", "is_active"]
    search_fields = ["username", "full_name"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("平台"), {"fields": ["full_name", "role", "unit", "phone"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("平台"), {"fields": ["full_name", "role", "unit"]}),
    ]

    def save_model(self, request, obj, form, change):
        # Role, unit and rights changes are logged like every other edit (never the password hash).
        before = snapshot(User.objects.get(pk=obj.pk), services.USER_FIELDS) if change else None
        super().save_model(request, obj, form, change)
        record_change(
            actor=request.user, obj=obj, action=ChangeRecord.Action.UPDATE if change else ChangeRecord.Action.CREATE,
            before=before, after=snapshot(obj, services.USER_FIELDS), note="管理后台",
        )

    def has_delete_permission(self, request, obj=None):
        # People leave by being deactivated: reports and history point at them.
        return False
