"""The indicators' lists, each declared once for its page and its .xlsx export.

Rows are plain dicts built by the views from selectors.Values; the columns that depend on the data
(one per 片区, one per period) are added with django-tables2's `extra_columns`. A missing value — no
counts, or a zero denominator — is “—” on the page and in the export alike.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yuanqu.core.tables import Column, Table, link

from .compute import shown


class ValueColumn(Column):
    """A computed value: right-aligned, “—” when there is none; typed as a number in the export."""

    def __init__(self, header, accessor=None, **kwargs):
        super().__init__(header, accessor, width=kwargs.pop("width", 12), number_format="0.00",
                         th="text-end", td="text-end text-nowrap", **kwargs)

    def render(self, value, record, table, bound_column=None):
        old = record.get("_versions", {}).get(bound_column.name) if bound_column else None
        if old:  # entered under an earlier caliber: the value is explained by that version
            return format_html('{} <sup class="text-warning" title="按口径第{}版计算">旧口径</sup>', shown(value), old)
        return shown(value)

    def value(self, value, **kwargs):
        return "—" if value is None else value


def value_columns(pairs) -> list[tuple[str, Column]]:
    """(key, header) pairs → extra columns reading row[key]."""
    return [(key, ValueColumn(str(header), key)) for key, header in pairs]


class IndicatorTable(Table):
    """The indicator list: each indicator's latest period, its zone value and its 片区' values."""

    code = Column(_("指标代码"), width=14, td="text-nowrap small", page=False)
    name = Column(_("指标"), width=28)
    owner = Column(_("数据主管单位"), width=16, td="text-nowrap small")
    unit = Column(_("单位"), width=8, td="text-nowrap small")
    period = Column(_("最新期间"), width=14, td="text-nowrap")
    zone = ValueColumn(_("园区"))

    class Meta(Table.Meta):
        empty_text = _("没有可查看的指标。")

    def render_name(self, record):
        return link("indicators:detail", record["pk"], record["name"])


class MatrixTable(Table):
    """One indicator over periods: the zone, each 片区, each village or community."""

    place = Column(_("园区/片区/村社区"), width=18)
    level = Column(_("层级"), width=8, td="text-nowrap small text-muted")

    class Meta(Table.Meta):
        empty_text = _("还没有填报的基数。")
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}

    def render_place(self, record):
        if record.get("village_pk"):
            return link("indicators:village", record["village_pk"], record["place"])
        return format_html("<strong>{}</strong>", record["place"])


class VillageTable(Table):
    """A village's indicators over periods, beside its 片区 and the zone in the latest period."""

    name = Column(_("指标"), width=28)
    unit = Column(_("单位"), width=8, td="text-nowrap small")
    enter = Column("", "enter_url", export=False, td="text-nowrap")

    class Meta(Table.Meta):
        empty_text = _("没有可查看的指标。")

    def render_name(self, record):
        return link("indicators:detail", record["pk"], record["name"])

    def render_enter(self, record):
        if not record.get("enter_url"):
            return ""
        return format_html('<a class="btn btn-outline-primary btn-sm" href="{}">填报</a>', record["enter_url"])
