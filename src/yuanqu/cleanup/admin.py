from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from yuanqu.core.admin import ReadOnlyAdmin, ThroughServices
from yuanqu.core.errors import ApplicationError
from yuanqu.enterprises.models import Indicator

from . import services
from .criteria import FIELDS
from .models import Case, Criterion


@admin.register(Criterion)
class CriterionAdmin(ThroughServices):
    """The identification criteria, kept by the administrator as data (cases keep the names of the
    criteria they met: switch one off instead)."""

    list_display = ["name", "category", "kind", "indicator_name", "comparator", "threshold", "years", "field_name",
                    "is_active"]
    list_filter = ["category", "is_active"]

    def get_queryset(self, request):
        # The indicator's name beside its code, in the list's one query.
        names = Indicator.objects.filter(key=OuterRef("indicator")).values("name")[:1]
        return super().get_queryset(request).annotate(indicator_label=Subquery(names))

    @admin.display(description=_("年度指标"), ordering="indicator")
    def indicator_name(self, obj):
        return obj.indicator_label or obj.indicator or "—"

    @admin.display(description=_("企业信息字段"), ordering="field")
    def field_name(self, obj):
        return FIELDS.get(obj.field, obj.field) or "—"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # People pick an indicator and a field by their Chinese names; the codes stay underneath.
        indicators = [("", "---------"), *Indicator.objects.order_by("order", "id").values_list("key", "name")]
        form.base_fields["indicator"] = forms.ChoiceField(
            label=_("年度指标"), choices=indicators, required=False,
            help_text=_("判定方式为“年度数据连续若干年满足条件”时选择"))
        form.base_fields["field"] = forms.ChoiceField(
            label=_("企业信息字段"), choices=[("", "---------"), *FIELDS.items()], required=False,
            help_text=_("判定方式为“企业信息未填写”时选择"))

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

    @staticmethod
    def service(actor, obj, data):
        return services.criterion_save(actor=actor, criterion=obj, data=data)


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "category", "year", "state", "method", "unit", "land_released_mu"]
    list_filter = ["category", "state", "method"]
    search_fields = ["enterprise__name"]
