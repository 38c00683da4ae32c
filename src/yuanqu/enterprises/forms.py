"""The enterprise form for the 经发局. It shapes input; the rules (unique code, dates, rights) are
the services' job — the credit code is checked here too so its reason shows on the field at once."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from yuanqu.core.pages import StyledForm
from yuanqu.land.models import Parcel
from yuanqu.org.models import OrgUnit

from .credit_code import credit_code_problem, normalise
from .models import Enterprise, EnterpriseTag, IndustryDivision


class IndustryField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.section.code} › {obj.code} {obj.name}"


class EnterpriseForm(StyledForm):
    name = forms.CharField(label=_("企业名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30,
                                  help_text=_("18位，末位为校验位；小写字母会转为大写"))
    registered_on = forms.DateField(label=_("注册日期"), required=False, widget=forms.DateInput)
    production_on = forms.DateField(label=_("投产日期"), required=False, widget=forms.DateInput)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    industry = IndustryField(label=_("行业（GB/T 4754 大类）"), required=False,
                             queryset=IndustryDivision.objects.select_related("section"))
    above_scale_since = forms.DateField(label=_("纳入规上日期"), required=False, widget=forms.DateInput,
                                        help_text=_("规上企业填写纳入规上（入库）的日期；规下企业留空"))
    land_mu = forms.DecimalField(label=_("用地面积（亩）"), required=False, max_digits=12, decimal_places=2, min_value=0)
    parcels = forms.ModelMultipleChoiceField(label=_("地块"), required=False, queryset=Parcel.objects.order_by("code"),
                                             help_text=_("按住 Ctrl 可多选"))
    liaison_unit = forms.ModelChoiceField(label=_("挂钩单位"), required=False,
                                          queryset=OrgUnit.objects.filter(is_active=True))
    liaison_leader = forms.ModelChoiceField(label=_("挂钩领导"), required=False,
                                            queryset=get_user_model().objects.filter(is_active=True).order_by("username"))
    tags = forms.ModelMultipleChoiceField(label=_("标签"), required=False, widget=forms.CheckboxSelectMultiple,
                                          queryset=EnterpriseTag.objects.filter(is_active=True))
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea)

    def clean_credit_code(self):
        code = normalise(self.cleaned_data["credit_code"])
        problem = credit_code_problem(code)
        if problem:
            raise forms.ValidationError(problem)
        return code

    @staticmethod
    def initial_for(enterprise: Enterprise) -> dict:
        initial = {f: getattr(enterprise, f) for f in Enterprise.WRITABLE_FIELDS if f not in ("parcels", "tags")}
        return {**initial, "parcels": list(enterprise.parcels.all()), "tags": list(enterprise.tags.all()),
                "expected_version": enterprise.version}
