"""Page forms. They shape input only; the rules (rights, dates, amounts) are the services' job."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.pages import RecordForm
from yuanqu.land.models import Parcel
from yuanqu.org.models import OrgUnit, User

from .models import GATES, Problem, ProblemCategory, Project, Stage

DATE = {"type": "date"}


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


def _date(label, required=False):
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


def planned_fields() -> dict[str, forms.Field]:
    return {f"planned_{s}": _date(_("%(stage)s计划日期") % {"stage": Stage(s).label}) for s in GATES}


def planned_from(cleaned: dict) -> dict:
    return {s: cleaned.get(f"planned_{s}") for s in GATES}


class ProjectForm(RecordForm):
    class Meta:
        model = Project
        fields = list(Project.WRITABLE_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, with_plan: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the units the user keeps projects for; the service checks again.
        self.fields["lead_unit"].queryset = OrgUnit.objects.filter(user.units_for("projects.edit").q("pk"))
        self.fields["leader"].queryset = User.objects.filter(is_active=True).only("id", "username", "full_name")
        self.fields["chain_node"].queryset = self.fields["chain_node"].queryset.select_related("chain")
        # Parcels as the land register scopes them (and the one already linked, whoever keeps it).
        parcels = Parcel.objects.visible_to(user)
        if self.instance.parcel_id:
            parcels = parcels | Parcel.objects.filter(pk=self.instance.parcel_id)
        self.fields["parcel"].queryset = parcels
        if with_plan:
            self.fields.update(planned_fields())
        _style(self)


class ConvertForm(ProjectForm):
    """A signed lead's project: what the lead says, completed (the amount in 亿元, the unit …)."""


class PlanForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(planned_fields())
        _style(self)


class ReachForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    stage = forms.ChoiceField(label=_("阶段"), choices=[(s, Stage(s).label) for s in GATES])
    actual_on = _date(_("实际日期"), required=True)
    comment = forms.CharField(label=_("说明（跳过阶段时必填）"), required=False, max_length=2000)

    def __init__(self, *args, stages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stages is not None:
            self.fields["stage"].choices = [(s, Stage(s).label) for s in stages]
        _style(self)


class ReturnForm(forms.Form):
    month = forms.CharField(label=_("月份"), widget=forms.DateInput(attrs={"type": "month"}))
    completed_month = forms.DecimalField(label=_("当月完成投资（亿元）"), max_digits=12, decimal_places=4)
    completed_total = forms.DecimalField(label=_("累计完成投资（亿元）"), max_digits=12, decimal_places=4)
    progress = forms.CharField(label=_("形象进度"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ProblemForm(forms.ModelForm):
    class Meta:
        model = Problem
        fields = list(Problem.WRITABLE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProblemCategory.objects.filter(active=True)
        _style(self)

    def _post_clean(self):
        pass


class SolveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    solution = forms.CharField(label=_("解决情况"), max_length=2000)


class RaiseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    deadline = _date(_("办理期限"), required=True)
    requirement = forms.CharField(label=_("协调事项"), required=False, max_length=2000)
