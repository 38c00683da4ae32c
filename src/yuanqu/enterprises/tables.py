"""The enterprise list, declared once for the page and the .xlsx export."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from yuanqu.core.tables import Column, Table, link


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
        return link("enterprises:detail", record.pk, record.name)

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


MOVES = {"up": "↑", "down": "↓", "same": "=", "new": "新", "changed": "→"}


class MujunResultTable(Table):
    """A run's results, declared once for the run page and the per-class export. `run` gives the
    movement against the previous run, `policies` (class → policies) the export's policy column."""

    name = Column(_("企业名称"), "enterprise__name", width=32)
    credit_code = Column(_("统一社会信用代码"), "enterprise__credit_code", width=22,
                         td="text-nowrap small font-monospace")
    pool = Column(_("评价组"), width=10, td="text-nowrap")
    total = Column(_("综合得分"), width=10, number_format="0.0000", th="text-end", td="text-end text-nowrap")
    place = Column(_("组内名次"), width=8, th="text-end", td="text-end")
    class_key = Column(_("类别"), width=8, td="text-nowrap")
    previous_class = Column(_("上次类别"), width=8, td="text-nowrap")
    reason = Column(_("不参评或否决原因"), width=24)
    liaison_unit = Column(_("挂钩单位"), "enterprise__liaison_unit", width=16, td="text-nowrap")
    policies = Column(_("适用政策"), "pk", width=60, page=False)

    class Meta(Table.Meta):
        empty_text = _("没有符合条件的评价结果。")

    def __init__(self, *args, run=None, policies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run
        self.policies = policies or {}

    def render_name(self, record):
        return link("enterprises:mujun_result", record.pk, record.enterprise.name)

    def render_total(self, record):
        return "—" if record.total is None else record.total.normalize()

    def render_place(self, record):
        return record.place or "—"

    def render_class_key(self, record):
        return format_html('<span class="badge text-bg-{}" title="{}">{}</span>',
                           CLASS_COLOURS.get(record.class_key, "secondary"), record.class_label, record.class_key)

    def value_class_key(self, record):
        return f"{record.class_key} {record.class_label}"

    def render_previous_class(self, record):
        from .mujun_selectors import movement

        move = movement(self.run, record) if self.run else ""
        return f"{record.previous_class or '—'} {MOVES.get(move, '')}".strip()

    def render_reason(self, record):
        return record.reason or ""

    def render_liaison_unit(self, record):
        unit = record.enterprise.liaison_unit
        return unit.name if unit else "—"

    def value_liaison_unit(self, record):
        unit = record.enterprise.liaison_unit
        return unit.name if unit else ""

    def value_policies(self, record):
        return "；".join(f"{p.get_kind_display()}：{p.text}" for p in self.policies.get(record.class_key, []))


CLASS_COLOURS = {"A": "success", "B": "primary", "C": "warning", "D": "danger"}
