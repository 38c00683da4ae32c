from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.periods import default_period
from yuanqu.plans.models import Plan

MONTH_CHOICES = [(m, f"{m}月") for m in range(1, 13)]


def bulletin_plans(user):
    """Plans a bulletin can be made for: started ones (active or closed) the user sees."""
    return Plan.objects.visible_to(user).exclude(status=Plan.Status.DRAFT).order_by("-year", "-id")


class BulletinGenerateForm(forms.Form):
    """Which plan and month; whether that month has anything to report is the service's call."""

    plan = forms.ModelChoiceField(
        label=_("计划"), queryset=Plan.objects.none(), empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("请选择一个已启用的计划。"), "required": _("请选择计划。")},
    )
    month = forms.TypedChoiceField(
        label=_("通报月份"), choices=MONTH_CHOICES, coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("请选择 1–12 月中的一个月份。"), "required": _("请选择通报月份。")},
    )

    def __init__(self, *args, user, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = bulletin_plans(user)
        plans = list(self.fields["plan"].queryset)
        default = next((p for p in plans if p.status == Plan.Status.ACTIVE and p.year == today.year), None)
        default = default or (plans[0] if plans else None)
        if default is not None:
            self.fields["plan"].initial = default.pk
        period = default_period(default.year, today) if default is not None else None
        if period is not None:
            self.fields["month"].initial = period.month

    def month_date(self) -> dt.date:
        return dt.date(self.cleaned_data["plan"].year, self.cleaned_data["month"], 1)


def _text(label, *, required: bool, rows: int | None = None, max_length: int | None = None, help_text: str = ""):
    widget = forms.Textarea(attrs={"class": "form-control", "rows": rows}) if rows else forms.TextInput(
        attrs={"class": "form-control"})
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget, help_text=help_text,
                           error_messages={"required": _("请填写%(label)s。") % {"label": label},
                                           "max_length": _("%(label)s最多%%(limit_value)d个字，现为%%(show_value)d个字。")
                                           % {"label": label}})


class BulletinEditForm(forms.Form):
    """The 督查室's wording of a draft bulletin; the rules (and the frozen issued version) are the service's."""

    issuer = _text(_("发文机关"), required=True, max_length=100, help_text=_("如：园区管委会督查室"))
    main_to = _text(_("主送"), required=False, max_length=300, help_text=_("印发前必填，如：各部门、各片区、各村（社区）"))
    cc = _text(_("抄送"), required=False, max_length=300, help_text=_("如：管委会领导"))
    signer = _text(_("签发人"), required=False, max_length=50, help_text=_("印发前必填"))
    overview = _text(_("总体情况"), required=True, rows=5, help_text=_("每行一段；表格中的数字按生成时冻结，不随此处修改"))
    requirements = _text(_("下步工作要求"), required=True, rows=5, help_text=_("每行一段"))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
