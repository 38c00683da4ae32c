"""The Party tests' zone: the conftest's units and users, a 党建办 with its worker, a village branch,
a department branch, a checklist for this year and a few enterprises."""

import pytest
from django.apps import apps

from yuanqu.enterprises.models import Enterprise
from yuanqu.party import services, stages
from yuanqu.party.abilities import PARTY_OFFICE

from ..factories import code_for, make_bureau, make_user

YEAR = 2026  # the tests' today is 2026-09-15

ITEMS = [
    {"dimension": "组织设置", "title": "按期换届", "rule": "check", "max_score": 20, "veto": True},
    {"dimension": "组织生活", "title": "三会一课", "rule": "deduct", "max_score": 30, "points_each": 2,
     "evidence_required": True},
    {"dimension": "保障建设", "title": "党务公开", "rule": "deduct", "max_score": 50, "points_each": 5},
    {"dimension": "特色", "title": "获表彰", "rule": "add", "max_score": 6, "points_each": 3},
]


@pytest.fixture
def zone(users, units):
    stages.load(apps.get_model)
    office_unit = make_bureau(units, "党建工作办公室", "党建办")
    users["office"] = make_user("office1", PARTY_OFFICE, office_unit, full_name="刘洋")
    units["office"] = office_unit
    return users


@pytest.fixture
def template(zone):
    return services.template_create(actor=zone["office"], data={
        "name": "规范化考评清单", "year": YEAR, "total_score": 100, "pass_mark": 80, "exemplary_mark": 95,
        "items": ITEMS})


@pytest.fixture
def orgs(zone, units):
    office = zone["office"]
    village = services.organisation_create(actor=office, data={
        "name": "中共三南村总支部委员会", "form": "general", "unit": units["village"], "full_members": 58,
        "probationary_members": 3, "secretary": "钱红", "committee": "钱红、张三、李四", "term_start": "2021-04-01"})
    dept = services.organisation_create(actor=office, data={
        "name": "中共招商局支部委员会", "form": "branch", "unit": units["invest"], "full_members": 9,
        "probationary_members": 0, "committee": "甲、乙、丙", "term_start": "2025-01-01"})
    return {"village": village, "dept": dept}


@pytest.fixture
def firms(db):
    return [Enterprise.objects.create(name=f"两新企业{n}", credit_code=code_for(n)) for n in range(1, 9)]
