"""The register's lists, declared once for the page and the .xlsx export."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from yuanqu.core.tables import Column, Table, badge, link

DATE = {"width": 12, "number_format": "yyyy-mm-dd", "td": "text-nowrap small"}
NUM = {"width": 8, "th": "text-end", "td": "text-end"}


class OrganisationTable(Table):
    name = Column(_("党组织"), width=30)
    form = Column(_("组织形式"), "get_form_display", width=10, td="text-nowrap")
    host = Column(_("所在单位"), "host_name", width=24)
    full_members = Column(_("正式党员"), **NUM)
    probationary_members = Column(_("预备党员"), **NUM)
    secretary = Column(_("书记"), width=10)
    term_end = Column(_("任期届满"), "pk", **DATE)
    assessment = Column(_("本年度考评"), "pk", width=12, td="text-nowrap")
    warnings = Column(_("提醒"), "pk", width=50, td="small")

    class Meta(Table.Meta):
        empty_text = _("没有符合条件的党组织。")

    def __init__(self, data, *, thresholds, **kwargs):
        super().__init__(data, **kwargs)
        self.t = thresholds

    def render_name(self, record):
        return link("party:detail", record.pk, record.name)

    def value_term_end(self, record):
        return record.term_end_on(self.t)

    def render_term_end(self, record):
        day = record.term_end_on(self.t)
        return f"{day:%Y-%m-%d}" if day else "—"

    def value_assessment(self, record):
        a = record.this_year[0] if record.this_year else None
        if a is None:
            return "未开展"
        return a.get_result_display() if a.result else a.get_state_display()

    def render_assessment(self, record):
        a = record.this_year[0] if record.this_year else None
        if a is None:
            return "未开展"
        return link("party:assessment", a.pk, self.value_assessment(record))

    def value_warnings(self, record):
        return "；".join(w.text for w in record.found_warnings)

    def render_warnings(self, record):
        return format_html_join("", '<div class="text-danger" data-warning="{}">{}</div>',
                                ((w.code, w.text) for w in record.found_warnings))


class _EditableTable(Table):
    """A table whose rows lead to their edit page for those who may edit them (`may_edit=`)."""

    def __init__(self, data, *, may_edit=False, **kwargs):
        super().__init__(data, **kwargs)
        self.may_edit = may_edit


class MemberTable(_EditableTable):
    name = Column(_("姓名"), width=12)
    status = Column(_("党员类别"), "get_status_display", width=10)
    joined_on = Column(_("入党日期"), **DATE)
    phone = Column(_("联系电话"), width=14)
    position = Column(_("党内职务"), width=14)
    actions = Column(_("操作"), "pk", export=False, td="text-nowrap")

    class Meta(Table.Meta):
        empty_text = _("尚未建立党员名册，党员人数按登记的人数计。")

    def render_actions(self, record):
        if not self.may_edit:
            return ""
        return format_html('<a class="btn btn-link btn-sm p-0" href="{}">修改</a>',
                           reverse("party:member_edit", args=[record.pk]))


class SocialTable(_EditableTable):
    name = Column(_("社会组织"), width=30)
    code = Column(_("统一社会信用代码"), width=20)
    kind = Column(_("类型"), "get_kind_display", width=12)
    operating = Column(_("正常运转"), "pk", width=8)
    organisations = Column(_("党组织数"), **NUM)
    instructor = Column(_("党建工作指导员"), width=12)

    class Meta(Table.Meta):
        empty_text = _("没有登记的社会组织。")

    def value_operating(self, record):
        return "是" if record.operating else "否"

    def render_operating(self, record):
        return self.value_operating(record)

    def render_name(self, record):
        if not self.may_edit:
            return record.name
        return link("party:social_edit", record.pk, record.name)


class AssessmentTable(Table):
    organisation = Column(_("党组织"), width=30)
    host = Column(_("所在单位"), "organisation__host_name", width=24)
    year = Column(_("年度"), width=8)
    template = Column(_("考评清单"), width=24)
    state = Column(_("状态"), "get_state_display", width=8)
    self_score = Column(_("自评得分"), **NUM)
    score = Column(_("评定得分"), **NUM)
    result = Column(_("评定结果"), "get_result_display", width=8)
    vetoed_by = Column(_("否决项"), width=24, page=False)

    class Meta(Table.Meta):
        empty_text = _("没有考评。")

    def render_organisation(self, record):
        return link("party:assessment", record.pk, record.organisation.name)

    def value_organisation(self, record):
        return record.organisation.name

    def value_template(self, record):
        return str(record.template)


class BlankSpotTable(_EditableTable):
    name = Column(_("企业"), width=32)
    liaison_unit = Column(_("挂钩单位"), width=16)
    employees = Column(_("从业人员"), "pk", **NUM)
    instructor = Column(_("党建工作指导员"), "pk", width=14)
    instructor_phone = Column(_("指导员电话"), "pk", width=14)

    class Meta(Table.Meta):
        empty_text = _("没有空白点。")

    @staticmethod
    def _survey(record):
        return getattr(record, "party_survey", None) if hasattr(record, "party_survey") else None

    def render_name(self, record):
        if self.may_edit:
            return link("party:survey", record.pk, record.name)
        return record.name

    def value_liaison_unit(self, record):
        return record.liaison_unit.name if record.liaison_unit_id else ""

    def value_employees(self, record):
        s = self._survey(record)
        return s.employees if s else None

    def value_instructor(self, record):
        s = self._survey(record)
        return s.instructor if s else ""

    def render_instructor(self, record):
        return self.value_instructor(record) or badge("未选派", "warning")

    def value_instructor_phone(self, record):
        s = self._survey(record)
        return s.instructor_phone if s else ""

    render_employees = value_employees
    render_instructor_phone = value_instructor_phone


class StageColumn(Column):
    """One step of the 两委换届: its planned date and whether it was done, on time or late."""

    LABELS = {"done": ("success", "按时完成"), "late": ("warning", "逾期完成"), "overdue": ("danger", "已逾期"),
              "pending": ("secondary", "未到期")}

    def __init__(self, stage, on):
        super().__init__(stage.name, "pk", width=18, td="small text-nowrap")
        self.stage_pk, self.on = stage.pk, on

    def _text(self, record):
        step = record.step_map.get(self.stage_pk)
        if step is None:
            return None, ""
        status = step.status(self.on)
        done = f"，{step.done_on:%Y-%m-%d}完成" if step.done_on else ""
        return status, f"计划{step.planned_on:%Y-%m-%d}{done}"

    def render(self, value, record, table):
        status, text = self._text(record)
        if status is None:
            return "—"
        style, label = self.LABELS[status]
        return format_html('<span class="badge text-bg-{}" data-status="{}">{}</span><br>{}', style, status, label, text)

    def value(self, value, record=None, **kwargs):
        status, text = self._text(record)
        return f"{self.LABELS[status][1]}（{text}）" if status else ""


class ElectionTable(Table):
    """One row per village or community, one column per step (the steps are data)."""

    unit = Column(_("村（社区）"), width=14)
    year = Column(_("换届年度"), width=8)

    class Meta(Table.Meta):
        empty_text = _("没有两委换届安排。")

    def __init__(self, data, *, stages, on, **kwargs):
        for election in data:
            election.step_map = {s.stage_id: s for s in election.steps.all()}
        super().__init__(data, extra_columns=[(f"stage_{s.pk}", StageColumn(s, on)) for s in stages], **kwargs)

    def render_unit(self, record):
        return link("party:election", record.pk, record.unit.name)

    def value_unit(self, record):
        return record.unit.name
