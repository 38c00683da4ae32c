"""The 经发局's year of 亩均 in the browser: download the figures template, upload a sheet whose bad
rows are named, fix them and import, apply a deduction with its evidence file, run the evaluation,
read why one enterprise is class C, have the 督查室 sign off, publish, and export the class D list
with its policies."""

import datetime as dt
import io
import random
from decimal import Decimal

import pytest
from django.apps import apps
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from yuanqu.enterprises import gb4754, services
from yuanqu.enterprises.abilities import ECONOMY
from yuanqu.enterprises.models import EnterpriseFigure, Indicator, MujunPolicy, MujunResult, MujunRun

from ..browser_fixtures import login, logout
from ..core.spreadsheets import xlsx
from ..factories import PASSWORD, code_for, make_bureau, make_keeper
from .mujun_zone import figures, make_scheme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEDUCTION = [{"key": "安全事故", "label": "安全生产事故", "kind": "deduction", "points": 5}]


def _download(page, locator) -> list[list]:
    with page.expect_download() as caught:
        locator.click()
    data = open(caught.value.path(), "rb").read()
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def _sheet(header: list[str], firms, *, fixed: bool) -> tuple[bytes, int, int]:
    """A year of figures under the template's header; two bad rows unless `fixed` (their rows)."""
    rng = random.Random(11)
    column = {f"{i.name}（{i.unit}）": i.key for i in Indicator.objects.all()}
    rows = [header]
    for n, firm in enumerate(firms):
        values = figures(rng, firm.above_scale_since is not None)
        cells = {"统一社会信用代码": firm.credit_code, "企业名称": firm.name, "年度": 2025, "来源": "统计"}
        rows.append([cells.get(h, values.get(column.get(h))) for h in header])
        if n == 5:
            rows[-1][header.index("统一社会信用代码")] = firm.credit_code if fixed else code_for(999)
        if n == 9:
            rows[-1][header.index("用地面积（亩）")] = 60 if fixed else -60
    return xlsx(rows), 7, 11


def test_the_economy_bureau_imports_runs_explains_signs_publishes_and_exports_class_d(page, units, users):
    gb4754.load(apps.get_model)  # an earlier transactional test's flush empties the shipped lists
    economy = make_keeper("economy1", ECONOMY, make_bureau(units, "经济发展局"))
    firms = [services.enterprise_create(actor=None, data={
        "name": f"评价企业{n:02d}", "credit_code": code_for(n + 1), "land_mu": Decimal(10 + 7 * n),
        "above_scale_since": dt.date(2015, 1, 1) if n % 3 != 2 else None}) for n in range(21)]
    scheme = make_scheme(adjustments=DEDUCTION)
    MujunPolicy.objects.create(class_key="D", kind="power", text="执行差别电价，每千瓦时加价0.1元", office="供电公司")

    # The template, from the enterprise list's import button.
    login(page, economy.username, PASSWORD)
    page.goto("/enterprises/")
    page.get_by_role("link", name="导入年度数据").click()
    header = _download(page, page.get_by_test_id("template-link"))[0]
    assert header[:4] == ["统一社会信用代码", "企业名称", "年度", "来源"] and "实缴税金（万元）" in header

    # A sheet with two bad rows: each named by row and column, nothing written.
    bad, unknown_row, negative_row = _sheet(header, firms, fixed=False)
    page.set_input_files("input[name=file]", files=[{"name": "2025年度数据.xlsx", "mimeType": XLSX, "buffer": bad}])
    page.get_by_role("button", name="上传并预览").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text(f"第{unknown_row}行「统一社会信用代码」：“{code_for(999)}”不在企业名录中")
    expect(errors).to_contain_text(f"第{negative_row}行「用地面积（亩）」：“-60”是负数")
    expect(page.get_by_test_id("apply")).to_have_count(0)
    assert not EnterpriseFigure.objects.exists()
    good, _, _ = _sheet(header, firms, fixed=True)
    page.goto("/imports/enterprises.figures/")
    page.set_input_files("input[name=file]", files=[{"name": "2025年度数据.xlsx", "mimeType": XLSX, "buffer": good}])
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("import-errors")).to_have_count(0)
    page.get_by_test_id("apply").click()
    expect(page.get_by_role("alert")).to_contain_text("导入完成")
    assert EnterpriseFigure.objects.filter(year=2025).values("enterprise").distinct().count() == 21

    # A deduction with its evidence file, on the scheme page.
    page.goto(f"/enterprises/mujun/schemes/{scheme.pk}/")
    form = page.get_by_test_id("adjustment-form")
    form.locator("input[name=credit_code]").fill(firms[0].credit_code)
    form.locator("input[name=reference]").fill("安监罚〔2025〕12号")
    form.locator("input[name=file]").set_input_files(
        files=[{"name": "处罚决定书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}])
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("adjustment-entries")).to_contain_text("处罚决定书.pdf")

    # Run, and read why an enterprise is class C.
    page.goto("/enterprises/mujun/")
    page.get_by_test_id(f"run-{scheme.pk}").click()
    expect(page.get_by_test_id("status")).to_have_text("草稿")
    run = MujunRun.objects.get()
    page.select_option("#f-class", "C")
    page.get_by_role("button", name="筛选").click()
    first = page.locator("table tbody tr td a").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_test_id("outcome")).to_contain_text("C 监管调控")
    result = MujunResult.objects.get(run=run, enterprise__name=name)
    expect(page.get_by_test_id("lines").locator("tbody tr:not([data-testid=adjustment])")).to_have_count(len(result.lines))
    expect(page.get_by_test_id("explanation")).to_contain_text("C类（监管调控）")
    penalised = MujunResult.objects.get(run=run, enterprise=firms[0])
    page.goto(f"/enterprises/mujun/results/{penalised.pk}/")
    expect(page.get_by_test_id("evidence")).to_contain_text("安监罚〔2025〕12号 处罚决定书.pdf")
    expect(page.get_by_test_id("explanation")).to_contain_text("安全生产事故：1 次，扣分 5 分；依据：安监罚〔2025〕12号（附件 处罚决定书.pdf）")

    # The 经发局 cannot sign its own run; the 督查室 signs, the 经发局 publishes.
    page.goto(f"/enterprises/mujun/runs/{run.pk}/")
    expect(page.get_by_test_id("action-sign")).to_have_count(0)
    logout(page)
    login(page, users["supervisor"].username, PASSWORD)
    page.goto(f"/enterprises/mujun/runs/{run.pk}/")
    page.get_by_test_id("action-sign").click()
    expect(page.get_by_test_id("status")).to_have_text("已签核")
    logout(page)
    login(page, economy.username, PASSWORD)
    page.goto(f"/enterprises/mujun/runs/{run.pk}/")
    page.get_by_test_id("action-publish").click()
    expect(page.get_by_test_id("status")).to_have_text("已发布")
    expect(page.get_by_test_id("action-rerun")).to_have_count(0)

    # The class D list with its policies, for the power company.
    page.select_option("#f-class", "D")
    page.get_by_role("button", name="筛选").click()
    rows = _download(page, page.get_by_test_id("export-xlsx"))
    body = [dict(zip(rows[1], r, strict=False)) for r in rows[2:]]
    expected = set(MujunResult.objects.filter(run=run, class_key="D").values_list("enterprise__name", flat=True))
    assert expected and {r["企业名称"] for r in body} == expected
    assert all("执行差别电价" in r["适用政策"] for r in body)
