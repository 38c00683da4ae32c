"""Page forms. They shape input only; the rules (dates, rights, states) are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.pages import StyledForm
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit

from .models import RequestCategory, Visit


class VisitForm(StyledForm):
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=Enterprise.objects.only("pk", "name").order_by("name"))
    visited_on = forms.DateField(label=_("走访日期"), widget=forms.DateInput)
    visitors = forms.CharField(label=_("走访领导/干部"), max_length=200)
    unit = forms.ModelChoiceField(label=_("走访单位"), queryset=OrgUnit.objects.filter(is_active=True).only("pk", "name"))
    findings = forms.CharField(label=_("走访发现"), required=False, widget=forms.Textarea)

    @staticmethod
    def initial_for(visit: Visit) -> dict:
        return {**{f: getattr(visit, f) for f in ("visited_on", "visitors", "findings")},
                "enterprise": visit.enterprise_id, "unit": visit.unit_id, "expected_version": visit.version}


class RequestForm(StyledForm):
    """A request raised on a visit (the visit's enterprise and day)."""

    category = forms.ModelChoiceField(label=_("诉求类别"), queryset=RequestCategory.objects.filter(is_active=True))
    text = forms.CharField(label=_("诉求内容"), widget=forms.Textarea)
    assigned_unit = forms.ModelChoiceField(label=_("承办单位"),
                                           queryset=OrgUnit.objects.filter(is_active=True).only("pk", "name"))


class StepForm(forms.Form):
    """What any lifecycle step may carry; the workflow says which it requires."""

    comment = forms.CharField(required=False)
    satisfaction = forms.CharField(required=False)
    assigned_unit = forms.CharField(required=False)
    deadline = forms.CharField(required=False)
    expected_version = forms.IntegerField(required=False)
