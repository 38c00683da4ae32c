"""The enterprise tests' zone: the conftest's units and users plus a 经发局 with its enterprise
keeper (role 经发局企业管理员 beside 单位填报员), and a maker of enterprises with valid codes."""

import itertools

import pytest

from yuanqu.enterprises import services
from yuanqu.enterprises.abilities import ECONOMY
from yuanqu.enterprises.credit_code import ALPHABET, check_character
from yuanqu.enterprises.models import FigureSource, Indicator
from yuanqu.org.models import OrgUnit
from yuanqu.org.roles import REPORTER

from ..factories import make_user


def code_for(n: int) -> str:
    body = "91320684MA" + "".join(ALPHABET[(n // 31 ** i) % 31] for i in range(7))
    return body + check_character(body)


@pytest.fixture
def economy_unit(units):
    return OrgUnit.objects.create(name="经济发展局", short_name="经发局", parent=units["committee"])


@pytest.fixture
def economy(economy_unit):
    return make_user("economy1", REPORTER, economy_unit, also=[(ECONOMY, economy_unit)])


@pytest.fixture
def make_enterprise(db):
    counter = itertools.count(1)

    def make(**data):
        n = next(counter)
        values = {"name": f"测试企业{n}", "credit_code": code_for(n), **data}
        return services.enterprise_create(actor=None, data=values)

    return make


@pytest.fixture
def indicators(db):
    return {i.key: i for i in Indicator.objects.all()}


@pytest.fixture
def sources(db):
    return {s.name: s for s in FigureSource.objects.all()}
