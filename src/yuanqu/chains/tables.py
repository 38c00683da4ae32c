"""A chain's nodes with their gap figures, for the chain page's list and its .xlsx export.
Rows are `selectors.NodeGap`."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yuanqu.core.tables import Column, Table


class NodeGapTable(Table):
    code = Column(_("编码"), "node__code", width=10, td="text-nowrap small text-muted")
    name = Column(_("节点"), "node__name", width=30)
    segment = Column(_("环节"), "node__get_segment_display", width=8, td="text-nowrap")
    enterprises = Column(_("园区企业数"), width=12, th="text-end", td="text-end")
    output = Column(_("年产值（亿元）"), width=14, th="text-end", td="text-end", number_format="0.00")
    status = Column(_("状态"), "status_label", width=8, td="text-nowrap")
    action = Column(_("方向"), width=8, td="text-nowrap")

    class Meta(Table.Meta):
        empty_text = _("这条产业链还没有节点。")
        row_attrs = {"data-node": lambda record: record.node.pk}

    def render_name(self, record, value):
        indent = (record.depth - 1) * 1.25
        return format_html('<a href="#" class="yq-node-link" data-node="{}" style="padding-left:{}rem">{}</a>',
                           record.node.pk, indent, value)

    def render_status(self, record, value):
        return format_html('<span class="badge" style="background:{}">{}</span>', record.colour, value)

    def render_output(self, record, value):
        return f"{value:.2f}" if record.enterprises else "—"

    def value_output(self, record, value):
        return float(value)
