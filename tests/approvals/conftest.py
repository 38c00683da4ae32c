"""The approvals tests' zone: the conftest's units and users plus a 行政审批局 and its approver,
a small catalogue and the 2026 “2330” target."""

import datetime as dt
from decimal import Decimal

import pytest

from yuanqu.approvals import services
from yuanqu.approvals.abilities import APPROVER

from ..factories import make_bureau, make_user

D = dt.date


@pytest.fixture
def xzsp(units):
    return make_bureau(units, "行政审批局", "审批局")


@pytest.fixture
def approver(xzsp):
    return make_user("approver1", APPROVER, None, also=[(APPROVER, xzsp)])


@pytest.fixture
def items(db):
    make = lambda code, name, promised, **kw: services.item_create(actor=None, data={  # noqa: E731
        "code": code, "name": name, "statutory_days": max(promised, 20), "promised_days": promised, **kw})
    return {
        "open": make("XK-01", "企业设立登记", 2),
        "estate": make("XK-02", "不动产登记", 3),
        "permit": make("XK-03", "建筑工程施工许可", 10, commitment=True, inspection_days=5),
        "instant": make("XK-04", "营业执照补领", 0, kind="instant"),
    }


@pytest.fixture
def bundle(items):
    bundle = services.bundle_create(actor=None, data={"code": "2330", "name": "2330改革目标", "year": 2026})
    services.scenario_create(actor=None, bundle=bundle, data={
        "name": "企业开办", "target_days": Decimal("2"), "start_event": "accepted", "end_event": "decided",
        "items": [items["open"]], "order": 1})
    services.scenario_create(actor=None, bundle=bundle, data={
        "name": "不动产登记", "target_days": Decimal("3"), "start_event": "received", "end_event": "delivered",
        "items": [items["estate"], items["open"]], "order": 2})
    return bundle


@pytest.fixture
def make_case(items):
    counter = iter(range(1, 100_000))

    def make(item="open", **data):
        values = {"number": f"C-{next(counter):05d}", "item": items[item], "applicant": "某某公司", **data}
        return services.case_create(actor=None, data=values)

    return make
