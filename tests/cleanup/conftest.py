"""The clean-up tests' zone: the conftest's units and users, a 经发局 keeper, a 生态环境 keeper, the
criteria (set here, not the shipped examples), enterprises with yearly figures, and a maker of cases."""

import datetime as dt
from decimal import Decimal

import pytest

from yuanqu.cleanup import services
from yuanqu.cleanup.abilities import ENVIRONMENT
from yuanqu.cleanup.models import Criterion
from yuanqu.enterprises.models import Enterprise, EnterpriseFigure, FigureSource, Indicator

from ..factories import code_for, make_bureau, make_keeper

D = dt.date
YEAR = 2025  # the tests' today is 2026-09-15: last year's figures are evaluated


@pytest.fixture
def zone(users, units, economy_unit, economy):
    env_unit = make_bureau(units, "生态环境局")
    users["economy"] = economy
    users["environment"] = make_keeper("env1", ENVIRONMENT, env_unit)
    units["economy"], units["env"] = economy_unit, env_unit
    return users


@pytest.fixture
def rules(db):
    """Two zombie criteria and one 散乱污 criterion."""
    Criterion.objects.all().delete()
    return {
        "loss": Criterion.objects.create(category="zombie", name="连续两年亏损", kind="figure", indicator="value_added",
                                         comparator="<", threshold=Decimal("0"), years=2, order=1),
        "idle": Criterion.objects.create(category="zombie", name="地块闲置", kind="idle_land", order=2),
        "pollute": Criterion.objects.create(category="scattered", name="排放超标", kind="figure",
                                            indicator="pollutants", comparator=">", threshold=Decimal("2"), years=1),
    }


def figure(enterprise, year, key, value, version=1):
    return EnterpriseFigure.objects.create(
        enterprise=enterprise, year=year, indicator=Indicator.objects.get(key=key), value=Decimal(str(value)),
        source=FigureSource.objects.first(), version=version)


@pytest.fixture
def firms(db, rules, units):
    """Z: losses two years (a zombie candidate) with 50 亩; P: pollutes (散乱污); OK: neither."""
    made = {}
    for n, name in enumerate(("Z", "P", "OK"), start=1):
        made[name] = Enterprise.objects.create(name=f"{name} 企业", credit_code=code_for(n), land_mu=Decimal("50"),
                                               registered_on=D(2015, 1, 1), liaison_unit=units["village"])
    figure(made["Z"], 2024, "value_added", -10)
    figure(made["Z"], 2025, "value_added", -3)
    figure(made["P"], 2025, "pollutants", "2.5")
    figure(made["OK"], 2024, "value_added", -1)
    figure(made["OK"], 2025, "value_added", 5)
    return made


@pytest.fixture
def confirmed(zone, firms, units):
    """Z confirmed as a zombie, assigned to 招商局, to be disposed by 兼并重组."""
    case = services.case_decide(actor=zone["economy"], enterprise=firms["Z"], category="zombie", decision="confirm",
                                reason="连续亏损，资不抵债", today=D(2026, 3, 1))
    return services.case_update(actor=zone["economy"], case=case, data={"method": "merge", "unit": units["invest"]})
