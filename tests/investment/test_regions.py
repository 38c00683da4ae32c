"""Province and city names as typed, read into one form (regions.py, pure), and the services and
the import storing them that way."""

import pytest

from tests.org.import_helpers import preview, run
from yuanqu.core.errors import ApplicationError
from yuanqu.investment import services
from yuanqu.investment.models import Lead, TargetCompany
from yuanqu.investment.regions import (
    GEO_FILES,
    PROVINCES,
    RegionError,
    city_key,
    normalise_city,
    normalise_province,
    split_region,
)

from .test_import import LEAD_HEADER


@pytest.mark.parametrize(("typed", "stored"), [
    ("广东", "广东省"), ("广东省", "广东省"), (" 广东省 ", "广东省"), ("上海", "上海市"), ("上海市", "上海市"),
    ("内蒙古", "内蒙古自治区"), ("内蒙", "内蒙古自治区"), ("广西壮族自治区", "广西壮族自治区"), ("新疆", "新疆维吾尔自治区"),
    ("黑龙江", "黑龙江省"), ("香港", "香港特别行政区"), ("", ""), (None, ""),
])
def test_a_province_is_stored_by_its_full_name(typed, stored):
    assert normalise_province(typed) == stored


@pytest.mark.parametrize("typed", ["苏州", "广东深圳", "德国", "广东省省"])
def test_anything_but_a_province_is_refused_with_what_to_write(typed):
    with pytest.raises(RegionError, match=f"“{typed}”不是省级行政区名称.*广东省"):
        normalise_province(typed)


@pytest.mark.parametrize(("typed", "place"), [
    ("广东深圳", ("广东省", "深圳市")), ("广东省深圳市", ("广东省", "深圳市")), ("广东 深圳", ("广东省", "深圳市")),
    ("上海", ("上海市", "上海市")), ("上海浦东", ("上海市", "浦东")), ("新加坡", ("", "新加坡")),
    ("吉林延边朝鲜族自治州", ("吉林省", "延边朝鲜族自治州")), ("黑龙江哈尔滨", ("黑龙江省", "哈尔滨市")), ("", ("", "")),
])
def test_a_place_in_one_cell_is_split_into_province_and_city(typed, place):
    assert split_region(typed) == place


def test_cities_get_their_suffix_only_inside_a_province():
    assert normalise_city("深圳", "广东省") == "深圳市"
    assert normalise_city("阿克苏地区", "新疆维吾尔自治区") == "阿克苏地区"
    assert normalise_city("新加坡", "") == "新加坡"
    assert normalise_city("浦东新区", "上海市") == "浦东新区"
    assert city_key("深圳市") == city_key("深圳") == "深圳"
    assert city_key("延边朝鲜族自治州") == "延边朝鲜族"


def test_every_province_has_its_map_file():
    assert set(GEO_FILES) == set(PROVINCES.values())


def test_the_services_store_the_full_province_and_the_city(units):
    lead = services.lead_create(actor=None, data={"name": "项目", "investor": "某公司", "unit": units["invest"],
                                                  "source_province": "广东", "source_city": "深圳"})
    assert (lead.source_province, lead.source_city, lead.source) == ("广东省", "深圳市", "广东省 深圳市")
    with pytest.raises(ApplicationError, match="“苏州”不是省级行政区名称") as caught:
        services.lead_update(actor=None, lead=lead, data={"source_province": "苏州"})
    assert caught.value.field == "source_province"
    company = services.company_create(actor=None, data={"name": "某集团", "kind": "private", "hq_province": "上海"})
    assert (company.hq_province, company.headquarters) == ("上海市", "上海市")


def test_the_import_reads_provinces_and_refuses_a_wrong_one_on_its_row(users, units):
    admin = users["admin"]
    row = ["深圳项目", "某公司", "", "", "", "", "广东", "招商局", "信息", "", ""]
    run(admin, "investment.leads", [[*LEAD_HEADER, "来源城市"], [*row, "深圳"]])
    assert Lead.objects.values_list("source_province", "source_city").get() == ("广东省", "深圳市")
    # Written the other way, nothing changes.
    again = run(admin, "investment.leads", [[*LEAD_HEADER, "来源城市"], [*row[:6], "广东省", *row[7:], "深圳市"]])
    assert (again.updated_count, again.unchanged_count) == (0, 1)
    bad = preview(admin, "investment.leads", [LEAD_HEADER, ["苏州项目", "某公司", "", "", "", "", "苏州", "招商局",
                                                            "信息", "", ""]])
    assert any(e.startswith("第2行「来源省份」：“苏州”不是省级行政区名称") for e in bad.errors)
    assert not TargetCompany.objects.exists()
