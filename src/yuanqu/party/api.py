"""REST API of the Party register under /api/party/: organisations (with their warnings),
checklists, assessments and their steps, 两新 coverage and its 空白点, 两委换届.

Same rules as the pages: reads from `visible_to(user)` (out of scope → 404), every write through a
service (rights → 403, stale version → 409, bad input or a step out of order → 400 naming the field
in Chinese). Edits and steps need the version the client saw, in the body or as If-Match.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from yuanqu.core import clock
from yuanqu.core.api import (
    ERRORS,
    ID,
    IF_MATCH,
    WRITE_RESPONSES,
    AllowedActions,
    RegisterListViewSet,
    RegisterViewSet,
    create_action,
    in_scope,
    respond_one,
    update_action,
    validated,
    versioned_input,
    workflow_steps,
)
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.ids import IdConverter, parse_id
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.serializers import UnitBriefSerializer

from . import rules, selectors, services
from .models import (
    Action,
    Assessment,
    AssessmentEntry,
    AssessmentEvent,
    ChecklistItem,
    ChecklistTemplate,
    Election,
    ElectionStep,
    Form,
    Member,
    MemberStatus,
    PartyOrganisation,
    Rule,
    SocialOrganisation,
    State,
)

COUNT = {"min_value": -(2**31), "max_value": 2**31 - 1}  # the service refuses a negative count in its words


class BriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label=_("名称"))


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, label=_("代码"))
    text = serializers.CharField(read_only=True, label=_("提醒"))


# ---------------------------------------------------------------- organisations


class OrganisationSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    enterprise = BriefSerializer(read_only=True, allow_null=True)
    social_organisation = BriefSerializer(read_only=True, allow_null=True)
    joint_enterprises = BriefSerializer(many=True, read_only=True)
    form_label = serializers.CharField(source="get_form_display", read_only=True)
    term_end_on = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = PartyOrganisation
        fields = ["id", "name", "form", "form_label", "unit", "enterprise", "social_organisation", "joint_enterprises",
                  "covered_units", "full_members", "probationary_members", "has_roster", "secretary", "committee", "term_start", "term_end",
                  "term_end_on", "is_active", "warnings", "version"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATE)
    def get_term_end_on(self, org):
        return org.term_end_on(rules.thresholds())

    @extend_schema_field(WarningSerializer(many=True))
    def get_warnings(self, org):
        return [{"code": w.code, "text": w.text} for w in org.warnings(clock.today())]


class OrganisationWriteSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("党组织名称"), max_length=120)
    form = serializers.ChoiceField(label=_("组织形式"), choices=Form.choices)
    unit = serializers.IntegerField(label=_("所属单位"), **ID)
    enterprise = serializers.IntegerField(label=_("所在企业"), required=False, allow_null=True, **ID)
    social_organisation = serializers.IntegerField(label=_("所在社会组织"), required=False, allow_null=True, **ID)
    joint_enterprises = serializers.ListField(label=_("联建企业"), child=serializers.IntegerField(**ID), required=False,
                                              max_length=100)
    covered_units = serializers.IntegerField(label=_("覆盖单位数"), required=False, **COUNT)
    full_members = serializers.IntegerField(label=_("正式党员"), required=False, **COUNT)
    probationary_members = serializers.IntegerField(label=_("预备党员"), required=False, **COUNT)
    secretary = serializers.CharField(label=_("书记"), max_length=40, required=False, allow_blank=True)
    committee = serializers.CharField(label=_("委员"), max_length=300, required=False, allow_blank=True)
    term_start = serializers.DateField(label=_("本届任期开始"), required=False, allow_null=True)
    term_end = serializers.DateField(label=_("本届任期届满"), required=False, allow_null=True)
    is_active = serializers.BooleanField(label=_("存续"), required=False)
    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False)


ORG_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="党组织、单位或企业名称中包含的文字"),
    OpenApiParameter("form", OpenApiTypes.STR, enum=Form.values, description="组织形式"),
    OpenApiParameter("unit", OpenApiTypes.INT, description="所属单位 id（含下级）"),
    OpenApiParameter("active", OpenApiTypes.STR, enum=["all"], description="为 all 时含已撤销的"),
]


@extend_schema_view(list=extend_schema(summary="党组织（含组织形式和任期提醒）", parameters=ORG_PARAMETERS),
                    retrieve=extend_schema(summary="党组织", responses={200: OrganisationSerializer, 404: ERRORS[404]}))
class OrganisationViewSet(RegisterViewSet):
    model, serializer_class = PartyOrganisation, OrganisationSerializer
    versioned = False

    def listed(self, user, params):
        return selectors.organisations(user, params, year=clock.today().year).prefetch_related("joint_enterprises")

    def detailed(self, qs):
        return qs.select_related("unit", "enterprise", "social_organisation").prefetch_related("joint_enterprises")

    create = create_action(write=OrganisationWriteSerializer, detail=OrganisationSerializer,
                           run=services.organisation_create, summary="登记党组织（党建办）")
    partial_update = update_action(write=OrganisationWriteSerializer, detail=OrganisationSerializer,
                                   run=services.organisation_update, target="organisation", summary="修改党组织（党建办）")


# ---------------------------------------------------------------- the member roster


class MemberSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "organisation", "name", "status", "status_label", "joined_on", "phone", "position", "version"]
        read_only_fields = fields


class MemberWriteSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(label=_("党组织"), **ID)
    name = serializers.CharField(label=_("姓名"), max_length=40)
    status = serializers.ChoiceField(label=_("党员类别"), choices=MemberStatus.choices)
    joined_on = serializers.DateField(label=_("入党日期"))
    phone = serializers.CharField(label=_("联系电话"), max_length=20, required=False, allow_blank=True)
    position = serializers.CharField(label=_("党内职务"), max_length=40, required=False, allow_blank=True)
    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False)


@extend_schema_view(
    list=extend_schema(summary="党员名册", parameters=[
        OpenApiParameter("organisation", OpenApiTypes.INT, description="党组织 id")]),
    retrieve=extend_schema(summary="党员", responses={200: MemberSerializer, 404: ERRORS[404]}))
class MemberViewSet(RegisterViewSet):
    """An organisation's roster: read as the organisation; kept by the 党建办 and the host unit."""

    model, serializer_class = Member, MemberSerializer
    versioned = False

    def get_queryset(self):
        user = self.request.user
        # Names and phones: the party's readers only, as the roster page (not every role of the unit).
        if getattr(self, "swagger_fake_view", False) or not (user.can("party.read_all")
                                                              or user.can("party.self_assess")):
            return Member.objects.none()
        return super().get_queryset()

    def listed(self, user, params):
        qs = super().listed(user, params)
        org = parse_id(params.get("organisation"))
        return qs.filter(organisation=org) if org else qs

    create = create_action(write=MemberWriteSerializer, detail=MemberSerializer, run=services.member_add,
                           prepare=in_scope(PartyOrganisation, "organisation", "党组织不存在。"), summary="添加党员（党建办、党组织所在单位）")
    partial_update = update_action(write=MemberWriteSerializer, detail=MemberSerializer, run=services.member_update,
                                   target="member", summary="修改党员",
                                   drop=("organisation",))  # a member moves by leaving one roster and joining another

    @extend_schema(summary="移出党员名册", responses={204: None, **ERRORS})
    def destroy(self, request, *args, **kwargs):
        services.member_remove(actor=request.user, member=self.get_object(),
                               reason=str(request.query_params.get("reason") or ""))
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------- social organisations


class SocialSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = SocialOrganisation
        fields = ["id", "name", "code", "kind", "kind_label", "operating", "instructor", "note", "version"]
        read_only_fields = fields


class SocialWriteSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("社会组织名称"), max_length=200)
    code = serializers.CharField(label=_("统一社会信用代码"), max_length=18)
    kind = serializers.ChoiceField(label=_("类型"), choices=SocialOrganisation.Kind.choices)
    operating = serializers.BooleanField(label=_("正常运转"), required=False)
    instructor = serializers.CharField(label=_("党建工作指导员"), max_length=40, required=False, allow_blank=True)
    note = serializers.CharField(label=_("备注"), max_length=300, required=False, allow_blank=True)
    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False)


@extend_schema_view(list=extend_schema(summary="社会组织（两新覆盖的另一半）"),
                    retrieve=extend_schema(summary="社会组织", responses={200: SocialSerializer, 404: ERRORS[404]}))
class SocialViewSet(RegisterViewSet):
    model, serializer_class = SocialOrganisation, SocialSerializer
    versioned = False

    create = create_action(write=SocialWriteSerializer, detail=SocialSerializer, run=services.social_create,
                           summary="登记社会组织（党建办）")
    partial_update = update_action(write=SocialWriteSerializer, detail=SocialSerializer, run=services.social_update,
                                   target="social", summary="修改社会组织（党建办）")


# ---------------------------------------------------------------- checklists


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "order", "dimension", "title", "rule", "max_score", "points_each", "evidence_required", "veto"]
        read_only_fields = fields


class TemplateSerializer(serializers.ModelSerializer):
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "name", "version", "year", "total_score", "pass_mark", "exemplary_mark", "note", "items"]
        read_only_fields = fields


class ItemWriteSerializer(serializers.Serializer):
    dimension = serializers.CharField(label=_("类别"), max_length=40, required=False, allow_blank=True)
    title = serializers.CharField(label=_("考评内容"), max_length=300)
    rule = serializers.ChoiceField(label=_("计分方式"), choices=Rule.choices)
    max_score = serializers.DecimalField(label=_("满分"), max_digits=6, decimal_places=1)
    points_each = serializers.DecimalField(label=_("每次扣（加）分"), max_digits=6, decimal_places=1, required=False,
                                           allow_null=True)
    evidence_required = serializers.BooleanField(label=_("须上传佐证"), required=False)
    veto = serializers.BooleanField(label=_("一票否决"), required=False)


class TemplateWriteSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("清单名称"), max_length=120)
    year = serializers.IntegerField(label=_("适用年度"), min_value=2000, max_value=2100)
    total_score = serializers.DecimalField(label=_("总分"), max_digits=6, decimal_places=1, required=False)
    pass_mark = serializers.DecimalField(label=_("达标分数线"), max_digits=6, decimal_places=1)
    exemplary_mark = serializers.DecimalField(label=_("示范分数线"), max_digits=6, decimal_places=1)
    note = serializers.CharField(label=_("说明"), required=False, allow_blank=True, max_length=5000)
    items = ItemWriteSerializer(label=_("考评项"), many=True)


@extend_schema_view(list=extend_schema(summary="考评清单（各版本）"),
                    retrieve=extend_schema(summary="考评清单", responses={200: TemplateSerializer, 404: ERRORS[404]}))
class TemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = IdConverter.regex
    serializer_class = TemplateSerializer
    filter_backends = []

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not (user.can("party.read_all") or user.can("party.self_assess")):
            return ChecklistTemplate.objects.none()
        return ChecklistTemplate.objects.prefetch_related("items")

    @extend_schema(summary="制定考评清单（党建办；同名为新版本）", request=TemplateWriteSerializer,
                   responses={201: TemplateSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        if not services.may_manage(request.user):
            raise PermissionDeniedError("只有党建办可以制定考评清单。")
        data = validated(TemplateWriteSerializer(data=request.data))
        template = services.template_create(actor=request.user, data=data)
        return respond_one(self, template.pk, TemplateSerializer, status.HTTP_201_CREATED, versioned=False)


# ---------------------------------------------------------------- assessments


class EntrySerializer(serializers.ModelSerializer):
    item = ChecklistItemSerializer(read_only=True)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentEntry
        fields = ["id", "item", "self_value", "review_value", "note", "evidence"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_evidence(self, entry) -> list[str]:
        return [e.name for e in entry.evidence.all()]


class AssessmentEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentEvent
        fields = ["id", "action", "from_state", "to_state", "time", "comment"]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):
    organisation = BriefSerializer(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    result_label = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "organisation", "year", "template", "state", "state_label", "self_score", "score", "result",
                  "result_label", "vetoed_by", "reviewed_on", "version"]
        read_only_fields = fields


class AssessmentDetailSerializer(AssessmentSerializer):
    entries = EntrySerializer(many=True, read_only=True)
    events = AssessmentEventSerializer(many=True, read_only=True)
    allowed_actions = AllowedActions(services.allowed_actions)

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "entries", "events", "allowed_actions"]
        read_only_fields = fields


class StartSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(label=_("党组织"), **ID)
    year = serializers.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


class ScoresSerializer(serializers.Serializer):
    values = serializers.DictField(label=_("各项填报值"), child=serializers.DecimalField(
        max_digits=6, decimal_places=1, allow_null=True), help_text=_("键为考评项 id；达标项 1/0，扣分、加分项为次数"))
    notes = serializers.DictField(label=_("各项说明"), child=serializers.CharField(allow_blank=True, max_length=500),
                                  required=False)
    review = serializers.BooleanField(label=_("审核分"), required=False, help_text=_("true 为党建办的审核分"))
    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False)


class AssessmentStepSerializer(serializers.Serializer):
    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False)
    comment = serializers.CharField(label=_("说明"), required=False, allow_blank=True, max_length=5000,
                                    help_text=_("退回时为退回理由（必填）"))


ASSESSMENT_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="年度"),
    OpenApiParameter("state", OpenApiTypes.STR, enum=State.values, description="状态"),
    OpenApiParameter("organisation", OpenApiTypes.INT, description="党组织 id"),
]
STEP_SUMMARIES = {Action.SUBMIT: "提交自评（本单位；须佐证的项已上传）", Action.RETURN: "退回自评（党建办；须填写理由）",
                  Action.REVIEW: "审核评定（党建办；按审核分，未填审核分的项按自评分）"}


_step = workflow_steps(summaries=STEP_SUMMARIES, run=services.assessment_step, target="assessment",
                      request=AssessmentStepSerializer, response=AssessmentDetailSerializer)


@extend_schema_view(list=extend_schema(summary="规范化考评", parameters=ASSESSMENT_PARAMETERS),
                    retrieve=extend_schema(summary="规范化考评（含各项、过程和可执行的操作）",
                                           responses={200: AssessmentDetailSerializer, 404: ERRORS[404]}))
class AssessmentViewSet(RegisterViewSet):
    model, serializer_class, detail_serializer = Assessment, AssessmentSerializer, AssessmentDetailSerializer
    versioned = False

    def listed(self, user, params):
        qs = Assessment.objects.visible_to(user).select_related("organisation")
        if str(params.get("year") or "").isdigit():
            qs = qs.filter(year=int(params["year"]))
        if params.get("state") in State.values:
            qs = qs.filter(state=params["state"])
        if str(params.get("organisation") or "").isdigit():
            qs = qs.filter(organisation=int(params["organisation"]))
        return qs

    def detailed(self, qs):
        return qs.select_related("organisation").prefetch_related(
            Prefetch("entries", queryset=AssessmentEntry.objects.select_related("item").prefetch_related("evidence")
                     .order_by("item__order")),
            Prefetch("events", queryset=AssessmentEvent.objects.order_by("time", "id")))

    @extend_schema(summary="开展年度考评（本单位或党建办；按该年度考评清单）", request=StartSerializer,
                   responses={201: AssessmentDetailSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        data = validated(StartSerializer(data=request.data))
        org = PartyOrganisation.objects.visible_to(request.user).filter(pk=data["organisation"]).first()
        if org is None:
            raise ApplicationError(f"党组织“{data['organisation']}”不存在。", field="organisation")
        item = services.assessment_start(actor=request.user, organisation=org,
                                         year=data.get("year") or clock.today().year)
        return self.respond(item.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="填报自评分或审核分", request=ScoresSerializer, parameters=[IF_MATCH],
                   responses={200: AssessmentDetailSerializer, **WRITE_RESPONSES})
    @action(detail=True, methods=["post"], url_path="scores", url_name="scores")
    def scores(self, request, pk=None):
        item = self.get_object()
        data, version = versioned_input(request, ScoresSerializer(data=request.data), required=True)
        services.assessment_score(actor=request.user, assessment=item, values=data["values"],
                                  notes=data.get("notes"), review=data.get("review", False), expected_version=version)
        return self.respond(item.pk)

    submit = _step(Action.SUBMIT)
    return_ = _step(Action.RETURN, "return_")
    review = _step(Action.REVIEW)


# ---------------------------------------------------------------- 两新 coverage


class CoverageSerializer(serializers.Serializer):
    operating = serializers.IntegerField(label=_("实际经营企业（分母）"))
    own = serializers.IntegerField(label=_("单独组建"))
    joint = serializers.IntegerField(label=_("联合组建"))
    instructed = serializers.IntegerField(label=_("未建党组织但已选派党建工作指导员"))
    blank = serializers.IntegerField(label=_("空白点"))
    organisation_rate = serializers.DecimalField(label=_("组织覆盖率"), max_digits=5, decimal_places=1, allow_null=True)
    own_rate = serializers.DecimalField(label=_("单独组建率"), max_digits=5, decimal_places=1, allow_null=True)
    work_rate = serializers.DecimalField(label=_("工作覆盖率"), max_digits=5, decimal_places=1, allow_null=True)
    denominator = serializers.CharField(label=_("分母口径"))


class CoverageResponseSerializer(CoverageSerializer):
    social = CoverageSerializer(label=_("正常运转的社会组织"))
    total = CoverageSerializer(label=_("非公企业和社会组织合计（数量相加后计算比率）"))


def _coverage_data(c, denominator: str) -> dict:
    return {"operating": c.operating, "own": c.own, "joint": c.joint, "instructed": c.instructed, "blank": c.blank,
            "organisation_rate": c.organisation_rate, "own_rate": c.own_rate, "work_rate": c.work_rate,
            "denominator": denominator}


SCALE = OpenApiParameter("scale", OpenApiTypes.STR, enum=["above"], description="为 above 时只计规上企业")
DENOMINATOR = "企业名录中的企业，除两新调查中标注为非实际经营（空壳、僵尸企业）的"
SOCIAL_DENOMINATOR = "社会组织名录中正常运转的社会组织"


class CoverageView(APIView):
    @extend_schema(summary="两新覆盖：组织覆盖率、单独组建率、工作覆盖率及其分母",
                   parameters=[SCALE], responses={200: CoverageResponseSerializer, 403: ERRORS[403]})
    def get(self, request):
        if not request.user.can("party.read_all"):
            raise PermissionDeniedError("只有党建办、领导和督查室可以查看两新覆盖。")
        scale = request.query_params.get("scale") or ""
        scale = scale if scale in selectors.SCALES else ""
        c, social = selectors.coverage(scale), selectors.social_coverage()
        # The top level stays the enterprises' figures; the social organisations and the sum beside them.
        return Response(CoverageResponseSerializer({
            **_coverage_data(c, f"{selectors.SCALES[scale]}：{DENOMINATOR}"),
            "social": _coverage_data(social, SOCIAL_DENOMINATOR),
            "total": _coverage_data(c + social, f"{selectors.SCALES[scale]}加{SOCIAL_DENOMINATOR}")}).data)


class BlankSpotSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label=_("企业"))
    instructor = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_instructor(self, enterprise) -> str:
        survey = getattr(enterprise, "party_survey", None) if hasattr(enterprise, "party_survey") else None
        return survey.instructor if survey else ""


@extend_schema_view(list=extend_schema(summary="空白点：尚未建立党组织的实际经营企业及其党建工作指导员", parameters=[
    OpenApiParameter("q", OpenApiTypes.STR, description="企业名称中包含的文字"), SCALE,
    OpenApiParameter("instructor", OpenApiTypes.STR, enum=["none"], description="为 none 时只看未选派指导员的")]))
class BlankSpotViewSet(RegisterListViewSet):
    model, serializer_class = Enterprise, BlankSpotSerializer

    def listed(self, user, params):
        return selectors.blank_spots(params) if user.can("party.read_all") else Enterprise.objects.none()


# ---------------------------------------------------------------- 两委换届


class StepRowSerializer(serializers.ModelSerializer):
    stage = serializers.CharField(source="stage.name", read_only=True, label=_("步骤"))
    status = serializers.SerializerMethodField()

    class Meta:
        model = ElectionStep
        fields = ["id", "stage", "planned_on", "done_on", "status"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=list(ElectionStep.STATUS_LABELS)))
    def get_status(self, step) -> str:
        return step.status(clock.today())


class ElectionSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    steps = StepRowSerializer(many=True, read_only=True)

    class Meta:
        model = Election
        fields = ["id", "unit", "year", "note", "steps", "version"]
        read_only_fields = fields


class StepDoneSerializer(serializers.Serializer):
    step = serializers.IntegerField(label=_("步骤记录"), **ID)
    done_on = serializers.DateField(label=_("完成日期"), allow_null=True)


@extend_schema_view(list=extend_schema(summary="两委换届", parameters=[
    OpenApiParameter("year", OpenApiTypes.INT, description="换届年度")]),
    retrieve=extend_schema(summary="两委换届", responses={200: ElectionSerializer, 404: ERRORS[404]}))
class ElectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = IdConverter.regex
    serializer_class = ElectionSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Election.objects.none()
        raw = str(self.request.query_params.get("year") or "")
        return selectors.elections(self.request.user, year=int(raw) if raw.isdigit() else None)

    @extend_schema(summary="报告换届步骤完成（本村社区或党建办；done_on 为空即撤回）", request=StepDoneSerializer,
                   responses={200: ElectionSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="done", url_name="done")
    def done(self, request, pk=None):
        election = self.get_object()
        data = validated(StepDoneSerializer(data=request.data))
        step = election.steps.filter(pk=data["step"]).first()
        if step is None:
            raise ApplicationError(f"步骤记录“{data['step']}”不属于该换届。", field="step")
        services.election_step_done(actor=request.user, step=step, done_on=data["done_on"])
        return respond_one(self, election.pk, ElectionSerializer)
