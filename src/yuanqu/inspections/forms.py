"""Page forms. They shape input only; the rules (dates, rights, states) are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.pages import StyledForm
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit

from .models import ChecklistTemplate, Domain, Level, Revisit, WorkKind


class InspectionForm(StyledForm):
    domain = forms.ChoiceField(label=_("检查类别"), choices=Domain.choices)
    enterprise = forms.ModelChoiceField(label=_("被检查企业"), required=False,
                                        queryset=Enterprise.objects.only("pk", "name").order_by("name"))
    site = forms.CharField(label=_("检查地点"), required=False, max_length=200,
                           help_text=_("检查场所而非企业时填写，如河道、工地"))
    village = forms.ModelChoiceField(label=_("所在村（社区）"), required=False, queryset=OrgUnit.objects.filter(
        is_active=True, kind__in=(OrgUnit.Kind.VILLAGE, OrgUnit.Kind.COMMUNITY)).only("pk", "name"))
    inspected_on = forms.DateField(label=_("检查日期"), widget=forms.DateInput)
    inspecting_unit = forms.ModelChoiceField(label=_("检查单位"),
                                             queryset=OrgUnit.objects.filter(is_active=True).only("pk", "name"))
    inspectors = forms.CharField(label=_("检查人员"), max_length=200)
    template = forms.ModelChoiceField(label=_("检查表"), required=False,
                                      queryset=ChecklistTemplate.objects.filter(is_active=True))
    findings = forms.CharField(label=_("检查情况"), required=False, widget=forms.Textarea)


class InspectionEditForm(StyledForm):
    """The corrections an inspection takes once recorded (services.EDITABLE)."""

    enterprise = InspectionForm.base_fields["enterprise"]
    site = InspectionForm.base_fields["site"]
    village = InspectionForm.base_fields["village"]
    inspected_on = InspectionForm.base_fields["inspected_on"]
    inspectors = InspectionForm.base_fields["inspectors"]
    findings = InspectionForm.base_fields["findings"]

    @staticmethod
    def initial_for(inspection) -> dict:
        return {"enterprise": inspection.enterprise_id, "site": inspection.site, "village": inspection.village_id,
                "inspected_on": inspection.inspected_on, "inspectors": inspection.inspectors,
                "findings": inspection.findings, "expected_version": inspection.version}


class HazardForm(StyledForm):
    description = forms.CharField(label=_("隐患（问题）描述"), widget=forms.Textarea)
    level = forms.ChoiceField(label=_("隐患等级"), choices=Level.choices)
    responsible_unit = forms.ModelChoiceField(label=_("责任单位"), required=False,
                                              queryset=OrgUnit.objects.filter(is_active=True).only("pk", "name"))
    responsible_person = forms.CharField(label=_("责任人"), required=False, max_length=60)


class StepForm(forms.Form):
    """What any lifecycle step may carry; the workflow says which it requires."""

    comment = forms.CharField(required=False)
    deadline = forms.CharField(required=False)
    supervision_deadline = forms.CharField(required=False)
    expected_version = forms.IntegerField(required=False)


class RevisitForm(forms.Form):
    result = forms.ChoiceField(choices=Revisit.Result.choices)
    note = forms.CharField(required=False)


class StageDoneForm(forms.Form):
    done_on = forms.CharField(required=False)
    note = forms.CharField(required=False)
    expected_version = forms.IntegerField(required=False)


class WorkForm(StyledForm):
    kind = forms.ModelChoiceField(label=_("工程类别"), queryset=WorkKind.objects.all())
    name = forms.CharField(label=_("工程名称"), max_length=120)
    lead_unit = forms.ModelChoiceField(label=_("责任单位"),
                                       queryset=OrgUnit.objects.filter(is_active=True).only("pk", "name"))
    village = forms.ModelChoiceField(label=_("所在村（社区）"), required=False, queryset=OrgUnit.objects.filter(
        is_active=True, kind__in=(OrgUnit.Kind.VILLAGE, OrgUnit.Kind.COMMUNITY)).only("pk", "name"))
    started_on = forms.DateField(label=_("开工日期"), widget=forms.DateInput)
    planned_end = forms.DateField(label=_("计划完工日期"), widget=forms.DateInput)
    description = forms.CharField(label=_("工程内容"), required=False, widget=forms.Textarea)
