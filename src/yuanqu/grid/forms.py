"""Page forms. They shape input only; the rules (grids, categories, coordinates, rights, states) are
the services', so an unknown grid is the service's message naming the field, not a form's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.pages import StyledForm
from yuanqu.org.models import OrgUnit, User

from .models import GRID_UNIT_KINDS, DayType, EventCategory, Grid, GridKind, Severity, SlaRule, Stage


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


# ---------------------------------------------------------------- the configuration pages


def _category_choices():
    return EventCategory.objects.order_by("path")


class CategoryLabel(forms.ModelChoiceField):
    """Items indented under their class."""

    def label_from_instance(self, obj):
        return ("　" if obj.parent_id else "") + obj.name


class CategoryForm(StyledForm):
    code = forms.CharField(label=_("代码"), max_length=30, help_text=_("英文字母、数字或下划线，唯一"))
    name = forms.CharField(label=_("类别"), max_length=60)
    parent = CategoryLabel(label=_("上级类别"), queryset=EventCategory.objects.none(), required=False,
                           help_text=_("不填为一级类别"))
    order = forms.IntegerField(label=_("排序"), min_value=0, required=False)
    negative_list = forms.BooleanField(label=_("列入负面清单"), required=False, help_text=_("不得交由村/社区网格员办理"))
    negative_basis = forms.CharField(label=_("负面清单依据"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _category_choices()

    def service_data(self) -> dict:
        data = super().service_data()
        data["order"] = data.get("order") or 0
        return data

    @staticmethod
    def initial_for(obj) -> dict:
        return {**{f: getattr(obj, f) for f in EventCategory.WRITABLE_FIELDS}, "expected_version": obj.version}


class RoutingRuleForm(StyledForm):
    category = CategoryLabel(label=_("事件类别"), queryset=EventCategory.objects.none(),
                             help_text=_("一级类别的规则也用于其下各类"))
    grid = forms.ModelChoiceField(label=_("网格"), queryset=Grid.objects.none(), required=False,
                                  help_text=_("只用于这个网格；不填则看“区域”"))
    area = forms.ModelChoiceField(label=_("区域"), queryset=OrgUnit.objects.none(), required=False,
                                  help_text=_("该片区或村/社区下的网格；网格和区域都不填为全部网格"))
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=OrgUnit.objects.none(), required=False)
    own_unit = forms.BooleanField(label=_("交网格所在村/社区办理"), required=False, help_text=_("小事不出格；负面清单事项不可"))
    co_units = forms.ModelMultipleChoiceField(label=_("协办单位"), queryset=OrgUnit.objects.none(), required=False,
                                              widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(is_active=True).order_by("path")
        self.fields["category"].queryset = _category_choices()
        self.fields["grid"].queryset = Grid.objects.filter(is_active=True)
        for name in ("area", "unit", "co_units"):
            self.fields[name].queryset = units

    @staticmethod
    def initial_for(obj) -> dict:
        return {"category": obj.category_id, "grid": obj.grid_id, "area": obj.area_id, "unit": obj.unit_id,
                "own_unit": obj.own_unit, "co_units": [u.pk for u in obj.co_units.all()], "expected_version": obj.version}


class SlaRuleForm(StyledForm):
    category = CategoryLabel(label=_("事件类别"), queryset=EventCategory.objects.none(), required=False,
                             help_text=_("不填为全部类别；一级类别的时限也用于其下各类"))
    severity = forms.ChoiceField(label=_("紧急程度"), choices=[("", _("任何程度")), *Severity.choices], required=False)
    stage = forms.ChoiceField(label=_("环节"), choices=Stage.choices)
    amount = forms.CharField(label=_("时限"), max_length=6, help_text=_("大于0的整数"))
    day_type = forms.ChoiceField(label=_("计时方式"), choices=DayType.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _category_choices()

    @staticmethod
    def initial_for(obj) -> dict:
        return {**{f: getattr(obj, f) for f in SlaRule.WRITABLE_FIELDS}, "expected_version": obj.version}


class GridForm(StyledForm):
    code = forms.CharField(label=_("网格编码"), max_length=30)
    name = forms.CharField(label=_("网格名称"), max_length=60)
    unit = forms.ModelChoiceField(label=_("所属村/社区"), queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(label=_("网格类型"), choices=GridKind.choices)
    households = forms.CharField(label=_("户数"), max_length=10, required=False)
    population = forms.CharField(label=_("人口"), max_length=10, required=False)
    leader = forms.ModelChoiceField(label=_("网格长"), queryset=User.objects.none(), required=False)
    workers = forms.ModelMultipleChoiceField(label=_("网格员"), queryset=User.objects.none(), required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 6}))
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(is_active=True, kind__in=GRID_UNIT_KINDS).order_by("path")
        people = User.objects.filter(is_active=True).order_by("username")
        self.fields["leader"].queryset = people
        self.fields["workers"].queryset = people

    @staticmethod
    def initial_for(grid) -> dict:
        return {"code": grid.code, "name": grid.name, "unit": grid.unit_id, "kind": grid.kind,
                "households": grid.households, "population": grid.population, "leader": grid.leader_id,
                "workers": [u.pk for u in grid.workers.all()], "is_active": grid.is_active,
                "expected_version": grid.version}
