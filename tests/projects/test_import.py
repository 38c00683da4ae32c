"""Spreadsheet import of projects (core.imports): types, enums, look-ups, duplicates, planned dates in
the gates' order, errors naming row and column, idempotent re-import, nothing half-written, revert."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.org.import_helpers import assert_errors, preview, run
from yuanqu.chains.models import Chain, ChainNode
from yuanqu.core.imports.services import import_apply, import_revert
from yuanqu.core.models import ChangeRecord
from yuanqu.projects import services
from yuanqu.projects.models import Project, StageStep

pytestmark = pytest.mark.django_db

HEADER = ["项目名称", "投资方", "产业类别", "产业链节点", "总投资（亿元）", "固定资产投资（亿元）", "项目级别", "牵头单位",
          "挂钩领导", "签约计划日期", "注册计划日期", "供地计划日期", "开工计划日期", "竣工计划日期", "投产计划日期"]


@pytest.fixture
def node(db):
    chain = Chain.objects.create(name="豪华邮轮")
    return ChainNode.objects.create(chain=chain, name="邮轮内装", code="M1")


def _rows():
    return [
        HEADER,
        ["豪华邮轮总装项目", "某船舶集团", "船舶", "邮轮内装", 220, "180亿元", "省重大", "招商局", "leader1",
         "2026-01-10", "2026-02-10", "2026-04-01", "2026-06-01", "2028-12-31", "2029-06-30"],
        ["皓晶新材料项目", "皓晶集团", "新材料", "", "5000万元", "", "区重点", "农业农村局", "",
         "2026-03-01", "", "", "2026-10-01", "", ""],
    ]


def test_projects_are_imported_with_their_planned_dates(users, units, node):
    batch = run(users["admin"], "projects.projects", _rows())
    assert batch.created_count == 2
    cruise = Project.objects.get(name="豪华邮轮总装项目")
    assert (cruise.total_investment, cruise.fixed_investment, cruise.level) == (Decimal(220), Decimal(180), "provincial")
    assert (cruise.chain_node, cruise.lead_unit, cruise.leader) == (node, units["invest"], users["leader"])
    assert StageStep.objects.get(project=cruise, stage="started").planned_on == dt.date(2026, 6, 1)
    small = Project.objects.get(name="皓晶新材料项目")
    assert small.total_investment == Decimal("0.5") and small.stage == "planned"
    assert StageStep.objects.get(project=small, stage="registered").planned_on is None
    assert ChangeRecord.objects.filter(batch=batch.uuid).count() == 2


def test_the_same_file_twice_changes_nothing(users, units, node):
    run(users["admin"], "projects.projects", _rows())
    versions = dict(Project.objects.values_list("name", "version"))
    records = ChangeRecord.objects.count()
    rows = _rows()
    rows[1][4] = "220亿元"  # the same amount written otherwise
    again = run(users["admin"], "projects.projects", rows)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert dict(Project.objects.values_list("name", "version")) == versions
    assert ChangeRecord.objects.count() == records


def test_a_changed_plan_date_updates_and_its_revert_puts_it_back(users, units, node):
    run(users["admin"], "projects.projects", _rows())
    rows = _rows()
    rows[2][12] = "2026-11-15"
    batch = run(users["admin"], "projects.projects", rows)
    assert batch.updated_count == 1
    step = StageStep.objects.get(project__name="皓晶新材料项目", stage="started")
    assert step.planned_on == dt.date(2026, 11, 15)
    import_revert(actor=users["admin"], batch=batch)
    step.refresh_from_db()
    assert step.planned_on == dt.date(2026, 10, 1)


def test_each_bad_cell_is_named_by_row_and_column_and_nothing_is_written(users, units, node):
    rows = _rows()
    rows[1][4] = "面议"
    rows[1][6] = "国家级"
    rows[2][7] = "不存在局"
    rows[2][3] = "不存在节点"
    rows[2][12] = "2026-13-01"
    rows.append(["皓晶新材料项目", "重复", "", "", 1, "", "", "招商局", "", "", "", "", "", "", ""])
    rows.append(["乱序项目", "某公司", "", "", 3, 5, "", "招商局", "", "2026-05-01", "", "", "2026-02-01", "", ""])
    batch = preview(users["admin"], "projects.projects", rows)
    errors = batch.errors
    assert_errors(errors,
                  "第2行「总投资（亿元）」：“面议”不是金额…",
                  "第2行「项目级别」：“国家级”不是可选值…",
                  "第3行「牵头单位」：未找到单位“不存在局”",
                  "第3行「产业链节点」：未找到产业链节点“不存在节点”",
                  "第3行「开工计划日期」：“2026-13-01”不是日期…",
                  "第3行「项目名称」：“皓晶新材料项目”与第4行重复",
                  "第5行「开工计划日期」：计划日期顺序不对：“开工”（2026-02-01）早于“签约”（2026-05-01）")
    assert not Project.objects.exists()


def test_a_row_failing_while_applying_leaves_nothing(users, units, node, monkeypatch):
    batch = preview(users["admin"], "projects.projects", _rows())
    assert batch.errors == []
    real = services.project_create

    def fail_on_the_second(**kwargs):
        if Project.objects.exists():
            raise RuntimeError("断电")
        return real(**kwargs)

    monkeypatch.setattr(services, "project_create", fail_on_the_second)
    with pytest.raises(RuntimeError):
        import_apply(actor=users["admin"], batch=batch)
    assert not Project.objects.exists() and not StageStep.objects.exists()
    assert not ChangeRecord.objects.filter(content_type__model="project").exists()


def test_revert_removes_the_created_projects(users, units, node):
    batch = run(users["admin"], "projects.projects", _rows())
    import_revert(actor=users["admin"], batch=batch)
    assert not Project.objects.exists() and not StageStep.objects.exists()
