"""A small zone for the 亩均 runs: enterprises with 2025 figures, the Huangyan scheme for 2025."""

import datetime as dt
import random
from decimal import Decimal

from yuanqu.enterprises import mujun_services, services
from yuanqu.enterprises.models import FigureSource, Indicator
from yuanqu.enterprises.mujun import load_fixture

SOURCES = {"主要污染物排放量": "pollutants", "R&D经费支出": "rnd"}
# The role matrix of the 亩均 pages: who is tried, and who reads every run.
ROLES = ["admin", "supervisor", "leader", "economy", "invest", "agri", "village", "nounit"]
READERS = {"admin", "supervisor", "leader", "economy"}


def huangyan(year: int = 2025, **changes) -> dict:
    definition = load_fixture("huangyan_2022").to_dict()
    definition.update(year=year, name=f"{year}年度亩均效益评价", jurisdiction="海门经开区", **changes)
    return definition


def figures(rng: random.Random, above: bool) -> dict[str, Decimal]:
    revenue = rng.uniform(3000, 50000) if above else rng.uniform(100, 2000)
    values = {"revenue": revenue, "value_added": revenue * rng.uniform(0.15, 0.3),
              "tax_paid": revenue * rng.uniform(0.02, 0.07), "energy": revenue * rng.uniform(0.01, 0.1),
              "electricity": revenue * rng.uniform(0.03, 0.15), "pollutants": revenue * rng.uniform(0.0001, 0.002),
              "rnd": revenue * rng.uniform(0, 0.05), "employees": max(3, round(revenue / 80))}
    return {k: Decimal(v).quantize(Decimal("0.01")) for k, v in values.items()}


def build_zone(make_enterprise, count: int = 12, year: int = 2025, units=None) -> list:
    """`count` enterprises (two thirds 规上) with figures for `year`; land on the record."""
    rng = random.Random(7)
    indicators = {i.key: i for i in Indicator.objects.all()}
    source = FigureSource.objects.get(name="统计")
    made = []
    for n in range(count):
        above = n % 3 != 2
        enterprise = make_enterprise(name=f"评价企业{n:02d}", land_mu=Decimal(rng.randint(5, 200)),
                                     above_scale_since=dt.date(2015, 1, 1) if above else None,
                                     liaison_unit=(units or [None])[n % len(units or [None])])
        values = figures(rng, above)
        if n == 4:
            values.pop("pollutants")  # Huangyan's rule: the pool's average score
        services.figures_record(actor=None, enterprise=enterprise, year=year, source=source,
                                values={indicators[k]: v for k, v in values.items()})
        made.append(enterprise)
    return made


def make_scheme(year: int = 2025, **changes):
    return mujun_services.scheme_create(actor=None, definition=huangyan(year, **changes), sources=SOURCES)
