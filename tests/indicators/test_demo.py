"""The demo: the seed's six indicators with counts for every village and community, marked demo,
and section 六's rate targets reading the zone's computed rate through `indicators.value`."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from yuanqu.core import clock as core_clock
from yuanqu.core.metrics import get_metric
from yuanqu.indicators import demo
from yuanqu.indicators.models import COUNTING_KINDS, IndicatorCount, IndicatorDefinition
from yuanqu.org.models import OrgUnit, User
from yuanqu.plans.models import Target
from yuanqu.plans.selectors import evaluate_targets

from ..conftest import module_test_settings

TODAY = dt.date(2026, 8, 15)


@pytest.fixture(scope="module")
def built_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One demo for this module's readers (a build is most of their time), in a transaction rolled
    back at the module's end; each test runs in a savepoint inside it (as tests/plans/test_demo_command.py)."""
    with django_db_blocker.unblock(), module_test_settings(tmp_path_factory):
        core_clock.set_today(TODAY)
        with transaction.atomic():
            call_command("demo", "--year", "2026", "--today", TODAY.isoformat(), stdout=StringIO(), stderr=StringIO())
            yield
            transaction.set_rollback(True)


@pytest.fixture
def full_demo(built_demo, db, clock):
    clock.set_today(TODAY)


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
