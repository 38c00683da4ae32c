"""The indicators tests' zone: two 片区 under the committee (东: two villages; 西: a community),
a 社会事业局 beside the conftest's 农业农村局, and one reporter per place."""

import pytest

from yuanqu.indicators import services
from yuanqu.org.models import OrgUnit
from yuanqu.org.roles import REPORTER

from ..factories import make_bureau, make_user

K = OrgUnit.Kind


@pytest.fixture
def places(units):
    east = OrgUnit.objects.create(name="东片区", kind=K.AREA, parent=units["committee"])
    west = OrgUnit.objects.create(name="西片区", kind=K.AREA, parent=units["committee"])
    return {
        **units, "shsy": make_bureau(units, "社会事业局"),
        "east": east, "west": west,
        "e1": OrgUnit.objects.create(name="东一村", kind=K.VILLAGE, parent=east),
        "e2": OrgUnit.objects.create(name="东二村", kind=K.VILLAGE, parent=east),
        "w1": OrgUnit.objects.create(name="西湖社区", kind=K.COMMUNITY, parent=west),
    }


@pytest.fixture
def people(users, places):
    users["shsy"] = make_user("shsy1", REPORTER, places["shsy"])
    users["e1"] = make_user("e1user", REPORTER, places["e1"])
    users["eastarea"] = make_user("eastarea", REPORTER, places["east"])
    return users


def ratio(places, owner="shsy", code="insured", name="参保率", variables="参保人数、应参保人数", **extra):
    return services.definition_create(actor=None, data={
        "code": code, "name": name, "owner_unit": places[owner], "period_kind": "year", "level": "zone",
        "unit": "%", "formula": "ratio", "variables": variables, "multiplier": 100,
        "caliber": "户籍人口中参加基本养老保险的人数 ÷ 应参保人数", **extra})


@pytest.fixture
def insured(places):
    return ratio(places)


@pytest.fixture
def certified(places):
    return ratio(places, owner="agri", code="certified", name="持证农民比例", variables="持证农民数、农民总数")
