"""Page forms. They shape input only; the rules (dates, rights, states, limits) are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.pages import StyledForm
from yuanqu.org.models import OrgUnit

from .models import DisputeCase, DisputeType, Kind


class CaseForm(StyledForm):
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices)
    title = forms.CharField(label=_("事由"), max_length=200)
    parties = forms.CharField(label=_("当事人/信访人"), widget=forms.Textarea(attrs={"rows": 2}))
    dispute_type = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeType.choices, initial=DisputeType.OTHER)
    assigned_unit = forms.ModelChoiceField(label=_("承办单位"),
                                           queryset=OrgUnit.objects.filter(is_active=True).only("pk", "name"))
    received_on = forms.DateField(label=_("收到日期"), widget=forms.DateInput)
    mediator = forms.CharField(label=_("调解员"), max_length=100, required=False)
    committee = forms.CharField(label=_("调解委员会"), max_length=100, required=False)
    content = forms.CharField(label=_("基本情况"), required=False, widget=forms.Textarea)

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "expected_version"}


class EditForm(StyledForm):
    title = forms.CharField(label=_("事由"), max_length=200)
    parties = forms.CharField(label=_("当事人/信访人"), widget=forms.Textarea(attrs={"rows": 2}))
    dispute_type = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeType.choices)
    mediator = forms.CharField(label=_("调解员"), max_length=100, required=False)
    committee = forms.CharField(label=_("调解委员会"), max_length=100, required=False)
    content = forms.CharField(label=_("基本情况"), required=False, widget=forms.Textarea)

    @staticmethod
    def initial_for(case: DisputeCase) -> dict:
        return {**{f: getattr(case, f) for f in ("title", "parties", "dispute_type", "mediator", "committee",
                                                 "content")}, "expected_version": case.version}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "expected_version"}


class StepForm(forms.Form):
    """What any lifecycle step may carry; the workflow says which it requires."""

    on = forms.CharField(required=False)
    comment = forms.CharField(required=False)
    approver = forms.CharField(required=False)
    agreement_reached = forms.CharField(required=False)
    agreement_text = forms.CharField(required=False)
    assigned_unit = forms.CharField(required=False)
    deadline = forms.CharField(required=False)
    expected_version = forms.IntegerField(required=False)
