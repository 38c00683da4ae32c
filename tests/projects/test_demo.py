"""The demo: dozens of projects in every stage, the seed's named ones among them, some late, with
returns and problems (one raised to a 督办单); rebuilt without piling up, cleared with its history."""

from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.conftest import TEST_TODAY
from yuanqu.core import metrics
from yuanqu.core.models import ChangeRecord
from yuanqu.investment import demo as lead_demo
from yuanqu.org.models import OrgUnit
from yuanqu.projects import demo, selectors
from yuanqu.projects.models import GATES, MonthlyReturn, Problem, Project, Stage, StageStep

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_stage_and_clears_itself(units, users):
    OrgUnit.objects.filter(pk__in=[units["invest"].pk, units["agri"].pk]).update(is_demo=True)
    lead_demo.build_demo(today=TEST_TODAY)
    demo.build_demo(today=TEST_TODAY)
    result = demo.build_demo(today=TEST_TODAY)  # again: replaced, not doubled
    stages = Counter(Project.objects.values_list("stage", flat=True))
    assert set(stages) == {Stage.PLANNED, *GATES} and result["projects"] == Project.objects.count() >= 40
    names = set(Project.objects.values_list("name", flat=True))
    assert {"豪华邮轮项目", "皓晶高端玻璃项目", "嘉浩智能供应链项目", "佳禾食品项目"} <= names
    assert Project.objects.get(name="豪华邮轮项目").total_investment > 200
    assert Project.objects.filter(lead__isnull=False).exists()  # converted from signed leads
    ids = list(Project.objects.values_list("pk", flat=True))
    assert Project.objects.get(name="佳禾食品项目").pk in selectors.late_step_ids(ids, TEST_TODAY)
    assert not StageStep.objects.filter(actual_on__gt=TEST_TODAY).exists()
    assert MonthlyReturn.objects.exists() and selectors.late_return_ids(Project.objects.all(), TEST_TODAY)
    raised = Problem.objects.get(item__isnull=False)
    assert raised.item.source_kind == "project_problem" and raised.item.is_demo and raised.project.name == "佳禾食品项目"
    named = metrics.get_metric("projects.named_in_stage").func(
        [{"names": "豪华邮轮、皓晶、嘉浩、佳禾", "stage": "开工"}], TEST_TODAY)
    assert named == [2]  # 皓晶 and 嘉浩, as the plans demo's ledger tells it
    demo.clear_demo()
    assert not Project.objects.exists() and not StageStep.objects.exists()
    assert not ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(Project)).exists()
