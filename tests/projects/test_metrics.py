"""The metrics a target binds to, each as of a day: projects that reached a gate (amount floor, year),
how many of the named projects reached a gate, investment completed in a year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from yuanqu.core import metrics
from yuanqu.projects import services
from yuanqu.projects.models import MonthlyReturn, Stage

pytestmark = pytest.mark.django_db
S = Stage


def test_projects_in_a_stage_by_a_date_with_an_amount_floor(make_project):
    make_project("超大邮轮项目", total_investment=Decimal("220"),
                 reached={S.SIGNED: dt.date(2025, 11, 1), S.REGISTERED: dt.date(2026, 2, 1),
                          S.LAND: dt.date(2026, 3, 1), S.STARTED: dt.date(2026, 6, 1)})
    make_project("中型项目", total_investment=Decimal("60"),
                 reached={S.SIGNED: dt.date(2026, 1, 1), S.STARTED: dt.date(2026, 8, 1)})  # skips two gates
    make_project("小项目", total_investment=Decimal("5"), reached={S.SIGNED: dt.date(2026, 2, 1)})
    in_stage = metrics.get_metric("projects.in_stage").func
    params = [{"stage": "开工"}, {"stage": "开工", "min_amount": "100"}, {"stage": "签约", "year": 2026},
              {"stage": "started", "min_amount": "50", "year": 2026}]
    assert in_stage(params, dt.date(2026, 9, 15)) == [Decimal(2), Decimal(1), Decimal(2), Decimal(2)]
    # As of 2026-07-01 the 中型项目 had not started yet; as of 2026-05-31 neither had.
    assert in_stage(params[:1], dt.date(2026, 7, 1)) == [Decimal(1)]
    assert in_stage(params[:1], dt.date(2026, 5, 31)) == [Decimal(0)]


def test_named_projects_in_a_stage_counts_how_many_of_them_got_there_by_the_date(make_project):
    make_project("超200亿元豪华邮轮项目", total_investment=Decimal("220"),
                 reached={S.SIGNED: dt.date(2025, 11, 1), S.STARTED: dt.date(2026, 3, 1)})
    make_project("皓晶新材料项目", reached={S.SIGNED: dt.date(2026, 1, 1), S.STARTED: dt.date(2026, 8, 20)})
    make_project("嘉浩新能源项目", reached={S.SIGNED: dt.date(2026, 1, 1)})
    named = metrics.get_metric("projects.named_in_stage").func
    params = [{"names": "豪华邮轮、皓晶、嘉浩、佳禾", "stage": "开工"}]
    assert named(params, dt.date(2026, 9, 15)) == [Decimal(2)]  # 佳禾 is not registered, 嘉浩 only signed
    assert named(params, dt.date(2026, 8, 19)) == [Decimal(1)]
    assert named([{"names": "嘉浩", "stage": "签约"}], dt.date(2026, 9, 15)) == [Decimal(1)]


def test_investment_completed_in_the_year_reads_the_versions_filed_by_the_date(make_project):
    project = make_project(reached={S.SIGNED: dt.date(2025, 12, 1)})

    def filed(month, in_month, total, day):
        report = services.return_submit(actor=None, project=project, data={
            "month": month, "completed_month": in_month, "completed_total": total, "progress": "施工"})
        MonthlyReturn.objects.filter(pk=report.pk).update(
            submitted_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))))

    filed("2025-12", "4", "4", dt.date(2026, 1, 5))   # last year: not counted in 2026
    filed("2026-01", "1", "5", dt.date(2026, 2, 5))
    filed("2026-02", "2", "7", dt.date(2026, 3, 5))
    filed("2026-02", "3", "8", dt.date(2026, 4, 20))  # a correction, filed later
    completed = metrics.get_metric("projects.investment_completed").func
    assert completed([{"year": 2026}, {"year": 2025}], dt.date(2026, 9, 15)) == [Decimal(4), Decimal(4)]
    assert completed([{"year": 2026}], dt.date(2026, 4, 1)) == [Decimal(3)]   # before the correction
    assert completed([{"year": 2026}], dt.date(2026, 2, 28)) == [Decimal(1)]  # February's not filed yet


def test_a_stage_param_must_name_a_gate():
    param = next(p for p in metrics.get_metric("projects.in_stage").params if p.name == "stage")
    assert param.exists("开工") and param.exists("producing") and not param.exists("动工")
