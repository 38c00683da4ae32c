"""Page forms. They shape input only; the rules (areas, rights, dates) are the services' job."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.pages import StyledForm
from yuanqu.org.models import OrgUnit

from .models import LandQuota, LandUse, Parcel, Revitalisation


class ParcelForm(StyledForm):
    code = forms.CharField(label=_("地块编号"), max_length=40)
    name = forms.CharField(label=_("地块名称"), max_length=100)
    location = forms.CharField(label=_("位置"), max_length=200, required=False)
    area_text = forms.CharField(label=_("面积"), max_length=40,
                                help_text=_("如 12.5亩、8000平方米、1.2公顷；只写数字按亩计"))
    planned_use = forms.ModelChoiceField(label=_("规划用途"), queryset=LandUse.objects.filter(is_active=True),
                                         required=False)
    status = forms.ChoiceField(label=_("状态"), choices=Parcel.Status.choices)
    holder = forms.CharField(label=_("土地使用权人"), max_length=200, required=False)
    supply_date = forms.DateField(label=_("供地日期"), required=False, widget=forms.DateInput)
    unit = forms.ModelChoiceField(label=_("主管单位"), queryset=OrgUnit.objects.none())
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The units the user keeps parcels for; the service checks again.
        self.fields["unit"].queryset = user.units_for("land.edit").units().filter(is_active=True)

    @staticmethod
    def initial_for(parcel: Parcel) -> dict:
        return {**{f: getattr(parcel, f) for f in Parcel.WRITABLE_FIELDS}, "expected_version": parcel.version}


class RevitalisationForm(StyledForm):
    cause = forms.CharField(label=_("低效原因"), max_length=200)
    method = forms.ChoiceField(label=_("盘活方式"), choices=Revitalisation.Method.choices)
    planned_date = forms.DateField(label=_("计划完成日期"), widget=forms.DateInput)
    status = forms.ChoiceField(label=_("状态"), choices=Revitalisation.Status.choices)
    area_mu = forms.DecimalField(label=_("盘活面积（亩）"), max_digits=12, decimal_places=2)
    completed_on = forms.DateField(label=_("完成日期"), required=False, widget=forms.DateInput,
                                   help_text=_("状态为“已完成”时填写"))

    @staticmethod
    def initial_for(item: Revitalisation) -> dict:
        return {**{f: getattr(item, f) for f in Revitalisation.WRITABLE_FIELDS}, "expected_version": item.version}


class QuotaForm(StyledForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    requested_mu = forms.DecimalField(label=_("申请指标（亩）"), max_digits=12, decimal_places=2)
    granted_mu = forms.DecimalField(label=_("下达指标（亩）"), max_digits=12, decimal_places=2, required=False,
                                    help_text=_("上级下达后填写"))
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea)

    @staticmethod
    def initial_for(quota: LandQuota) -> dict:
        return {**{f: getattr(quota, f) for f in LandQuota.WRITABLE_FIELDS}, "expected_version": quota.version}
