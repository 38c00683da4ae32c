"""The demo: the seed's six indicators with counts for every village and community, marked demo,
and section 六's rate targets reading the zone's computed rate through `indicators.value`."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from yuanqu.core.metrics import get_metric
from yuanqu.indicators import demo, selectors
from yuanqu.indicators.models import COUNTING_KINDS, IndicatorCount, IndicatorDefinition
from yuanqu.org.models import OrgUnit, User
from yuanqu.plans.models import Target
from yuanqu.plans.selectors import evaluate_targets

TODAY = dt.date(2026, 8, 15)


@pytest.fixture
def full_demo(db, clock):
    clock.set_today(TODAY)
    call_command("demo", "--year", "2026", "--today", TODAY.isoformat(), stdout=StringIO(), stderr=StringIO())


def test_every_village_and_community_has_counts_of_the_six_indicators(full_demo):
    defs = {d.code: d for d in IndicatorDefinition.objects.all()}
    assert set(defs) == {row[0] for row in demo.DEFINITIONS} and all(d.is_demo for d in defs.values())
    places = list(OrgUnit.objects.filter(kind__in=COUNTING_KINDS))
    assert len(places) == 10
    for d in defs.values():
        units = set(IndicatorCount.objects.filter(definition=d, period="2026", is_current=True)
                    .values_list("unit", flat=True))
        expected = {p.pk for p in places if d.code != "weak_village_income" or p.kind == OrgUnit.Kind.VILLAGE}
        assert units == expected, d.name
    assert not IndicatorCount.objects.filter(is_demo=False).exists()
    # last year's 参保率 stays explained by the caliber it was counted under
    insured = defs["insured_rate"]
    assert insured.current_version.number == 2
    assert set(IndicatorCount.objects.filter(definition=insured, period="2025")
               .values_list("definition_version__number", flat=True)) == {1}


def test_the_rate_targets_read_the_zone_rate_of_the_sums(full_demo, client):
    bound = {t.title: t for t in Target.objects.filter(metric="indicators.value").select_related("plan")}
    assert {next(w for w in ("持证农民比例", "参保率", "居家养老服务站标准化建成率", "和谐社区建设达标率", "绿化覆盖率")
                 if w in title) for title in bound} == {
        "持证农民比例", "参保率", "居家养老服务站标准化建成率", "和谐社区建设达标率", "绿化覆盖率"}
    insured = IndicatorDefinition.objects.get(code="insured_rate")
    counts = IndicatorCount.objects.filter(definition=insured, period="2026", is_current=True)
    numerator = sum(Decimal(c.values[0]) for c in counts)
    denominator = sum(Decimal(c.values[1]) for c in counts)
    expected = (numerator / denominator * 100).quantize(Decimal("0.01"))
    target = next(t for t in bound.values() if "参保率" in t.title)
    evaluation = evaluate_targets([target], TODAY)[target.pk]
    assert get_metric("indicators.value").func([target.metric_params], TODAY) == [expected]
    assert evaluation.completion is not None
    client.force_login(User.objects.get(username="leader"))
    assert f"{expected}" in client.get(reverse("plans:target_detail", args=[target.pk])).content.decode()


def test_the_metric_honours_the_date_and_a_village_entering_moves_it(people, places, insured, clock):
    from yuanqu.indicators import services

    services.count_enter(actor=None, definition=insured, unit=places["e1"], period="2026", values=[90, 100])
    metric = get_metric("indicators.value")
    params = metric.clean_params({"code": "参保率", "year": 2026}, check_exists=True)
    assert metric.func([params], clock.today()) == [Decimal("90.00")]
    services.count_enter(actor=people["e2" if "e2" in people else "admin"], definition=insured,
                         unit=places["e2"], period="2026", values=[50, 100])
    assert metric.func([params, {"code": "insured", "year": 2025}], clock.today()) == [Decimal("70.00"), None]
    assert metric.func([params], clock.today() - dt.timedelta(days=1)) == [None]  # nothing entered by then
    assert selectors.values_for([insured]).zone_value(insured.pk, "2026") == Decimal("70.00")
