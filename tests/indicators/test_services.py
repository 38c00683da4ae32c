"""Counts and definitions: versions not overwrites, each bad input refused naming its field with
nothing written, and a changed caliber keeping the old values explained."""

from decimal import Decimal

import pytest

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.models import ChangeRecord
from yuanqu.indicators import selectors, services
from yuanqu.indicators.models import IndicatorCount, IndicatorVersion

from .conftest import ratio


def enter(d, unit, values, period="2026", actor=None):
    return services.count_enter(actor=actor, definition=d, unit=unit, period=period, values=values)


def test_a_correction_is_a_new_revision_and_the_old_one_stays(places, insured):
    first = enter(insured, places["e1"], [90, 100])
    assert enter(insured, places["e1"], ["90", "100.0"]).pk == first.pk  # the same figures: nothing written
    second = enter(insured, places["e1"], [95, 100])
    first.refresh_from_db()
    assert (first.is_current, first.revision, second.is_current, second.revision) == (False, 1, True, 2)
    assert IndicatorCount.objects.count() == 2
    assert selectors.values_for([insured]).village(insured.pk, places["e1"].pk, "2026") == Decimal("95.00")
    record = ChangeRecord.objects.filter(object_id=second.pk).get()
    assert record.before == {"values": ["90", "100"]} and record.after["values"] == ["95", "100"]


@pytest.mark.parametrize(("unit", "period", "values", "field", "message"), [
    ("e1", "2026", [-1, 100], "values", "参保人数不能为负数"),
    ("e1", "2026", [101, 100], "values", "参保人数（101）不能大于应参保人数（100）"),
    ("e1", "2026", [1], "values", "应填写 2 个数：参保人数、应参保人数"),
    ("e1", "2026", ["很多", 100], "values", "参保人数应为数字"),
    ("e1", "明年", [1, 2], "period", "期间：“明年”不是有效的期间"),
    ("e1", "2031", [1, 2], "period", "尚未开始"),
    ("east", "2026", [1, 2], "unit", "“东片区”不是村或社区"),
    ("nowhere", "2026", [1, 2], "unit", "村/社区“999999”不存在"),
])
def test_each_bad_input_is_refused_naming_the_field_and_nothing_is_written(places, insured, unit, period, values,
                                                                          field, message):
    target = places.get(unit, 999999)
    with pytest.raises(ApplicationError) as caught:
        enter(insured, target, values, period)
    assert caught.value.field == field and message in caught.value.message
    assert not IndicatorCount.objects.exists()
    assert not ChangeRecord.objects.filter(content_type__model="indicatorcount").exists()


def test_a_caliber_that_allows_it_takes_a_numerator_above_the_denominator(places):
    growth = ratio(places, code="growth", name="收入增幅", variables="今年收入、去年收入", forbid_over=False)
    count = enter(growth, places["e1"], [120, 100])
    assert selectors.count_value(count) == Decimal("120.00")


def test_a_changed_caliber_is_a_new_version_and_old_values_keep_theirs(places, insured, people):
    old = enter(insured, places["e1"], [45, 50], "2025")
    services.definition_revise(actor=people["shsy"], definition=insured, data={
        "caliber": "改按常住人口计", "variables": "参保人数、常住应参保人数", "multiplier": 1000,
        "note": "市里改口径，千分比", "valid_from": "2026"})
    insured.refresh_from_db()
    assert insured.current_version.number == 2 and insured.version == 2
    new = enter(insured, places["e1"], [45, 50], "2026")
    old.refresh_from_db()
    assert (old.definition_version.number, new.definition_version.number) == (1, 2)
    # each value is computed with the caliber it was entered under
    assert selectors.count_value(old) == Decimal("90.00") and selectors.count_value(new) == Decimal("900.00")
    assert list(IndicatorVersion.objects.filter(definition=insured).values_list("number", "caliber")) == [
        (1, "户籍人口中参加基本养老保险的人数 ÷ 应参保人数"), (2, "改按常住人口计")]
    assert old.named_values == [("参保人数", "45"), ("应参保人数", "50")]


def test_revising_needs_a_note_a_change_and_the_owner(places, insured, people):
    with pytest.raises(ApplicationError, match="修订说明") as caught:
        services.definition_revise(actor=people["shsy"], definition=insured, data={"caliber": "新口径"})
    assert caught.value.field == "note"
    assert services.definition_revise(actor=people["shsy"], definition=insured, data={}) is None
    with pytest.raises(PermissionDeniedError):
        services.definition_revise(actor=people["agri"], definition=insured, data={"caliber": "x", "note": "y"})
    with pytest.raises(ApplicationError, match="两个变量") as caught:
        services.definition_revise(actor=people["shsy"], definition=insured,
                                   data={"variables": "甲、乙、丙", "note": "y"})
    assert caught.value.field == "variables"
    assert IndicatorVersion.objects.filter(definition=insured).count() == 1


@pytest.mark.parametrize(("who", "unit", "allowed"), [
    ("e1", "e1", True), ("e1", "e2", False), ("eastarea", "e2", True), ("eastarea", "w1", False),
    ("shsy", "w1", True), ("agri", "e1", False), ("invest", "e1", False), ("leader", "e1", False),
    ("supervisor", "e1", False), ("admin", "w1", True),
])
def test_who_enters_counts(people, places, insured, who, unit, allowed):
    if allowed:
        assert enter(insured, places[unit], [1, 2], actor=people[who]).revision == 1
    else:
        with pytest.raises(PermissionDeniedError):
            enter(insured, places[unit], [1, 2], actor=people[who])
        assert not IndicatorCount.objects.exists()
