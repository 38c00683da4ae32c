"""Page forms. They shape input only; the rules (dates, states, rights) are the services' job."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.ids import parse_id
from yuanqu.org.models import OrgUnit
from yuanqu.plans.models import Target

from . import selectors
from .models import ExtensionRequest, State, SupervisionItem
from .services import title_from_target


def _text(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _select(**attrs) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **attrs})


def _area(rows: int = 3, **attrs) -> forms.Textarea:
    return forms.Textarea(attrs={"class": "form-control", "rows": rows, **attrs})


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d")


class ItemForm(forms.Form):
    """立项 (and correcting an item before it is closed)."""

    title = forms.CharField(label=_("督办事项"), max_length=200, widget=_text())
    source_kind = forms.ChoiceField(
        label=_("来源"), choices=SupervisionItem.SourceKind.choices, widget=_select()
    )
    # Chosen with the search picker (supervision/_target_picker.html): the page sends the target's id.
    target = forms.ModelChoiceField(
        label=_("关联目标"), queryset=Target.objects.none(), required=False, widget=forms.HiddenInput,
        help_text=_("来源为目标任务时必选；按目标、计划、章节或牵头单位的名称搜索"),
        error_messages={"invalid_choice": _("所选目标不存在或您无权查看，请重新搜索选择。")},
    )
    source_text = forms.CharField(
        label=_("批示或会议内容"), required=False, widget=_area(3),
        help_text=_("领导批示、会议纪要的原文或要点"),
    )
    lead_unit = forms.ModelChoiceField(
        label=_("牵头单位"), queryset=OrgUnit.objects.none(), widget=_select(), empty_label="（请选择）"
    )
    assisting_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"), queryset=OrgUnit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 5}),
    )
    requirement = forms.CharField(label=_("办理要求"), required=False, widget=_area(4))
    day_type = forms.ChoiceField(
        label=_("期限计算方式"), choices=SupervisionItem.DayType.choices, widget=_select()
    )
    time_limit = forms.IntegerField(
        label=_("办理时限（天）"), required=False, min_value=1, max_value=366,
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 1}),
        help_text=_("填写时限则自交办次日起按所选方式计算期限；否则直接填写办理期限"),
    )
    deadline = forms.DateField(label=_("办理期限"), required=False, widget=_date())
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    DATA_FIELDS = ["title", "source_kind", "target", "source_text", "lead_unit", "assisting_units", "requirement",
                   "day_type", "time_limit", "deadline"]

    def __init__(self, *args, user, item: SupervisionItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(is_active=True)
        self.fields["lead_unit"].queryset = units
        self.fields["assisting_units"].queryset = units
        self.fields["target"].queryset = selectors.pickable_targets(user)
        if item is not None and item.state != State.REGISTERED:
            # Handed over: the deadline and lead unit change only by extension.
            for name in ("lead_unit", "day_type", "time_limit", "deadline"):
                self.fields[name].disabled = True

    @classmethod
    def initial_for(cls, item: SupervisionItem) -> dict:
        return {
            "title": item.title, "source_kind": item.source_kind, "target": item.target_id,
            "source_text": item.source_text, "lead_unit": item.lead_unit_id,
            "assisting_units": [u.pk for u in item.assisting_units.all()], "requirement": item.requirement,
            "day_type": item.day_type, "time_limit": item.time_limit, "deadline": item.deadline,
            "expected_version": item.version,
        }

    def picked_target(self) -> Target | None:
        """The target the form holds (posted or initial), with what the picker shows; None if none or not visible."""
        pk = parse_id(self["target"].value())
        return None if pk is None else self.fields["target"].queryset.filter(pk=pk).first()

    @classmethod
    def initial_from_target(cls, target: Target, *, status_label: str = "") -> dict:
        text = target.title + (f"（当前：{status_label}）" if status_label else "")
        return {
            "title": title_from_target(target),
            "source_kind": SupervisionItem.SourceKind.TARGET,
            "target": target.pk,
            "source_text": text,
            "lead_unit": target.lead_unit_id,
            "assisting_units": [u.pk for u in target.cooperating_units.all()],
            "day_type": SupervisionItem.DayType.CALENDAR,
            "time_limit": 15,
        }

    @classmethod
    def initial_from_instruction(cls, instruction, source_text: str, *, status_label: str = "") -> dict:
        """立项 from a 批示: its text as the source, the target's or the item's units as the lead."""
        base = instruction.target or instruction.item
        if instruction.target_id:
            initial = cls.initial_from_target(instruction.target, status_label=status_label)
        else:
            initial = {"title": f"落实领导对{base.number}的批示"[:200], "target": base.target_id,
                       "lead_unit": base.lead_unit_id, "assisting_units": [u.pk for u in base.assisting_units.all()],
                       "day_type": SupervisionItem.DayType.CALENDAR, "time_limit": 15}
        initial.update({"source_kind": SupervisionItem.SourceKind.LEADER_INSTRUCTION, "source_text": source_text,
                        "requirement": instruction.text})
        return initial

    def service_data(self) -> dict:
        data = {key: self.cleaned_data.get(key) for key in self.DATA_FIELDS if key not in self.disabled_names()}
        if "assisting_units" in data:
            data["assisting_units"] = list(data["assisting_units"] or [])
        return data

    def disabled_names(self) -> set[str]:
        return {name for name, field in self.fields.items() if field.disabled}


class ActionForm(forms.Form):
    comment = forms.CharField(label=_("说明"), required=False, widget=_area(3))
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ExtensionForm(forms.Form):
    requested_deadline = forms.DateField(label=_("申请延至"), widget=_date())
    reason = forms.CharField(label=_("延期理由"), widget=_area(3))
    progress = forms.CharField(label=_("目前进展"), widget=_area(3))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(ExtensionRequest.Status.APPROVED, _("同意")), (ExtensionRequest.Status.REFUSED, _("不同意"))]
    )
    comment = forms.CharField(label=_("审批意见"), required=False, widget=_area(2))


class InstructionForm(forms.Form):
    text = forms.CharField(label=_("批示内容"), required=False, widget=_area(3, placeholder="请写明批示意见"))
    wants_item = forms.BooleanField(label=_("请督查室立项督办"), required=False)
