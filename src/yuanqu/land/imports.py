"""Spreadsheet import of parcels (地块), upserted by 地块编号."""

from __future__ import annotations

from yuanqu.core.imports import (
    CellError,
    DateColumn,
    EnumColumn,
    ForeignKeyColumn,
    Importer,
    TextColumn,
    Writes,
    register,
)
from yuanqu.org.models import OrgUnit

from . import services
from .areas import AreaError, parse_area
from .models import LandUse, Parcel


class AreaColumn(TextColumn):
    """面积 as written (亩, 平方米, 公顷; a bare number is 亩). Two writings of the same area are the
    same value, so re-importing "8000平方米" over "12亩" that was computed from it changes nothing."""

    def parse(self, raw, ctx):
        text = super().parse(raw, ctx)
        try:
            parse_area(text)
        except AreaError as exc:
            raise CellError(str(exc)) from None
        return text

    def comparable(self, value):
        try:
            return parse_area(value)
        except AreaError:
            return value

    def allowed(self):
        return "数字加单位：亩、平方米、公顷（如 12.5亩、8000平方米、1.2公顷），只写数字按亩计"


@register
class ParcelImporter(Importer):
    key = "land.parcels"
    title = "地块"
    model = Parcel
    natural_key = "code"
    writes = Writes(target="parcel", create=services.parcel_create, update=services.parcel_update,
                    delete=services.parcel_delete)
    columns = [
        TextColumn("地块编号", "code", required=True, max_length=40, help="唯一，用于匹配已有地块", sample="HM-2026-01"),
        TextColumn("地块名称", "name", required=True, max_length=100, sample="邮轮配套产业园一号地块"),
        TextColumn("位置", "location", max_length=200, sample="滨江大道以北、三和路以东"),
        AreaColumn("面积", "area_text", required=True, max_length=40, sample="120亩"),
        ForeignKeyColumn("规划用途", "planned_use", model=LandUse, lookup=("name",), sample="工业用地"),
        EnumColumn("状态", "status", choices=Parcel.Status.choices, required=True, sample="待供"),
        TextColumn("土地使用权人", "holder", max_length=200, sample="某某船舶配套有限公司"),
        DateColumn("供地日期", "supply_date", sample="2026-03-15"),
        ForeignKeyColumn("主管单位", "unit", model=OrgUnit, lookup=("name", "short_name"), required=True,
                         sample="自然资源和规划局"),
        TextColumn("备注", "note", max_length=1000),
    ]
    notes = "面积按所写单位换算为亩（1 亩 = 666.67 平方米，1 公顷 = 15 亩），原文一并保存。边界（GeoJSON）在地块页或“园区地图”页上传。"

    def check_row(self, plan, ctx):
        values = plan.values
        status = values.get("status", getattr(plan.obj, "status", ""))
        supplied = values.get("supply_date", getattr(plan.obj, "supply_date", None))
        if status in (Parcel.Status.SUPPLIED, Parcel.Status.BUILDING, Parcel.Status.BUILT) and not supplied:
            return [("supply_date", f"状态为“{Parcel.Status(status).label}”的地块须填写供地日期")]
        return []
