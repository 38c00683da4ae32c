"""Page forms. They shape input only; the rules (dates, notes, rights) are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Inspection


class InspectionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("核查结果"), choices=Inspection.Outcome.choices,
                                widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    checked_on = forms.DateField(label=_("核查日期"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"},
                                                        format="%Y-%m-%d"))
    note = forms.CharField(label=_("核查意见"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}))
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @staticmethod
    def initial_for(inspection: Inspection) -> dict:
        return {"outcome": inspection.outcome, "checked_on": inspection.checked_on, "note": inspection.note,
                "expected_version": inspection.version}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "expected_version"}
