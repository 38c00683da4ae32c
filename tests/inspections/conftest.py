"""The inspections tests' zone: the conftest's units and users, plus the 安监与环保局 (an inspecting
bureau) with its inspector, one enterprise, and makers of inspections and hazards."""

import datetime as dt

import pytest

from yuanqu.enterprises.models import Enterprise
from yuanqu.inspections import services
from yuanqu.inspections.abilities import INSPECTOR

from ..factories import code_for, make_bureau, make_keeper

D = dt.date
SEP_1 = D(2026, 9, 1)


@pytest.fixture
def bureau(units):
    return make_bureau(units, "安全生产监督管理和环境保护局", "安监与环保")


@pytest.fixture
def zone(users, units, bureau):
    users["inspector"] = make_keeper("inspector1", INSPECTOR, bureau)
    return users


@pytest.fixture
def firm(db):
    return Enterprise.objects.create(name="检查企业一", credit_code=code_for(1))


@pytest.fixture
def make_inspection(zone, firm):
    def make(on=SEP_1, domain="safety", **data):
        values = {"domain": domain, "enterprise": firm.pk, "inspected_on": on, "inspectors": "郑刚、李明", **data}
        return services.inspection_create(actor=zone["inspector"], data=values)

    return make


@pytest.fixture
def make_hazard(zone, units, make_inspection):
    def make(unit="invest", level="general", inspection=None, text="消防通道堵塞", **kw):
        inspection = inspection or make_inspection(**kw)
        return services.hazard_create(actor=zone["inspector"], inspection=inspection, data={
            "description": text, "level": level, "responsible_unit": units[unit].pk})

    return make


def step(hazard, action, actor, **data):
    hazard.refresh_from_db()
    return services.hazard_step(actor=actor, hazard=hazard, action=action, expected_version=hazard.version, **data)
