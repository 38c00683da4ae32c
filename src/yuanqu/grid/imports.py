"""Spreadsheet import of grid events: another system's export (the 12345 hotline's tickets, a video
platform's alarms) by its ticket number (来源单号). Each event is reported when the file says,
accepted, and dispatched at the import to the unit the file names or by the routing rules, so its
time limits run like any dispatched event's. An event once imported is not changed by a later
file: the same row again is left alone, a changed one is refused."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

from yuanqu.core.errors import ApplicationError
from yuanqu.core.imports import (
    CellError,
    DecimalColumn,
    EnumColumn,
    ForeignKeyColumn,
    Importer,
    TextColumn,
    register,
)
from yuanqu.core.imports.columns import EXCEL_EPOCH, text_of
from yuanqu.org.models import OrgUnit

from . import services
from .models import EventCategory, Grid, GridEvent, Severity, Source

_MOMENT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                     r"(?:[ T]+(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}(?:\.\d+)?))?\s*秒?)?$")


@dataclass
class MomentColumn(TextColumn):
    """A date and time (2026-03-02 14:30, 2026/3/2 14:30:05, 2026年3月2日 14时30分, an Excel
    date-time); a date alone is its midnight. Local time, the zone's."""

    type_label = "日期时间"

    def parse(self, raw, ctx):
        if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 2958466:
            naive = dt.datetime.combine(EXCEL_EPOCH, dt.time()) + dt.timedelta(days=raw)
            return timezone.make_aware(naive.replace(microsecond=0))
        text = text_of(raw)
        match = _MOMENT.match(text)
        if match:
            year, month, day, hour, minute, second = match.groups()
            try:
                naive = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                                    int(float(second or 0)))
            except ValueError:
                naive = None
            if naive is not None:
                return timezone.make_aware(naive)
        raise CellError(f"“{text}”不是日期时间（例如 2026-03-02 14:30）")

    def display(self, value):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if isinstance(value, dt.datetime) else super().display(value)

    def allowed(self):
        return "2026-03-02 14:30、2026/3/2 14:30:05、2026年3月2日 或 Excel 日期时间"


@dataclass
class ActiveColumn(ForeignKeyColumn):
    """A grid or category in use: one switched off is not offered (nor found)."""

    def candidates(self):
        for obj in self.model._default_manager.filter(is_active=True):
            for name in self.lookup:
                yield text_of(getattr(obj, name, "")), obj


@register
class EventImporter(Importer):
    key = "grid.events"
    title = "网格事件"
    model = GridEvent
    natural_key = "source_number"
    ability = "grid.manage"  # besides the administrators: the command centre loads the hotline's tickets
    columns = [
        TextColumn("来源单号", "source_number", required=True, max_length=40,
                   help="来源系统的工单编号（如12345工单号），唯一，用于识别已导入的事件", sample="12345-20260302-0001"),
        EnumColumn("来源", "source", choices=Source.choices, help="不填为12345热线", sample="12345热线"),
        ActiveColumn("事件类别", "category", model=EventCategory, lookup=("name", "code"), required=True,
                     sample="道路设施损坏"),
        ActiveColumn("网格", "grid", model=Grid, lookup=("code", "name"), required=True, help="网格编码或名称",
                     sample="SN-01"),
        EnumColumn("紧急程度", "severity", choices=Severity.choices, help="不填为一般", sample="一般"),
        TextColumn("事件描述", "description", required=True, max_length=5000, sample="三南村村委会东侧路面塌陷"),
        TextColumn("地址", "address", max_length=200, sample="三南村村委会东100米"),
        MomentColumn("上报时间", "reported_at", required=True, sample="2026-03-02 14:30"),
        DecimalColumn("纬度", "latitude"),
        DecimalColumn("经度", "longitude"),
        ForeignKeyColumn("承办单位", "assigned_unit", model=OrgUnit, lookup=("name", "short_name"),
                         help="不填则按分拨规则分拨；没有规则的事件待指挥中心分拨"),
    ]
    notes = ("导入的事件按“上报时间”记为上报，随即受理，并在导入时分拨给“承办单位”（不填则按分拨规则），"
             "处置时限从导入时起算。没有分拨规则又未填承办单位的事件为“待分拨”，由网格指挥中心分拨。"
             "已导入的事件（按来源单号）不会被再次导入修改。")

    def check_row(self, plan, ctx):
        values = plan.values
        errors = []
        reported = values.get("reported_at")
        if reported is not None and reported > services.now():
            errors.append(("reported_at", f"上报时间（{self.column('reported_at').display(reported)}）晚于当前时间"))
        for name, label, bound in (("latitude", "纬度", 90), ("longitude", "经度", 180)):
            value = values.get(name)
            if value is not None and not -bound <= value <= bound:
                errors.append((name, f"{label}“{value}”超出范围（-{bound}～{bound}）"))
        if ("latitude" in values) != ("longitude" in values):
            errors.append(("longitude" if "latitude" in values else "latitude", "位置须同时有经度和纬度"))
        unit, category = values.get("assigned_unit"), values.get("category")
        if isinstance(unit, OrgUnit) and category is not None:
            try:
                services.check_not_excluded(category, unit, listed=ctx.memo("negative", _negative_list))
            except ApplicationError as exc:
                errors.append(("assigned_unit", exc.message.rstrip("。")))
        return errors

    def check_rows(self, plans, ctx):
        # An imported event lives on in its own lifecycle: a later file does not rewrite it.
        return [(p, p.changed[0], f"来源单号“{p.key}”已导入为事件{p.obj.number}，导入不修改已有事件")
                for p in plans if p.changed]

    def create(self, *, actor, values):
        return services.event_import(actor=actor, data=values)

    def create_many(self, *, actor, rows):
        from yuanqu.core.services import one_by_one

        # The rules and limits are read once for the file.
        deadlines = services.Deadlines()
        rules = list(services.RoutingRule.objects.select_related("area", "unit").prefetch_related("co_units"))
        moment = services.now()
        return one_by_one(rows, lambda values: services.event_import(
            actor=actor, data=values, at=moment, deadlines=deadlines, rules=rules))

    def update(self, *, actor, obj, values):
        raise ApplicationError(f"事件{obj.number}已导入，导入不修改已有事件。", field="source_number")

    def restore(self, *, actor, obj, before):
        """The batch's own updates are the 受理 and 分拨 of events it created: nothing to put back,
        the events go with their creation's undo."""

    def undo_create(self, *, actor, obj):
        services.event_delete(actor=actor, event=obj)


def _negative_list() -> dict:
    return {c.pk: c for c in EventCategory.objects.filter(negative_list=True)}
