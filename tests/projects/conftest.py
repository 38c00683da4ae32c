"""Builders for projects at any gate, driven through the services (so steps, events and history are real)."""

import datetime as dt
from decimal import Decimal

import pytest

from yuanqu.projects import services
from yuanqu.projects.models import GATES, Project

# Planned dates a year apart from 2026-01-10 on (the tests run on 2026-09-15).
PLAN = {s: dt.date(2026 + i // 3, 1 + (i % 3) * 4, 10) for i, s in enumerate(GATES)}


@pytest.fixture
def make_project(units):
    """make_project(name, unit="invest", reached={stage: date}, planned=PLAN, **data) → Project."""

    def make(name="豪华邮轮配套项目", *, unit="invest", reached=None, planned=None, **data) -> Project:
        fields = {"name": name, "investor": "某某集团", "total_investment": Decimal("50"), "lead_unit": units[unit],
                  **data}
        project = services.project_create(actor=None, data=fields, planned=PLAN if planned is None else planned)
        for stage, day in (reached or {}).items():
            project = services.stage_reach(actor=None, project=project, stage=stage, actual_on=day,
                                           comment="测试跳过" if stage != GATES[Project.objects.get(
                                               pk=project.pk).stage_index] else "")
        return Project.objects.get(pk=project.pk)

    return make
