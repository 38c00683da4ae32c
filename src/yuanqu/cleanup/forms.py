"""Page forms. They shape input only; the rules (areas, dates, rights, states) are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.pages import StyledForm
from yuanqu.org.models import OrgUnit

from .models import Case, Method


class DisposalForm(StyledForm):
    method = forms.ChoiceField(label=_("处置方式"), choices=[("", "—")] + Method.choices, required=False)
    unit = forms.ModelChoiceField(label=_("责任单位"), required=False,
                                  queryset=OrgUnit.objects.filter(is_active=True).only("pk", "name"))
    land_released_mu = forms.CharField(label=_("释放土地（亩）"), required=False, max_length=20)
    parcel = forms.ChoiceField(label=_("释放土地所在地块"), required=False)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parcel"].choices = [("", "—")] + [
            (p.pk, f"{p.code} {p.name}（{p.area_mu} 亩）") for p in case.enterprise.parcels.order_by("code")]

    @staticmethod
    def initial_for(case: Case) -> dict:
        return {"method": case.method, "unit": case.unit_id, "note": case.note, "parcel": case.parcel_id or "",
                "land_released_mu": "" if case.land_released_mu is None else case.land_released_mu,
                "expected_version": case.version}


class StepAddForm(StyledForm):
    title = forms.CharField(label=_("步骤"), max_length=100)
    planned_on = forms.CharField(label=_("计划完成日期"), widget=forms.DateInput)


class StepDoneForm(forms.Form):
    done_on = forms.CharField(required=False)
    note = forms.CharField(required=False)
    expected_version = forms.IntegerField(required=False)


class ActForm(forms.Form):
    comment = forms.CharField(required=False)
    completed_on = forms.CharField(required=False)
    expected_version = forms.IntegerField(required=False)


class DecideForm(forms.Form):
    enterprise = forms.CharField()
    category = forms.CharField()
    year = forms.CharField()
    decision = forms.CharField()
    reason = forms.CharField(required=False)
