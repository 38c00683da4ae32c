"""Page forms: they shape input only; the services keep the rules (rights, codes, the tree)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit

from .models import Chain, ChainNode, NodeEnterprise


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)


class ChainForm(forms.ModelForm):
    class Meta:
        model = Chain
        fields = Chain.WRITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = OrgUnit.objects.filter(is_active=True)
        _styled(self)

    def _post_clean(self):  # the services validate (uniqueness, rights) and name the field
        pass


class NodeForm(forms.ModelForm):
    class Meta:
        model = ChainNode
        fields = ChainNode.WRITABLE_FIELDS

    def __init__(self, *args, chain: Chain, **kwargs):
        super().__init__(*args, **kwargs)
        parents = ChainNode.objects.filter(chain=chain)
        if self.instance.pk:
            parents = parents.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = _("（无，一级节点）")
        self.fields["segment"].required = False
        self.fields["segment"].help_text = _("一级节点必选；下级节点沿用一级节点的环节")
        _styled(self)

    def _post_clean(self):
        pass


class PlacementForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=Enterprise.objects.all(), empty_label=_("（选择企业）"),
                                        error_messages={"invalid_choice": _("所选企业不存在，请重新选择。")})
    role = forms.ChoiceField(label=_("链上角色"), choices=NodeEnterprise.Role.choices,
                             initial=NodeEnterprise.Role.SUPPORTING)
    output = forms.DecimalField(label=_("年产值（亿元）"), required=False, min_value=0, max_digits=12, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["output"].widget.attrs["placeholder"] = _("年产值（亿元）")
        _styled(self)
