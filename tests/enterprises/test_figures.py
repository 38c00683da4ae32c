"""Yearly figures: versions (a later upload is a new version, an equal value none), the import's
refusals named by row and column, re-import changing nothing, revert removing the batch's versions."""

from decimal import Decimal

import pytest

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.imports.registry import get_importer
from yuanqu.core.imports.services import import_apply, import_preview, import_revert
from yuanqu.core.imports.template import template_bytes
from yuanqu.enterprises import services
from yuanqu.enterprises.models import EnterpriseFigure, Indicator
from yuanqu.enterprises.selectors import enterprise_figures

from ..core.spreadsheets import sheets, xlsx
from ..org.import_helpers import assert_errors

HEADER = ["统一社会信用代码", "企业名称", "年度", "来源", "主营业务收入（万元）", "实缴税金（万元）", "用地面积（亩）"]


def preview(admin, rows, header=HEADER):
    return import_preview(actor=admin, importer_key="enterprises.figures", file_name="数据.xlsx",
                          data=xlsx([header, *rows]))


def test_a_later_value_is_a_new_version_with_its_source_and_an_equal_one_adds_nothing(
        make_enterprise, indicators, sources, users):
    firm = make_enterprise()
    revenue = indicators["revenue"]
    made = services.figures_record(actor=users["admin"], enterprise=firm, year=2025, source=sources["统计"],
                                   values={revenue: Decimal("9000")})
    assert [(f.version, f.value) for f in made] == [(1, Decimal("9000"))]
    assert services.figures_record(actor=users["admin"], enterprise=firm, year=2025, source=sources["税务"],
                                   values={revenue: Decimal("9000.0")}) == []
    services.figures_record(actor=users["admin"], enterprise=firm, year=2025, source=sources["税务"],
                            values={revenue: Decimal("9500")})
    rows = list(EnterpriseFigure.objects.filter(enterprise=firm).order_by("version")
                .values_list("version", "value", "source__name"))
    assert rows == [(1, Decimal("9000"), "统计"), (2, Decimal("9500"), "税务")]  # the first is kept
    [(year, lines)] = enterprise_figures(firm)
    assert year == 2025 and lines[0].current.value == Decimal("9500") and len(lines[0].versions) == 2


def test_a_negative_value_is_refused_where_the_indicator_forbids_it(make_enterprise, indicators, sources):
    firm = make_enterprise()
    with pytest.raises(ApplicationError) as refused:
        services.figures_record(actor=None, enterprise=firm, year=2025, source=sources["统计"],
                                values={indicators["land_area"]: Decimal("-1")})
    assert "用地面积不能为负数" in refused.value.message
    # 工业增加值 may be negative (a loss-making year)
    services.figures_record(actor=None, enterprise=firm, year=2025, source=sources["统计"],
                            values={indicators["value_added"]: Decimal("-5")})


def test_the_import_merges_sources_reimport_changes_nothing_and_revert_removes_the_batch(
        make_enterprise, users, indicators):
    admin = users["admin"]
    a, b = make_enterprise(name="甲公司"), make_enterprise(name="乙公司")
    tax = preview(admin, [[a.credit_code, "甲公司", 2025, "税务", None, 300, None],
                          [b.credit_code.lower(), "乙公司", 2025, "税务", None, 120, None]])
    assert tax.errors == [] and tax.updated_count == 2
    import_apply(actor=admin, batch=tax)
    stats = preview(admin, [[a.credit_code, "甲公司", 2025, "统计", 12000, None, 35.5]])
    import_apply(actor=admin, batch=stats)
    current = {(f.indicator.key, f.source.name): f.value for f in EnterpriseFigure.objects.filter(enterprise=a)}
    assert current == {("tax_paid", "税务"): Decimal("300"), ("revenue", "统计"): Decimal("12000"),
                       ("land_area", "统计"): Decimal("35.5")}

    again = preview(admin, [[a.credit_code, "甲公司", 2025, "统计", 12000, None, 35.5]])
    assert (again.updated_count, again.unchanged_count) == (0, 1)
    import_apply(actor=admin, batch=again)
    assert EnterpriseFigure.objects.count() == 4

    corrected = preview(admin, [[a.credit_code, "甲公司", 2025, "税务", 12500, 300, None]])
    assert corrected.preview["updates"][0]["changes"] == [["主营业务收入（万元）", "12000", "12500"]]
    import_apply(actor=admin, batch=corrected)
    versions = list(EnterpriseFigure.objects.filter(enterprise=a, indicator=indicators["revenue"])
                    .order_by("version").values_list("version", "value", "source__name"))
    assert versions == [(1, Decimal("12000"), "统计"), (2, Decimal("12500"), "税务")]

    corrected.refresh_from_db()
    import_revert(actor=admin, batch=corrected)
    assert list(EnterpriseFigure.objects.filter(enterprise=a, indicator=indicators["revenue"])
                .values_list("version", "value")) == [(1, Decimal("12000"))]


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(make_enterprise, users):
    admin = users["admin"]
    a, b = make_enterprise(name="甲公司"), make_enterprise(name="乙公司")
    batch = preview(admin, [
        [a.credit_code, "甲公司", 2025, "统计", 100, 1, 2],
        [a.credit_code, "甲公司", 2025, "税务", 100, 1, 2],
        ["91350100M000100Y43", "丙公司", 2025, "统计", 1, 1, 1],  # valid code, not in the register
        [b.credit_code, "乙公司", 2025, "统计", "一百", 1, -3],
        [b.credit_code[:17] + ("1" if b.credit_code[17] != "1" else "2"), "乙公司", 2024, "统计", 1, 1, 1],
        [b.credit_code, "丁公司", 2024, "统计", 1, 1, 1],
        [b.credit_code[:10], "乙公司", 2023, "统计", 1, 1, 1],
    ])
    errors = batch.errors
    assert_errors(errors,
                  f"第2行「统一社会信用代码」：“{a.credit_code}（2025年）”与第3行重复",
                  "第3行「统一社会信用代码」…",
                  "第4行「统一社会信用代码」：“91350100M000100Y43”不在企业名录中…",
                  "第5行「主营业务收入（万元）」：“一百”不是数字",
                  "第5行「用地面积（亩）」：“-3”是负数，用地面积不能为负数",
                  "第6行「统一社会信用代码」：校验位不符…",
                  "第7行「企业名称」：“丁公司”与企业名录中该代码的企业“乙公司”不一致…",
                  "第8行「统一社会信用代码」：应为18位…")
    with pytest.raises(ApplicationError):
        import_apply(actor=admin, batch=batch)
    assert not EnterpriseFigure.objects.exists()


def test_the_template_has_a_column_per_active_indicator(db):
    Indicator.objects.create(key="exports", name="出口额", unit="万美元", order=99)
    Indicator.objects.filter(key="pollutants").update(is_active=False)
    header = sheets(template_bytes(get_importer("enterprises.figures")))["企业年度数据"][0]
    assert header[:4] == ["统一社会信用代码", "企业名称", "年度", "来源"]
    assert "出口额（万美元）" in header and "主要污染物排放（吨）" not in header
    assert "主营业务收入（万元）" in header and "用地面积（亩）" in header


def test_reverting_an_earlier_batch_keeps_a_later_version_current(make_enterprise, users, indicators):
    admin = users["admin"]
    a = make_enterprise(name="甲公司")
    first = preview(admin, [[a.credit_code, "甲公司", 2025, "统计", 12000, 300, None]])
    import_apply(actor=admin, batch=first)
    import_apply(actor=admin, batch=preview(admin, [[a.credit_code, "甲公司", 2025, "税务", 12500, None, None]]))
    first.refresh_from_db()
    import_revert(actor=admin, batch=first)
    rows = list(EnterpriseFigure.objects.filter(enterprise=a).values_list("indicator__key", "version", "value"))
    assert rows == [("revenue", 2, Decimal("12500"))]  # 实缴税金 and revenue's version 1 went with the batch
    [(_, lines)] = enterprise_figures(a)
    assert [(line.indicator.key, line.current.value) for line in lines] == [("revenue", Decimal("12500"))]


@pytest.mark.parametrize("role", ["admin", "economy", "supervisor", "leader", "invest", "nounit"])
def test_the_economy_bureau_imports_its_figures_and_no_other_register(client, users, economy, make_enterprise, role):
    """Imports are the administrators'; the importer's own ability lets the 经发局 in to its two."""
    users["economy"] = economy
    user = users[role]
    may = role in {"admin", "economy"}
    client.force_login(user)
    for key in ("enterprises.figures", "enterprises.enterprises"):
        assert client.get(f"/imports/{key}/").status_code == (200 if may else 403)
        assert client.get(f"/imports/{key}/template.xlsx").status_code == (200 if may else 403)
    assert client.get("/imports/org.units/").status_code == (200 if role == "admin" else 403)
    assert client.get("/imports/").status_code == (200 if role == "admin" else 403)
    firm = make_enterprise(name="甲公司")
    row = [firm.credit_code, "甲公司", 2025, "税务", 12000, None, None]
    if not may:
        with pytest.raises(PermissionDeniedError):
            preview(user, [row])
        return
    batch = preview(user, [row])
    assert client.get(f"/imports/batch/{batch.pk}/").status_code == 200
    assert client.post(f"/imports/batch/{batch.pk}/apply/").status_code == 302
    assert EnterpriseFigure.objects.filter(enterprise=firm, year=2025).count() == 1
    if role == "economy":
        with pytest.raises(PermissionDeniedError):
            import_preview(actor=user, importer_key="org.units", file_name="单位.xlsx", data=xlsx([["单位名称"], ["某局"]]))
