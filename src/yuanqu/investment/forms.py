"""Page forms. They shape input only; the rules (rights, amounts, names) are the services' job."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.chains.models import ChainNode
from yuanqu.core.pages import RecordForm
from yuanqu.org.models import OrgUnit, User

from .models import AttractionMode, FollowUp, Lead, TargetCompany
from .regions import PROVINCES

PROVINCE_CHOICES = [("", "—"), *((p, p) for p in PROVINCES)]


class NodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.chain.name} › {obj.code} {obj.name}"


def _places_and_nodes(form, province: str) -> None:
    """The province picked from the 34 (the service also reads “广东”), the node by chain."""
    form.fields[province] = forms.ChoiceField(label=form.fields[province].label, choices=PROVINCE_CHOICES,
                                              required=False)
    node = form.fields["chain_node"]
    form.fields["chain_node"] = NodeChoiceField(
        ChainNode.objects.select_related("chain").order_by("chain__name", "path"), required=False,
        label=node.label, help_text=node.help_text)


def _attrs(widget, **extra):
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    widget.attrs.update({"class": css, **extra})
    return widget


class LeadForm(RecordForm):
    class Meta:
        model = Lead
        fields = list(Lead.WRITABLE_FIELDS)
        widgets = {
            "next_action_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the units the user registers leads for; the service checks again.
        self.fields["unit"].queryset = OrgUnit.objects.filter(user.units_for("investment.edit_leads").q("pk"))
        self.fields["mode"].queryset = AttractionMode.objects.filter(active=True)
        self.fields["company"].queryset = TargetCompany.objects.visible_to(user).only("id", "name")
        self.fields["owner"].queryset = User.objects.filter(is_active=True).only("id", "username", "full_name")
        _places_and_nodes(self, "source_province")
        for field in self.fields.values():
            _attrs(field.widget)


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=FollowUp.Kind.choices)
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    people = forms.CharField(label=_("参与人员"), max_length=200, required=False)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}))
    next_step = forms.CharField(label=_("下一步"), max_length=200, required=False)
    next_date = forms.DateField(label=_("下一步日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _attrs(field.widget)

    def service_data(self) -> dict:  # for core.pages.save_form
        return self.cleaned_data


class StageForm(forms.Form):
    comment = forms.CharField(label=_("说明"), required=False, max_length=5000)
    version = forms.IntegerField(required=False)


class CompanyForm(RecordForm):
    class Meta:
        model = TargetCompany
        fields = list(TargetCompany.WRITABLE_FIELDS)
        widgets = {"tags": forms.CheckboxSelectMultiple, "significance": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _places_and_nodes(self, "hq_province")
        for name, field in self.fields.items():
            if name != "tags":
                _attrs(field.widget)
