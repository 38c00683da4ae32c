"""Small 亩均 schemes for the engine tests, built as JSON-shaped dicts (the way the Django side stores them)."""

import copy

from yuanqu.enterprises.mujun import Scheme, evaluate

# One pool, one figure per indicator: an indicator's value is the figure itself, so each test
# reads as value → points without formula arithmetic in the way.
BASE = {
    "name": "测试方案",
    "year": 2022,
    "figures": [{"key": "甲"}, {"key": "乙", "allow_negative": True}, {"key": "用地面积", "unit": "亩"}],
    "attributes": [{"key": "规模"}, {"key": "行业代码"}, {"key": "投产年份", "kind": "number"},
                   {"key": "重大安全事故"}],
    "pools": [{
        "key": "全部", "label": "全部企业",
        "indicators": [
            {"key": "指标甲", "formula": "甲", "weight": 60, "benchmark": {"mode": "published", "value": 10}},
            {"key": "指标乙", "formula": "乙", "weight": 40, "benchmark": {"mode": "target", "value": 4}},
        ],
    }],
    "classification": {"method": "quota", "classes": [
        {"key": "A", "label": "优先发展", "share": 0.2}, {"key": "B", "label": "鼓励提升", "share": 0.4},
        {"key": "C", "label": "监管调控", "share": 0.35}, {"key": "D", "label": "落后整治", "share": 0.05}]},
}


def scheme_dict(**changes) -> dict:
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(changes))
    return data


def make_scheme(**changes) -> Scheme:
    return Scheme.from_dict(scheme_dict(**changes))


def indicator(data: dict, key: str) -> dict:
    return next(i for p in data["pools"] for i in p["indicators"] if i["key"] == key)


def table(rows: list[dict]) -> dict:
    """Rows → columns, with the attributes every test may leave out filled in."""
    defaults = {"规模": "规上", "行业代码": "C3311", "投产年份": 2010, "重大安全事故": "否", "用地面积": 10}
    keys = dict.fromkeys(k for row in rows for k in row) | dict.fromkeys(defaults)
    return {k: [row.get(k, defaults.get(k)) for row in rows] for k in keys}


def run(scheme: Scheme, rows: list[dict], **kwargs):
    return evaluate(scheme, table(rows), **kwargs)
