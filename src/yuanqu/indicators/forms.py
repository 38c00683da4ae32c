"""Page forms. They shape input only; the rules (periods, counts, rights) are the services' job."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.pages import StyledForm
from yuanqu.org.models import OrgUnit

from .models import COUNTING_KINDS, Formula, IndicatorDefinition, Level, PeriodKind
from .periods import EXAMPLES


class CountForm(StyledForm):
    """One village's counts of one indicator for one period: a field per variable of the caliber in force.

    Counts are text fields so that the service's own message ("参保人数不能为负数") lands on the field."""

    unit = forms.ModelChoiceField(label=_("村/社区"), queryset=OrgUnit.objects.none())
    period = forms.CharField(label=_("期间"), max_length=20)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, definition: IndicatorDefinition, units, **kwargs):
        super().__init__(*args, **kwargs)
        version = definition.current_version
        self.fields["unit"].queryset = units
        self.fields["period"].help_text = f"例如 {EXAMPLES[definition.period_kind]}"
        for index, name in enumerate(version.variables):
            self.fields[f"var_{index}"] = forms.CharField(label=name, max_length=20)
            self.fields[f"var_{index}"].widget.attrs.update({"class": "form-control", "inputmode": "decimal"})
        self.variable_count = len(version.variables)

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {"unit": data["unit"], "period": data["period"], "note": data.get("note", ""),
                "values": [data[f"var_{i}"] for i in range(self.variable_count)]}


def counting_units(units_scope):
    return units_scope.units().filter(kind__in=COUNTING_KINDS, is_active=True).order_by("path")


class VersionFields(StyledForm):
    unit = forms.CharField(label=_("计量单位"), max_length=20, help_text=_("如 %、万元"))
    formula = forms.ChoiceField(label=_("计算方式"), choices=Formula.choices)
    variables = forms.CharField(label=_("变量"), max_length=300,
                                help_text=_("比率写分子、分母两项（如 参保人数、应参保人数）；求和写各项，用“、”分隔"))
    multiplier = forms.DecimalField(label=_("乘数"), max_digits=8, decimal_places=2, initial=100,
                                    help_text=_("比率乘以该数：百分比填 100"))
    forbid_over = forms.BooleanField(label=_("分子不得大于分母"), required=False, initial=True)
    valid_from = forms.CharField(label=_("起用期间"), max_length=20, required=False)
    caliber = forms.CharField(label=_("统计口径"), widget=forms.Textarea)
    note = forms.CharField(label=_("修订说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forbid_over"].widget.attrs["class"] = "form-check-input"

    @staticmethod
    def initial_for(definition: IndicatorDefinition) -> dict:
        v = definition.current_version
        return {"unit": v.unit, "formula": v.formula, "variables": "、".join(v.variables), "multiplier": v.multiplier,
                "forbid_over": v.forbid_over, "caliber": v.caliber, "expected_version": definition.version}


class DefinitionForm(VersionFields):
    code = forms.CharField(label=_("指标代码"), max_length=40)
    name = forms.CharField(label=_("指标名称"), max_length=100)
    owner_unit = forms.ModelChoiceField(label=_("数据主管单位"), queryset=OrgUnit.objects.filter(is_active=True))
    period_kind = forms.ChoiceField(label=_("统计周期"), choices=PeriodKind.choices)
    level = forms.ChoiceField(label=_("发布层级"), choices=Level.choices)
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)

    field_order = ["code", "name", "owner_unit", "period_kind", "level", "order"]
