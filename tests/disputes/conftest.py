"""The disputes tests' zone: the conftest's units and users, a 信访调解办 (综治中心) with its person,
and a maker of cases."""

import datetime as dt

import pytest

from yuanqu.disputes import services
from yuanqu.disputes.abilities import OFFICE

from ..factories import make_bureau, make_keeper

D = dt.date
SEP_1 = D(2026, 9, 1)


@pytest.fixture
def office_unit(units):
    return make_bureau(units, "综治中心")


@pytest.fixture
def zone(users, units, office_unit):
    users["office"] = make_keeper("office1", OFFICE, office_unit)
    return users


@pytest.fixture
def make_case(zone, units):
    def make(kind="petition", unit="invest", received_on=SEP_1, actor=None, **data):
        values = {"kind": kind, "title": "征地补偿标准有异议", "parties": "张三", "dispute_type": "land",
                  "assigned_unit": units[unit].pk if unit in units else unit, "received_on": received_on, **data}
        return services.case_create(actor=actor or zone["office"], data=values)

    return make


def step(case, action, actor=None, **data):
    """Take a step as the system (rights are tested separately) and return the fresh case."""
    return services.case_step(actor=actor, case=case.pk, action=action, **data)
