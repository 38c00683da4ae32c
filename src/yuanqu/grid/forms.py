"""Page forms. They shape input only; the rules (grids, categories, coordinates, rights, states) are
the services', so an unknown grid is the service's message naming the field, not a form's."""

from __future__ import annotations

from django import forms


class ReportForm(forms.Form):
    """上报 on the phone page and the desktop one (the photos come from request.FILES)."""

    category = forms.CharField(required=False)
    grid = forms.CharField(required=False)
    source = forms.CharField(required=False)
    severity = forms.CharField(required=False)
    description = forms.CharField(required=False, max_length=5000)
    address = forms.CharField(required=False, max_length=200)
    latitude = forms.CharField(required=False, max_length=30)
    longitude = forms.CharField(required=False, max_length=30)

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class StepForm(forms.Form):
    """What any lifecycle step may carry; the workflow says which it requires."""

    comment = forms.CharField(required=False, max_length=5000)
    satisfaction = forms.CharField(required=False)
    unit = forms.CharField(required=False)
    deadline = forms.CharField(required=False)
    expected_version = forms.IntegerField(required=False)
