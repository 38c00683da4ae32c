"""The visits tests' zone: the conftest's units and users, its 经发局 keeper, a visiting cadre of
农业农村局, two enterprises and a maker of requests."""

import datetime as dt

import pytest

from yuanqu.enterprises.models import Enterprise
from yuanqu.visits import services
from yuanqu.visits.abilities import VISITOR
from yuanqu.visits.models import RequestCategory

from ..factories import code_for, make_unit_user

D = dt.date
SEP_1 = D(2026, 9, 1)


@pytest.fixture
def zone(users, units, economy):
    users["economy"] = economy
    users["visitor"] = make_unit_user("visitor1", VISITOR, units["agri"], full_name="王干部")
    return users


@pytest.fixture
def firms(db):
    return [Enterprise.objects.create(name=f"走访企业{n}", credit_code=code_for(n)) for n in (1, 2)]


@pytest.fixture
def categories(db):
    return {c.name: c for c in RequestCategory.objects.all()}


@pytest.fixture
def make_request(zone, units, firms, categories):
    def make(unit="invest", category="用工", received_on=SEP_1, actor=None, **data):
        values = {"enterprise": firms[0].pk, "category": categories[category].pk if category in categories
                  else category, "text": "缺少技术工人", "assigned_unit": units[unit].pk if unit in units else unit,
                  "received_on": received_on, **data}
        return services.request_create(actor=actor or zone["visitor"], data=values)

    return make
