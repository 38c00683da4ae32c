"""The parcel list, declared once for the page and the .xlsx export."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yuanqu.core.tables import Column, Table, link

from .models import STATUS_COLOURS


class ParcelTable(Table):
    code = Column(_("地块编号"), width=16, td="text-nowrap small")
    name = Column(_("地块名称"), width=30)
    location = Column(_("位置"), width=30, page=False)
    area_mu = Column(_("面积（亩）"), width=12, number_format="0.00", th="text-end", td="text-end text-nowrap")
    area_text = Column(_("面积（原文）"), width=14, page=False)
    planned_use = Column(_("规划用途"), width=16, td="text-nowrap")
    status = Column(_("状态"), width=8, td="text-nowrap")
    holder = Column(_("土地使用权人"), width=28)
    supply_date = Column(_("供地日期"), width=12, number_format="yyyy-mm-dd", td="text-nowrap")
    unit = Column(_("主管单位"), width=16, page=False)
    has_geometry = Column(_("已有边界"), "pk", width=10, page_header=_("边界"), td="text-center")

    class Meta(Table.Meta):
        empty_text = _("没有符合条件的地块。")

    def render_name(self, record):
        return link("land:detail", record.pk, record.name)

    def render_status(self, record):
        return format_html('<span class="badge" style="background:{}">{}</span>', STATUS_COLOURS[record.status],
                           record.get_status_display())

    def render_supply_date(self, record):
        return record.supply_date.isoformat() if record.supply_date else ""

    def value_planned_use(self, record):
        return record.planned_use.name if record.planned_use else ""

    def value_unit(self, record):
        return record.unit.name

    def value_status(self, record):
        return record.get_status_display()

    def render_has_geometry(self, record):
        return format_html('<i class="bi bi-{}" title="{}"></i>', *(
            ("check2 text-success", "已上传边界") if record.geometry_present else ("dash text-muted", "无边界")))

    def value_has_geometry(self, record):
        return "是" if record.geometry_present else "否"
