"""The enterprise list, declared once for the page and the .xlsx export."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from yuanqu.core.tables import Column, Table


class EnterpriseTable(Table):
    name = Column(_("企业名称"), width=32)
    credit_code = Column(_("统一社会信用代码"), width=22, td="text-nowrap small font-monospace")
    industry = Column(_("行业"), width=28)
    scale = Column(_("规模"), "pk", width=8, td="text-nowrap")
    above_scale_since = Column(_("纳入规上日期"), width=12, number_format="yyyy-mm-dd", page=False)
    land_mu = Column(_("用地（亩）"), width=10, number_format="0.00", th="text-end", td="text-end text-nowrap")
    liaison_unit = Column(_("挂钩单位"), width=16, td="text-nowrap")
    liaison_leader = Column(_("挂钩领导"), width=12, page=False)
    tags = Column(_("标签"), "pk", width=30)
    registered_on = Column(_("注册日期"), width=12, number_format="yyyy-mm-dd", page=False)
    production_on = Column(_("投产日期"), width=12, number_format="yyyy-mm-dd", page=False)
    address = Column(_("地址"), width=30, page=False)

    class Meta(Table.Meta):
        empty_text = _("没有符合条件的企业。")

    def render_name(self, record):
        return format_html('<a href="{}">{}</a>', reverse("enterprises:detail", args=[record.pk]), record.name)

    def render_industry(self, record):
        return str(record.industry) if record.industry else "—"

    def value_industry(self, record):
        return str(record.industry) if record.industry else ""

    def render_scale(self, record):
        return format_html('<span class="badge text-bg-{}">{}</span>',
                           "primary" if record.above_scale_since else "secondary", record.get_scale_display())

    def value_scale(self, record):
        return record.get_scale_display()

    def render_land_mu(self, record):
        return record.land_mu if record.land_mu is not None else "—"

    def value_liaison_unit(self, record):
        return record.liaison_unit.name if record.liaison_unit else ""

    def render_liaison_unit(self, record):
        return record.liaison_unit.name if record.liaison_unit else "—"

    def value_liaison_leader(self, record):
        return str(record.liaison_leader) if record.liaison_leader else ""

    def render_tags(self, record):
        return format_html_join(" ", '<span class="badge text-bg-light border">{}</span>',
                                ((t.name,) for t in record.tags.all()))

    def value_tags(self, record):
        return "、".join(t.name for t in record.tags.all())
