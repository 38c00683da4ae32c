from django.contrib import admin
from django.core.exceptions import ValidationError

from yuanqu.core.admin import ReadOnlyAdmin
from yuanqu.core.errors import ApplicationError

from . import services
from .models import Case, Criterion


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """The identification criteria, kept by the administrator as data."""

    list_display = ["name", "category", "kind", "indicator", "comparator", "threshold", "years", "field", "is_active"]
    list_filter = ["category", "is_active"]
    fields = list(Criterion.WRITABLE_FIELDS)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        def clean(form_self):
            # The service's rules (a known indicator, whole years …) shown on the form, naming the field.
            data = super(form, form_self).clean()
            probe = Criterion(**{k: v for k, v in data.items() if k in Criterion.WRITABLE_FIELDS})
            try:
                services._set_criterion(probe, {})
            except ApplicationError as exc:
                raise ValidationError({exc.field: exc.message} if exc.field in form_self.fields else exc.message) from None
            return data

        form.clean = clean
        return form

    def save_model(self, request, obj, form, change):
        # Through the service, so admin edits are versioned and logged like every other edit.
        data = {f: form.cleaned_data[f] for f in Criterion.WRITABLE_FIELDS if f in form.cleaned_data}
        saved = services.criterion_save(actor=request.user, criterion=obj if change else None, data=data)
        obj.pk, obj.version = saved.pk, saved.version

    def has_delete_permission(self, request, obj=None):
        return False  # cases keep the names of the criteria they met; switch one off instead


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "category", "year", "state", "method", "unit", "land_released_mu"]
    list_filter = ["category", "state", "method"]
    search_fields = ["enterprise__name"]
