"""Growth tiers from the figures: the step reached by year, who moved up, candidates near a step
(configurable share), 小升规; and the metrics, which honour their date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from yuanqu.core.metrics import get_metric
from yuanqu.enterprises import services
from yuanqu.enterprises.models import EnterpriseFigure, EnterpriseTag, EnterpriseTagging, TierStep
from yuanqu.enterprises.selectors import active_steps, step_tiers, tier_report


@pytest.fixture
def revenue(indicators, sources):
    def record(firm, year, value, source="统计"):
        return services.figures_record(actor=None, enterprise=firm, year=year, source=sources[source],
                                       values={indicators["revenue"]: Decimal(value)})
    return record


@pytest.fixture
def firms(make_enterprise, revenue):
    """万元: 亿元 = 10000, 十亿 = 100000, 五十亿 = 500000 (the shipped steps, share 0.80)."""
    made = {name: make_enterprise(name=name) for name in ("升亿", "升十亿", "持平", "后备", "远", "小升规", "规下后备")}
    for name, (before, now) in {"升亿": (9000, 10000), "升十亿": (60000, 120000), "持平": (20000, 30000),
                                "后备": (50000, 85000), "远": (1000, 7000), "小升规": (1500, 2500),
                                "规下后备": (100, 1700)}.items():
        revenue(made[name], 2024, before)
        revenue(made[name], 2025, now)
    services.enterprise_update(actor=None, enterprise=made["小升规"], data={"above_scale_since": "2025-04-01"})
    for name in ("升亿", "升十亿", "持平", "后备"):
        services.enterprise_update(actor=None, enterprise=made[name], data={"above_scale_since": "2019-01-01"})
    return made


def test_the_shipped_steps_are_data(db):
    steps = {s.name: (s.ladder, s.threshold) for s in TierStep.objects.all()}
    assert steps == {"亿元企业": ("step", 10000), "十亿元企业": ("step", 100000), "五十亿元企业": ("step", 500000),
                     "小升规": ("scale", 2000)}


def test_each_enterprise_has_its_highest_step_by_year(firms):
    tiers = step_tiers(2025, active_steps())
    assert {f.name: tiers[f.pk].name for f in firms.values() if f.pk in tiers} == {
        "升亿": "亿元企业", "升十亿": "十亿元企业", "持平": "亿元企业", "后备": "亿元企业"}


def test_the_report_lists_who_moved_up_the_new_above_scale_and_the_candidates(firms, users, revenue):
    report = tier_report(users["leader"], 2025)
    assert [(e.name, a.name if a else None, b.name) for e, a, b in report.moved_up] == [
        ("升十亿", "亿元企业", "十亿元企业"), ("升亿", None, "亿元企业")]
    assert [e.name for e in report.new_above_scale] == ["小升规"]
    candidates = {(c.enterprise.name, c.step.name) for c in report.candidates}
    # 后备 at 85% of 十亿; 远 at 70% of 亿元 is not, but as a 规下 firm over the 规上 line it is a
    # 小升规 candidate, as is 规下后备 at 85% of that line; 小升规 is 规上 now.
    assert candidates == {("后备", "十亿元企业"), ("规下后备", "小升规"), ("远", "小升规")}
    assert next(c for c in report.candidates if c.enterprise.name == "后备").share == Decimal("85.0")

    TierStep.objects.filter(name="亿元企业").update(candidate_share=Decimal("0.6"))
    assert ("远", "亿元企业") in {(c.enterprise.name, c.step.name) for c in tier_report(users["leader"], 2025).candidates}


def test_the_current_value_is_the_latest_version(firms, revenue, users):
    revenue(firms["升亿"], 2025, 9999, source="税务")  # a correction below the step
    assert "升亿" not in {e.name for e, _, _ in tier_report(users["leader"], 2025).moved_up}


def test_a_unit_sees_only_its_enterprises_in_the_report(firms, users, units):
    services.enterprise_update(actor=None, enterprise=firms["升亿"], data={"liaison_unit": units["invest"]})
    services.enterprise_update(actor=None, enterprise=firms["远"], data={"liaison_unit": units["agri"]})
    report = tier_report(users["invest"], 2025)
    assert [e.name for e, _, _ in report.moved_up] == ["升亿"] and report.candidates == []
    assert [c.enterprise.name for c in tier_report(users["agri"], 2025).candidates] == ["远"]


def test_moved_up_honours_the_date_the_versions_were_recorded(firms, revenue, django_assert_max_num_queries):
    metric = get_metric("enterprises.moved_up")
    EnterpriseFigure.objects.update(created_at=timezone.make_aware(dt.datetime(2026, 3, 1)))
    correction = revenue(firms["升亿"], 2025, 9999, source="税务")[0]
    EnterpriseFigure.objects.filter(pk=correction.pk).update(created_at=timezone.make_aware(dt.datetime(2026, 5, 1)))
    with django_assert_max_num_queries(2):
        assert metric.func([{"year": 2025}, {"year": 2024}], dt.date(2026, 4, 30)) == [Decimal(2), Decimal(3)]
    assert metric.func([{"year": 2025}], dt.date(2026, 5, 1)) == [Decimal(1)]
    assert metric.func([{"year": 2025}], dt.date(2026, 2, 28)) == [Decimal(0)]


def test_new_above_scale_counts_by_the_admission_date(make_enterprise, django_assert_num_queries):
    make_enterprise(above_scale_since="2026-02-01")
    make_enterprise(above_scale_since="2026-07-01")
    make_enterprise(above_scale_since="2025-07-01")
    metric = get_metric("enterprises.new_above_scale")
    with django_assert_num_queries(1):
        assert metric.func([{"year": 2026}, {"year": 2025}], dt.date(2026, 6, 30)) == [Decimal(1), Decimal(1)]
    assert metric.func([{"year": 2026}], dt.date(2026, 12, 31)) == [Decimal(2)]


def test_the_tag_count_honours_the_recognition_date(make_enterprise, clock):
    giant = EnterpriseTag.objects.get(name="专精特新“小巨人”")
    clock.set_today(dt.date(2026, 3, 1))
    make_enterprise(tags=[giant])
    clock.set_today(dt.date(2026, 8, 1))
    later = make_enterprise(tags=[giant])
    assert EnterpriseTagging.objects.get(enterprise=later).since == dt.date(2026, 8, 1)
    metric = get_metric("enterprises.tagged")
    params = [{"tag": "专精特新“小巨人”"}, {"tag": "单项冠军"}]
    assert metric.func(params, dt.date(2026, 6, 30)) == [Decimal(1), Decimal(0)]
    assert metric.func(params, dt.date(2026, 8, 1)) == [Decimal(2), Decimal(0)]
    assert not get_metric("enterprises.tagged").params[0].exists("不存在的标签")
