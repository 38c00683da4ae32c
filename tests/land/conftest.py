"""The land tests' zone: the conftest's units and users plus a 自然资源和规划局 and its reporter."""

import pytest

from yuanqu.land import services
from yuanqu.org.roles import REPORTER

from ..factories import make_bureau, make_user

SQUARE = {"type": "Polygon", "coordinates": [[[121.15, 31.88], [121.156, 31.88], [121.156, 31.885],
                                              [121.15, 31.885], [121.15, 31.88]]]}


@pytest.fixture
def land_unit(units):
    return make_bureau(units, "自然资源和规划局", "资规局")


@pytest.fixture
def land_user(land_unit):
    return make_user("land1", REPORTER, land_unit)


@pytest.fixture
def make_parcel(land_unit):
    counter = iter(range(1, 10_000))

    def make(**data):
        n = next(counter)
        values = {"code": f"T-{n:03d}", "name": f"测试地块{n}", "area_text": "100亩", "status": "reserve",
                  "unit": land_unit, **data}
        return services.parcel_create(actor=None, data=values)

    return make
