"""The identification engine (pure): each kind of criterion and its boundaries, and the candidate list."""

import datetime as dt
from decimal import Decimal

import pytest

from yuanqu.cleanup.criteria import Facts, Rule, check, evaluate, years_needed

D = Decimal


def rule(kind="figure", **kw):
    return Rule(id=kw.pop("id", 1), category=kw.pop("category", "zombie"), name=kw.pop("name", "标准"), kind=kind, **kw)


def facts(figures=None, **kw):
    return Facts(enterprise_id=kw.pop("enterprise_id", 1), registered_on=kw.pop("registered_on", dt.date(2015, 1, 1)),
                 figures={k: D(str(v)) for k, v in (figures or {}).items()}, **kw)


@pytest.mark.parametrize(("comparator", "value", "meets"), [
    ("<", "0", False), ("<", "-0.01", True), ("<=", "0", True), ("<=", "0.01", False),
    ("=", "0", True), ("=", "1", False), (">=", "0", True), (">=", "-1", False), (">", "0", False), (">", "0.5", True),
])
def test_a_figure_criterion_compares_at_its_threshold(comparator, value, meets):
    r = rule(indicator="value_added", comparator=comparator, threshold=D("0"), years=1)
    assert (check(r, facts({(2025, "value_added"): value}), 2025) is not None) is meets


def test_a_figure_criterion_needs_every_year_of_its_run_and_names_the_values():
    r = rule(indicator="value_added", comparator="<", threshold=D("0"), years=2)
    assert check(r, facts({(2024, "value_added"): -10, (2025, "value_added"): "-3.50"}), 2025) == "2024年 -10，2025年 -3.5"
    # one year good breaks the run; a missing year is no evidence
    assert check(r, facts({(2024, "value_added"): 1, (2025, "value_added"): -3}), 2025) is None
    assert check(r, facts({(2025, "value_added"): -3}), 2025) is None
    # the run ends at the evaluated year: 2023–2024 losses do not make 2025's candidate
    assert check(r, facts({(2023, "value_added"): -1, (2024, "value_added"): -1, (2025, "value_added"): 2}), 2025) is None


def test_no_figure_counts_only_enterprises_registered_before_the_run():
    r = rule("no_figure", indicator="revenue", years=2)
    assert check(r, facts(registered_on=dt.date(2023, 12, 31)), 2025) == "2024—2025年未报送"
    assert check(r, facts(registered_on=dt.date(2024, 1, 1)), 2025) is None  # too new to have reported
    assert check(r, facts(registered_on=None), 2025) is None
    assert check(r, facts({(2024, "revenue"): 0}, registered_on=dt.date(2020, 1, 1)), 2025) is None
    assert check(rule("no_figure", indicator="revenue", years=1), facts(), 2025) == "2025年未报送"


def test_missing_field_and_idle_land():
    empty = rule("missing_field", field="production_on")
    assert check(empty, facts(fields={"production_on": None}), 2025) == "投产日期未填写"
    assert check(empty, facts(fields={"production_on": dt.date(2020, 1, 1)}), 2025) is None
    idle = rule("idle_land")
    assert check(idle, facts(idle_parcels=["D-1", "D-2"]), 2025) == "闲置地块：D-1、D-2"
    assert check(idle, facts(), 2025) is None


def test_evaluate_lists_each_category_met_with_every_criterion_met_in_order():
    rules = [rule(id=1, name="亏损", indicator="value_added", comparator="<", threshold=D(0)),
             rule("idle_land", id=2, name="闲置"),
             rule(id=3, category="scattered", name="排放", indicator="pollutants", comparator=">", threshold=D(2))]
    found = evaluate(rules, [
        facts({(2025, "value_added"): -1, (2025, "pollutants"): 3}, enterprise_id=1, idle_parcels=["D-1"]),
        facts({(2025, "value_added"): 1}, enterprise_id=2),
        facts({(2025, "pollutants"): 2}, enterprise_id=3),  # at the threshold: not above it
    ], 2025)
    assert [(c.enterprise_id, c.category, [m.name for m in c.met]) for c in found] == [
        (1, "zombie", ["亏损", "闲置"]), (1, "scattered", ["排放"])]


def test_years_needed_covers_the_longest_run():
    assert list(years_needed([rule(years=3), rule("idle_land", years=9)], 2025)) == [2023, 2024, 2025]
    assert list(years_needed([rule("idle_land")], 2025)) == [2025]
