"""Province and city names as people write them (“广东”, “广东省”, “广东 深圳”, “内蒙古”), read into one
form (pure: no Django). A lead's source and a company's headquarters are stored with the full
province name (“广东省”), so counting, filtering and the map agree whatever was typed.

The map draws the npm package china-geojson (AntV), whose features are named by the short
province name (“广东”) and, inside a province's file, by the city's own name (“深圳市”); `SHORT`
and `city_key` bridge the two.
"""

from __future__ import annotations

import re

# The 34 provincial-level divisions: full name → the short name (the map's feature name).
PROVINCES = {
    "北京市": "北京", "天津市": "天津", "上海市": "上海", "重庆市": "重庆",
    "河北省": "河北", "山西省": "山西", "辽宁省": "辽宁", "吉林省": "吉林", "黑龙江省": "黑龙江",
    "江苏省": "江苏", "浙江省": "浙江", "安徽省": "安徽", "福建省": "福建", "江西省": "江西",
    "山东省": "山东", "河南省": "河南", "湖北省": "湖北", "湖南省": "湖南", "广东省": "广东",
    "海南省": "海南", "四川省": "四川", "贵州省": "贵州", "云南省": "云南", "陕西省": "陕西",
    "甘肃省": "甘肃", "青海省": "青海", "台湾省": "台湾",
    "内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏", "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆", "香港特别行政区": "香港", "澳门特别行政区": "澳门",
}
SHORT = PROVINCES
FULL = {short: full for full, short in PROVINCES.items()}
MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
# The package's file per province (its own pinyin names; 陕西 and 山西 are shan_xi_1 and _2).
GEO_FILES = {
    "北京": "bei_jing", "天津": "tian_jin", "上海": "shang_hai", "重庆": "chong_qing", "河北": "he_bei",
    "山西": "shan_xi_2", "辽宁": "liao_ning", "吉林": "ji_lin", "黑龙江": "hei_long_jiang", "江苏": "jiang_su",
    "浙江": "zhe_jiang", "安徽": "an_hui", "福建": "fu_jian", "江西": "jiang_xi", "山东": "shan_dong",
    "河南": "he_nan", "湖北": "hu_bei", "湖南": "hu_nan", "广东": "guang_dong", "海南": "hai_nan",
    "四川": "si_chuan", "贵州": "gui_zhou", "云南": "yun_nan", "陕西": "shan_xi_1", "甘肃": "gan_su",
    "青海": "qing_hai", "台湾": "tai_wan", "内蒙古": "nei_meng_gu", "广西": "guang_xi", "西藏": "xi_zang",
    "宁夏": "ning_xia", "新疆": "xin_jiang", "香港": "xiang_gang", "澳门": "ao_men",
}
# Other ways people write them.
_ALIASES = {"内蒙": "内蒙古", "广西壮族": "广西", "宁夏回族": "宁夏", "新疆维吾尔": "新疆", "香港特区": "香港",
            "澳门特区": "澳门", "沪": "上海", "京": "北京", "津": "天津", "渝": "重庆"}
_SPACES = re.compile(r"[\s\u3000]+")
_CITY_SUFFIX = re.compile(r"(市|地区|盟|自治州|特别行政区|特区)$")
# Longest first, so “黑龙江…” is not read as something shorter.
_STARTS = sorted([*FULL, *PROVINCES, *_ALIASES], key=len, reverse=True)


class RegionError(ValueError):
    """The text names no province; the message says what to write instead."""


def _short_of(text: str) -> str | None:
    if text in PROVINCES:
        return PROVINCES[text]
    if text in FULL:
        return text
    if text in _ALIASES:
        return _ALIASES[text]
    if text.endswith("省") and text[:-1] in FULL:
        return text[:-1]
    return None


def normalise_province(text: str | None) -> str:
    """“广东”, “广东省”, “ 广东省 ” → “广东省”; blank → “”. Anything else raises RegionError."""
    text = _SPACES.sub("", text or "")
    if not text:
        return ""
    short = _short_of(text)
    if short is None:
        raise RegionError(f"“{text}”不是省级行政区名称（如 广东省、上海市、内蒙古自治区；境外请留空，写在城市中）")
    return FULL[short]


def split_region(text: str | None) -> tuple[str, str]:
    """A place written in one cell — “广东深圳”, “广东省 深圳市”, “上海”, “新加坡” — as (province, city):
    the province's full name when it starts with one (else “”), and the rest as the city. A
    municipality is its own city."""
    text = _SPACES.sub("", text or "")
    if not text:
        return "", ""
    for start in _STARTS:
        if text.startswith(start):
            province = FULL[_short_of(start)]
            rest = text[len(start):].lstrip("省")
            if province in MUNICIPALITIES and not rest:
                rest = province
            return province, normalise_city(rest, province)
    return "", text


def normalise_city(text: str | None, province: str = "") -> str:
    """Spaces dropped; in a province (not a municipality, whose parts are districts) a bare city
    name gets its 市 (“深圳” → “深圳市”). A name that already ends in 市/州/盟/地区/区/县, or a place
    abroad (no province: “新加坡”), is kept as written."""
    text = _SPACES.sub("", text or "")
    if not text or not province or province in MUNICIPALITIES:
        return text
    if re.search(r"(市|州|盟|地区|区|县|旗)$", text):
        return text
    return text + "市"


def city_key(name: str | None) -> str:
    """A city's name without its suffix, to match “深圳”, “深圳市” and the map's “深圳市” alike."""
    return _CITY_SUFFIX.sub("", _SPACES.sub("", name or ""))
