"""The inspection, hazard and revisit lists, declared once for the page and the .xlsx export."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yuanqu.core.tables import Column, DatedTable, Table, badge, link

DATE = {"width": 12, "number_format": "yyyy-mm-dd", "td": "text-nowrap small"}


class InspectionTable(Table):
    inspected_on = Column(_("检查日期"), **DATE)
    domain = Column(_("类别"), "get_domain_display", width=10, td="text-nowrap")
    place = Column(_("被检查企业/地点"), "pk", width=36)
    inspecting_unit = Column(_("检查单位"), width=18)
    inspectors = Column(_("检查人员"), width=16)
    findings = Column(_("检查情况"), width=50, page=False)
    hazard_count = Column(_("隐患数"), width=8, th="text-end", td="text-end")

    class Meta(Table.Meta):
        empty_text = _("没有检查记录。")

    def render_place(self, record):
        return link("inspections:inspection", record.pk, record.place)

    def value_place(self, record):
        return record.place

    def value_inspecting_unit(self, record):
        return record.inspecting_unit.name


class HazardTable(DatedTable):
    number = Column(_("编号"), "pk", width=8, td="text-nowrap small")
    place = Column(_("被检查企业/地点"), "pk", width=28)
    domain = Column(_("类别"), "pk", width=10, td="text-nowrap")
    description = Column(_("隐患（问题）"), width=50)
    level = Column(_("等级"), "get_level_display", width=6, td="text-nowrap")
    responsible_unit = Column(_("责任单位"), width=16)
    inspected_on = Column(_("检查日期"), "pk", **DATE)
    deadline = Column(_("整改期限"), **DATE)
    rectified_on = Column(_("整改完成日期"), page=False, **DATE)
    closed_on = Column(_("销号日期"), page=False, **DATE)
    state = Column(_("状态"), "get_state_display", width=10, td="text-nowrap")
    overdue = Column(_("逾期"), "pk", width=6, td="text-nowrap")

    class Meta(Table.Meta):
        empty_text = _("没有符合条件的隐患。")

    def render_number(self, record):
        return format_html('<a href="{}">#{}</a>', reverse("inspections:hazard", args=[record.pk]), record.pk)

    def render_place(self, record):
        return record.inspection.place

    def render_domain(self, record):
        return record.inspection.get_domain_display()

    def render_description(self, record):
        text = record.description if len(record.description) <= 40 else record.description[:40] + "…"
        return link("inspections:hazard", record.pk, text)

    def render_level(self, record):
        if record.level == "major":
            return badge(record.get_level_display())
        return record.get_level_display()

    def render_inspected_on(self, record):
        return f"{record.inspection.inspected_on:%Y-%m-%d}"

    def value_place(self, record):
        return record.inspection.place

    def value_domain(self, record):
        return str(record.inspection.get_domain_display())

    def value_inspected_on(self, record):
        return record.inspection.inspected_on

    def value_responsible_unit(self, record):
        return record.responsible_unit.name


class RevisitTable(Table):
    due_on = Column(_("计划日期"), **DATE)
    round = Column(_("第几次"), width=8)
    place = Column(_("企业/地点"), "pk", width=30)
    hazard = Column(_("原隐患"), width=50)
    responsible_unit = Column(_("责任单位"), "pk", width=16)

    class Meta(Table.Meta):
        empty_text = _("近期没有需要回头看的点位。")

    def render_place(self, record):
        return record.hazard.inspection.place

    def value_place(self, record):
        return record.hazard.inspection.place

    def render_hazard(self, record):
        return format_html('<a href="{}">#{} {}</a>', reverse("inspections:hazard", args=[record.hazard_id]),
                           record.hazard_id, record.hazard.description[:40])

    def value_hazard(self, record):
        return record.hazard.description

    def render_responsible_unit(self, record):
        return record.hazard.responsible_unit.name

    def value_responsible_unit(self, record):
        return record.hazard.responsible_unit.name
