"""Importing parcels: areas in any unit, enums, dates named by row and column, duplicates, re-import, revert."""

import io
from decimal import Decimal

from python_calamine import CalamineWorkbook

from yuanqu.core.imports.services import import_revert
from yuanqu.core.models import ChangeRecord, ImportBatch
from yuanqu.land.models import Parcel

from ..org.import_helpers import assert_errors, preview, run

HEADER = ["地块编号", "地块名称", "位置", "面积", "规划用途", "状态", "土地使用权人", "供地日期", "主管单位", "备注"]
ROWS = [
    HEADER,
    ["HM-01", "邮轮配套一号地块", "滨江大道北", "8000平方米", "工业用地", "已供", "某邮轮配套公司", "2026-03-15", "资规局", ""],
    ["HM-02", "二号地块", "", "1.2公顷", "仓储用地", "储备", "", "", "自然资源和规划局", ""],
    ["HM-03", "三号地块", "", 45.5, "", "低效", "某纺织厂", "2019/6/1", "资规局", "停产"],
]


def test_parcels_are_created_with_areas_converted_and_the_text_kept(users, land_unit):
    batch = run(users["admin"], "land.parcels", ROWS)
    assert (batch.status, batch.created_count) == (ImportBatch.Status.APPLIED, 3)
    got = {p.code: p for p in Parcel.objects.select_related("planned_use", "unit")}
    assert (got["HM-01"].area_mu, got["HM-01"].area_text) == (Decimal("12.00"), "8000平方米")
    assert (got["HM-02"].area_mu, got["HM-02"].area_text) == (Decimal("18.00"), "1.2公顷")
    assert (got["HM-03"].area_mu, got["HM-03"].area_text) == (Decimal("45.50"), "45.5")
    assert got["HM-01"].planned_use.name == "工业用地" and got["HM-03"].planned_use is None
    assert {p.unit for p in got.values()} == {land_unit}
    assert str(got["HM-03"].supply_date) == "2019-06-01" and got["HM-03"].status == "inefficient"


def test_the_same_file_again_changes_nothing_even_with_the_area_written_another_way(users, land_unit):
    run(users["admin"], "land.parcels", ROWS)
    count = ChangeRecord.objects.count()
    same = [row[:] for row in ROWS]
    same[1][3] = "12亩"  # 8000平方米 is 12.00 亩: the same area
    again = run(users["admin"], "land.parcels", same)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert ChangeRecord.objects.count() == count
    assert set(Parcel.objects.values_list("version", flat=True)) == {1}


def test_a_changed_row_updates_only_what_changed_and_revert_puts_it_back(users, land_unit):
    run(users["admin"], "land.parcels", ROWS)
    changed = [row[:] for row in ROWS]
    changed[2][5] = "待供"
    changed[2][3] = "20亩"
    batch = run(users["admin"], "land.parcels", changed)
    assert (batch.updated_count, batch.unchanged_count) == (1, 2)
    parcel = Parcel.objects.get(code="HM-02")
    assert (parcel.status, parcel.area_mu, parcel.area_text, parcel.version) == ("pending", Decimal("20.00"), "20亩", 2)
    import_revert(actor=users["admin"], batch=batch)
    parcel.refresh_from_db()
    assert (parcel.status, parcel.area_mu, parcel.area_text) == ("reserve", Decimal("18.00"), "1.2公顷")


def test_every_bad_cell_is_named_by_row_and_column_and_nothing_is_written(users, land_unit):
    rows = [
        HEADER,
        ["HM-01", "一号", "", "8000平方尺", "工业用地", "已供", "", "2026-03-01", "资规局", ""],
        ["HM-02", "二号", "", "10亩", "菜地", "储备", "", "", "资规局", ""],
        ["HM-03", "三号", "", "10亩", "", "出让", "", "", "资规局", ""],
        ["HM-04", "四号", "", "10亩", "", "已供", "", "2026-13-01", "资规局", ""],
        ["HM-05", "五号", "", "10亩", "", "在建", "", "", "资规局", ""],
        ["HM-06", "六号", "", "10亩", "", "储备", "", "", "国土局", ""],
        ["HM-06", "六号重复", "", "10亩", "", "储备", "", "", "资规局", ""],
    ]
    batch = preview(users["admin"], "land.parcels", rows)
    errors = batch.errors
    assert_errors(errors,
                  "第2行「面积」：“8000平方尺”不是面积…",
                  "第3行「规划用途」：未找到规划用途“菜地”…",
                  "第4行「状态」：“出让”不是可选值（可选：储备、待供、已供…",
                  "第5行「供地日期」：“2026-13-01”不是日期（例如 2026-01-05）",
                  "第6行「供地日期」：状态为“在建”的地块须填写供地日期",
                  "第7行「主管单位」：未找到单位“国土局”…",
                  "第7行「地块编号」：“HM-06”与第8行重复…")
    assert not Parcel.objects.exists()


def test_the_template_lists_the_columns_and_the_status_choices(client, users):
    client.force_login(users["admin"])
    response = client.get("/imports/land.parcels/template.xlsx")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    header = book.get_sheet_by_index(0).to_python()[0]
    assert header[: len(HEADER)] == HEADER


def test_revert_removes_created_parcels_and_restores_a_changed_use_and_unit(users, land_unit, units):
    created = run(users["admin"], "land.parcels", ROWS)
    changed = [row[:] for row in ROWS[:2]]
    changed[1][4], changed[1][8] = "物流用地", "农业农村局"
    batch = run(users["admin"], "land.parcels", changed)
    parcel = Parcel.objects.select_related("planned_use").get(code="HM-01")
    assert (parcel.planned_use.name, parcel.unit) == ("物流用地", units["agri"])
    import_revert(actor=users["admin"], batch=batch)
    parcel = Parcel.objects.select_related("planned_use").get(code="HM-01")
    assert (parcel.planned_use.name, parcel.unit) == ("工业用地", land_unit)
    import_revert(actor=users["admin"], batch=created)
    assert not Parcel.objects.exists()
