"""Page forms. They shape input only; the rules (counts, marks, rights, states) are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.pages import StyledForm
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit

from .models import Form, MemberStatus, PartyOrganisation, Rule, SocialOrganisation

RULE_WORDS = {"达标": Rule.CHECK, "扣分": Rule.DEDUCT, "加分": Rule.ADD, **{r: r for r in Rule.values}}
YES = {"是", "须", "需", "1", "y", "yes", "否决", "√"}


class OrganisationForm(StyledForm):
    name = forms.CharField(label=_("党组织名称"), max_length=120)
    form = forms.ChoiceField(label=_("组织形式"), choices=Form.choices)
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=OrgUnit.objects.filter(is_active=True).only("pk", "name"))
    enterprise = forms.ModelChoiceField(label=_("所在企业"), required=False,
                                        queryset=Enterprise.objects.only("pk", "name").order_by("name"))
    social_organisation = forms.ModelChoiceField(label=_("所在社会组织"), required=False,
                                                 queryset=SocialOrganisation.objects.only("pk", "name"))
    covered_units = forms.CharField(label=_("覆盖单位数"), required=False, help_text=_("联合党支部覆盖的单位数（含所在单位）"))
    full_members = forms.CharField(label=_("正式党员"), required=False)
    probationary_members = forms.CharField(label=_("预备党员"), required=False)
    secretary = forms.CharField(label=_("书记"), max_length=40, required=False)
    committee = forms.CharField(label=_("委员"), max_length=300, required=False, help_text=_("委员姓名，以顿号分隔（含书记）"))
    term_start = forms.DateField(label=_("本届任期开始"), required=False, widget=forms.DateInput)
    term_end = forms.DateField(label=_("本届任期届满"), required=False, widget=forms.DateInput,
                               help_text=_("不填按村（社区）5年、其他3年计"))
    is_active = forms.BooleanField(label=_("存续"), required=False, initial=True)

    @staticmethod
    def initial_for(org: PartyOrganisation) -> dict:
        keys = ("name", "form", "covered_units", "full_members", "probationary_members", "secretary", "committee",
                "term_start", "term_end", "is_active")
        return {**{k: getattr(org, k) for k in keys}, "unit": org.unit_id, "enterprise": org.enterprise_id,
                "social_organisation": org.social_organisation_id,
                "expected_version": org.version}


class MemberForm(StyledForm):
    name = forms.CharField(label=_("姓名"), max_length=40)
    status = forms.ChoiceField(label=_("党员类别"), choices=MemberStatus.choices)
    joined_on = forms.DateField(label=_("入党日期"), widget=forms.DateInput)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    position = forms.CharField(label=_("党内职务"), max_length=40, required=False, help_text=_("如书记、组织委员；可不填"))


class SocialForm(StyledForm):
    name = forms.CharField(label=_("社会组织名称"), max_length=200)
    code = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    kind = forms.ChoiceField(label=_("类型"), choices=SocialOrganisation.Kind.choices)
    operating = forms.BooleanField(label=_("正常运转"), required=False, initial=True,
                                   help_text=_("停止活动的不计入两新覆盖的分母"))
    instructor = forms.CharField(label=_("党建工作指导员"), max_length=40, required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class TemplateForm(StyledForm):
    name = forms.CharField(label=_("清单名称"), max_length=120)
    year = forms.CharField(label=_("适用年度"))
    total_score = forms.CharField(label=_("总分"), initial="100")
    pass_mark = forms.CharField(label=_("达标分数线"))
    exemplary_mark = forms.CharField(label=_("示范分数线"))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea)
    items = forms.CharField(
        label=_("考评项"), widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("每行一项，以竖线分隔：类别|考评内容|计分方式（达标、扣分、加分）|满分|每次扣（加）分|须上传佐证（是/否）|一票否决（是/否）"))

    def service_data(self) -> dict:
        data = super().service_data()
        items = []
        for line in data["items"].splitlines():
            if not line.strip():
                continue
            cells = [c.strip() for c in line.split("|")] + [""] * 7
            items.append({"dimension": cells[0], "title": cells[1], "rule": RULE_WORDS.get(cells[2], cells[2] or "?"),
                          "max_score": cells[3], "points_each": cells[4] or None,
                          "evidence_required": cells[5].lower() in YES, "veto": cells[6].lower() in YES})
        data["items"] = items
        return data

    @staticmethod
    def lines_of(template) -> str:
        words = {Rule.CHECK: "达标", Rule.DEDUCT: "扣分", Rule.ADD: "加分"}
        return "\n".join(
            f"{i.dimension}|{i.title}|{words[i.rule]}|{i.max_score}|{i.points_each or ''}|"
            f"{'是' if i.evidence_required else '否'}|{'是' if i.veto else '否'}" for i in template.items.all())


class SurveyForm(StyledForm):
    operating = forms.BooleanField(label=_("实际经营"), required=False, initial=True)
    employees = forms.CharField(label=_("从业人员"), required=False)
    instructor = forms.CharField(label=_("党建工作指导员"), max_length=40, required=False)
    instructor_phone = forms.CharField(label=_("指导员电话"), max_length=20, required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class StepForm(forms.Form):
    comment = forms.CharField(required=False)
    expected_version = forms.IntegerField(required=False)
