from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from yuanqu.core.errors import ApplicationError
from yuanqu.core.history import describe_changes, history_for, record_change
from yuanqu.core.models import ChangeRecord

from . import services
from .models import OrgUnit, OrgUnitAlias, RoleAssignment, User


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


class OrgUnitAliasInline(admin.TabularInline):
    model = OrgUnitAlias
    fields = ["name"]
    extra = 1
    verbose_name = _("别名")


# People's rights are their roles (RoleAssignment, on the user page); Django's groups of
# per-model permissions (named in English) are not used, so their page is not offered.
admin.site.unregister(Group)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    form = OrgUnitForm
    inlines = [OrgUnitAliasInline]
    list_display = ["name", "short_name", "kind", "parent", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "aliases__name"]
    fields = ["name", "short_name", "kind", "parent", "order", "is_active", "change_history"]
    readonly_fields = ["change_history"]

    def save_model(self, request, obj, form, change):
        # Through the services, so admin edits are versioned and logged like every other edit.
        data = {f: form.cleaned_data[f] for f in services.UNIT_FIELDS if f in form.cleaned_data}
        if change:
            saved = services.orgunit_update(actor=request.user, unit=OrgUnit.objects.get(pk=obj.pk), data=data)
        else:
            # A unit is created active; one added as inactive is then switched off (both logged).
            is_active = data.pop("is_active", True)
            saved = services.orgunit_create(actor=request.user, **data)
            if not is_active:
                saved = services.orgunit_update(actor=request.user, unit=saved, data={"is_active": False})
        obj.pk, obj.version = saved.pk, saved.version
        form.aliases_before = services.alias_names(obj) if change else []

    def save_related(self, request, form, formsets, change):
        # The inline's aliases are logged on the unit like the services log theirs (one record per save).
        super().save_related(request, form, formsets, change)
        services.record_alias_change(actor=request.user, unit=form.instance, before=form.aliases_before,
                                     note="管理后台")

    def delete_model(self, request, obj):
        # Units are deactivated, never deleted: targets, reports and history point at them.
        services.orgunit_update(actor=request.user, unit=obj, data={"is_active": False})

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("修改记录"))
    def change_history(self, obj):
        if not obj.pk:
            return "—"
        # Field labels and values as people read them (core.history.describe_changes), not column names.
        rows = [
            (r["record"].time.strftime("%Y-%m-%d %H:%M"), r["record"].actor or "系统",
             r["record"].get_action_display(),
             "；".join(f"{c['label']}：{c['before']} → {c['after']}" for c in r["changes"]))
            for r in describe_changes(history_for(obj)[:50], OrgUnit)
        ]
        return format_html_join("\n", "<div>{} {} {} {}</div>", rows) if rows else "—"


class RoleAssignmentFormSet(forms.BaseInlineFormSet):
    """The roles as the form leaves them, checked by the services before anything is saved: the
    admin site must not take the last administrator's rights, nor an administrator's own."""

    def grants(self) -> list[tuple[str, OrgUnit | None]]:
        kept = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("role") or data.get("DELETE"):
                continue
            kept.append((data["role"], data.get("unit")))
        return kept

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        held = [(a.role, a.unit) for a in RoleAssignment.objects.filter(user=self.instance)]
        stored = User.objects.get(pk=self.instance.pk)
        is_active = self.data.get("is_active") in {"on", "true", "True", "1"}
        try:
            services.check_admins_kept(actor=self.actor, user=stored, held=held, grants=self.grants(),
                                       is_active=is_active)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    formset = RoleAssignmentFormSet
    fields = ["role", "unit"]
    extra = 1
    verbose_name = _("角色")
    verbose_name_plural = _("角色（可担任多个，单位类角色须指定单位）")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.actor = request.user
        return formset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "roles", "unit", "is_active"]
    list_filter = ["role_assignments__role", "unit", "is_active"]
    search_fields = ["username", "full_name"]
    inlines = [RoleAssignmentInline]
    # One name field (姓名), not Django's first/last name; what a person may do comes from their
    # roles below, so Django's groups and per-model permissions (named in English) are not shown.
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("个人信息"), {"fields": ["full_name", "unit", "phone", "email"]}),
        (_("账号状态"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("重要日期"), {"fields": ["last_login", "date_joined"]}),
    ]
    # Superuser status is given at installation (`yuanqu createsuperuser`), never unticked here:
    # unticking the last one's would leave nobody able to manage users. Rights come from roles.
    readonly_fields = ["is_superuser"]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("个人信息"), {"fields": ["full_name", "unit"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit").prefetch_related("role_assignments__unit")

    @admin.display(description=_("角色"))
    def roles(self, obj):
        return "；".join(a.describe() for a in obj.role_assignments.all()) or "—"

    def save_model(self, request, obj, form, change):
        # The login, password and Django's own flags are saved here; the unit, contacts, whether
        # the account is active and the roles go through `user_update` in save_related, so the
        # admin site follows the same rules as an import (a unit's role moves with the person,
        # administrators keep the admin site, the last administrator stays) and logs once.
        form.platform_data = {f: form.cleaned_data[f] for f in services.USER_EDITABLE if f in form.cleaned_data}
        if change:
            stored = User.objects.get(pk=obj.pk)
            for field in form.platform_data:
                setattr(obj, field, getattr(stored, field))
        super().save_model(request, obj, form, change)
        if not change:
            record_change(actor=request.user, obj=obj, action=ChangeRecord.Action.CREATE,
                          after=services.user_snapshot(obj), note="管理后台")

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, RoleAssignmentFormSet):
            form.role_grants = formset.grants()  # given to user_update, not saved directly
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        data = dict(form.platform_data)
        grants = getattr(form, "role_grants", None)
        held = sorted((a.role, a.unit_id) for a in RoleAssignment.objects.filter(user=user))
        if grants is not None and sorted((c, getattr(u, "pk", None)) for c, u in grants) != held:
            data["roles"] = grants
        services.user_update(actor=request.user, user=user, data=data, note="管理后台")

    def has_delete_permission(self, request, obj=None):
        # People leave by being deactivated: reports and history point at them.
        return False
