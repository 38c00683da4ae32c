"""The 招商局's day with spreadsheets and the map, in the browser: upload a leads sheet with bad
rows and read each bad row named, fix it, import, find the leads on the 招商地图, click 广东 and
land on the list of 广东's leads."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from ..browser_fixtures import login
from ..core.spreadsheets import xlsx
from ..factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["项目名称", "投资方", "意向投资额", "来源省份", "来源城市", "责任单位", "阶段", "下一步日期"]


def sheet(*, fixed: bool) -> bytes:
    rows = [
        HEADER,
        ["深圳电子配套项目", "某电子集团", "2.5亿元", "广东", "深圳", "招商局", "洽谈", "2026-10-20"],
        ["广州物流中心", "某物流公司", "5000万元", "广东省", "广州", "招商局", "信息", ""],
        ["上海研发中心", "某科技公司", "约五千万", "上海", "", "招商局", "接触", ""],
        # Three bad rows, each fixed below.
        ["宁波港配项目", "某港务公司", "面议" if not fixed else "8000万元", "浙江", "宁波", "招商局", "信息", ""],
        ["苏州装备项目", "某装备公司", "1亿元", "苏州" if not fixed else "江苏", "苏州", "招商局", "信息", ""],
        ["东莞材料项目", "某材料公司", "3000万元", "广东", "东莞", "招商局", "信息",
         "2026-13-01" if not fixed else "2026-12-01"],
    ]
    return xlsx(rows)


def upload(page, data: bytes) -> None:
    page.goto("/imports/investment.leads/")
    page.set_input_files("input[name=file]", files=[{"name": "招商线索.xlsx", "mimeType": XLSX, "buffer": data}])
    page.get_by_role("button", name="上传并预览").click()


def test_bad_rows_are_named_then_the_fixed_file_imports_and_the_map_clicks_through(page, users):
    login(page, users["admin"].username, PASSWORD)
    upload(page, sheet(fixed=False))
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("第5行「意向投资额」：“面议”不是金额")
    expect(errors).to_contain_text("第6行「来源省份」：“苏州”不是省级行政区名称")
    expect(errors).to_contain_text("第7行「下一步日期」：“2026-13-01”不是日期")
    expect(errors.locator("li")).to_have_count(3)
    expect(page.get_by_test_id("apply")).to_have_count(0)

    upload(page, sheet(fixed=True))
    expect(page.get_by_test_id("import-errors")).to_have_count(0)
    page.get_by_test_id("apply").click()
    expect(page.get_by_role("alert")).to_contain_text("导入完成：新增6条")

    page.goto("/investment/map/")
    chart = page.get_by_test_id("region-map")
    expect(chart).to_have_attribute("data-ready", "1")
    expect(page.get_by_test_id("region-table")).to_contain_text("广东省")
    # 广东 on the map: the drawn province (an SVG path) — click where ECharts put it. On a loaded
    # machine the first click may land while the map still settles: read the place again and retry.
    for attempt in range(4):
        box = chart.bounding_box()
        position = page.evaluate("""() => {
            const chart = echarts.getInstanceByDom(document.getElementById('region-map'));
            return chart.convertToPixel({seriesIndex: 0}, [113.3, 23.3]);
        }""")
        page.mouse.click(box["x"] + position[0], box["y"] + position[1])
        try:
            page.wait_for_url("**/investment/?province=*", timeout=5000)
            break
        except PlaywrightTimeout:
            if attempt == 3:
                raise
    table = page.locator("#lead-table")
    expect(table).to_contain_text("深圳电子配套项目")
    expect(table).to_contain_text("广州物流中心")
    expect(table).to_contain_text("东莞材料项目")
    expect(table).not_to_contain_text("上海研发中心")
    expect(page.get_by_test_id("place-filter")).to_contain_text("地区：广东省")
