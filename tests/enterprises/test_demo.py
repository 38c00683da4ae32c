"""The demo: 2,000 enterprises with valid codes, three years of figures (some corrected: a
second version), tags, tiers that move, all marked demo and removed again."""

import datetime as dt
import time

from django.db.models import Count

from yuanqu.core.models import ChangeRecord
from yuanqu.enterprises import demo
from yuanqu.enterprises.credit_code import credit_code_problem
from yuanqu.enterprises.models import Enterprise, EnterpriseFigure, EnterpriseTagging
from yuanqu.enterprises.selectors import tier_report


def test_the_demo_builds_two_thousand_enterprises_with_three_years_and_clears_them(users, clock):
    today = clock.today()
    started = time.monotonic()
    demo.build_demo(today=today, count=demo.COUNT)
    elapsed = time.monotonic() - started
    firms = Enterprise.objects.all()
    assert firms.count() == demo.COUNT and not firms.filter(is_demo=False).exists()
    assert all(credit_code_problem(code) is None for code in firms.values_list("credit_code", flat=True))
    assert len(set(firms.values_list("name", flat=True))) == demo.COUNT
    years = set(EnterpriseFigure.objects.values_list("year", flat=True))
    assert years == {today.year - 3, today.year - 2, today.year - 1}
    assert not EnterpriseFigure.objects.filter(created_at__date__gt=today).exists()
    assert EnterpriseFigure.objects.filter(version=2, source__name="税务").exists()
    assert EnterpriseTagging.objects.filter(tag__name="专精特新“小巨人”").count() >= 20
    assert ChangeRecord.objects.filter(object_repr__in=firms.values("name")[:5]).count() == 5
    report = tier_report(users["leader"], today.year - 1)
    assert report.moved_up and report.candidates and report.new_above_scale
    assert elapsed < 120  # bulk writes: seconds, not the minutes the service path would take
    # every enterprise-year-indicator has one version 1 (no duplicates from the corrections)
    assert not EnterpriseFigure.objects.values("enterprise", "year", "indicator", "version").annotate(
        n=Count("pk")).filter(n__gt=1).exists()
    assert demo.clear_demo() == demo.COUNT
    assert not (Enterprise.objects.exists() or EnterpriseFigure.objects.exists())


def test_the_demo_dates_its_figures_by_when_the_office_sends_them(users, clock):
    clock.set_today(dt.date(2026, 2, 1))
    demo.build_demo(today=clock.today(), count=50)
    latest = EnterpriseFigure.objects.filter(year=2025)
    assert set(latest.values_list("source__name", flat=True)) <= {"税务", "电力", "生态环境", "自然资源", "统计"}
    assert not latest.filter(created_at__date__gt=dt.date(2026, 2, 1)).exists()


def test_the_demo_reloads_the_shipped_lists_into_a_database_flushed_since_migrating(users, clock):
    # A flush (a transactional test's tear-down) empties the tables the migration filled.
    from yuanqu.enterprises.models import (
        EnterpriseTag,
        FigureSource,
        Indicator,
        IndustryDivision,
        IndustrySection,
        TierStep,
    )
    for model in (TierStep, EnterpriseTag, Indicator, FigureSource, IndustryDivision, IndustrySection):
        model.objects.all().delete()
    demo.build_demo(today=clock.today(), count=20)
    assert (IndustrySection.objects.count(), IndustryDivision.objects.count()) == (20, 97)
    assert Enterprise.objects.count() == 20 and TierStep.objects.exists() and Indicator.objects.exists()
    shipped = IndustryDivision.objects.count(), Indicator.objects.count(), TierStep.objects.count()
    demo.clear_demo()
    demo.build_demo(today=clock.today(), count=20)  # lists already there: nothing added twice
    assert (IndustryDivision.objects.count(), Indicator.objects.count(), TierStep.objects.count()) == shipped
