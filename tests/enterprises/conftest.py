"""The enterprise tests' zone: the conftest's units and users, its 经发局 with the enterprise keeper
(`economy_unit`, `economy`), and a maker of enterprises with valid codes."""

import itertools

import pytest

from yuanqu.enterprises import services
from yuanqu.enterprises.models import FigureSource, Indicator

from ..factories import code_for


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
