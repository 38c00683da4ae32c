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
