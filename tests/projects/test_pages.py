"""The forms go through the services; the lead page offers 转为项目 once the lead is signed and
then shows the project; the project page carries the timeline's data for its chart."""

import datetime as dt
import json

import pytest

from yuanqu.core.models import ChangeRecord
from yuanqu.investment import services as lead_services
from yuanqu.investment.models import PIPELINE
from yuanqu.projects.models import Project, Stage, StageStep

pytestmark = pytest.mark.django_db


def test_the_form_registers_a_project_with_its_plan_and_refuses_dates_out_of_order(client, users, units):
    client.force_login(users["invest"])
    base = {"name": "嘉浩新能源项目", "investor": "嘉浩集团", "total_investment": "60", "level": "city",
            "lead_unit": units["invest"].pk}
    bad = client.post("/projects/new/", {**base, "planned_signed": "2026-10-01", "planned_started": "2026-05-01"})
    assert bad.status_code == 200 and "计划日期顺序不对" in bad.content.decode()
    assert not Project.objects.exists()
    ok = client.post("/projects/new/", {**base, "planned_signed": "2026-10-01", "planned_started": "2027-05-01"})
    project = Project.objects.get()
    assert ok.status_code == 302 and ok.url == f"/projects/{project.pk}/"
    assert StageStep.objects.get(project=project, stage="started").planned_on == dt.date(2027, 5, 1)
    client.force_login(users["leader"])
    assert client.get("/projects/new/").status_code == 403
    assert client.get(f"/projects/{project.pk}/edit/").status_code == 403


def test_the_edit_form_keeps_the_version_and_the_history_names_the_change(client, users, make_project):
    project = make_project()
    client.force_login(users["invest"])
    data = {"name": project.name, "investor": project.investor, "total_investment": "80", "level": "provincial",
            "lead_unit": project.lead_unit_id}
    assert client.post(f"/projects/{project.pk}/edit/", {**data, "expected_version": project.version + 3}).status_code == 200
    assert client.post(f"/projects/{project.pk}/edit/", {**data, "expected_version": project.version}).status_code == 302
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "总投资（亿元）：50.0000 → 80.0000" in page or "总投资（亿元）：50 → 80" in page


def test_the_stage_form_shows_a_refusal_on_its_field(client, users, make_project):
    project = make_project()
    client.force_login(users["invest"])
    response = client.post(f"/projects/{project.pk}/stage/", {"stage": "started", "actual_on": "2026-03-01",
                                                              "version": project.version})
    assert response.status_code == 400 and "须填写跳过原因" in response.content.decode()
    assert Project.objects.get().stage == Stage.PLANNED


def test_the_page_carries_the_timeline_for_its_chart_without_inline_script(client, users, make_project):
    project = make_project(reached={Stage.SIGNED: dt.date(2026, 1, 20)})
    client.force_login(users["leader"])
    html = client.get(f"/projects/{project.pk}/").content.decode()
    data = json.loads(html.split('<script id="timeline-data" type="application/json">')[1].split("</script>")[0])
    assert data["stages"][0] == {"stage": "签约", "planned": "2026-01-10", "actual": "2026-01-20", "skipped": False,
                                 "late": False}
    assert data["stages"][1]["late"] is True
    assert "projects/timeline.js" in html and "vendor/echarts/echarts.min.js" in html
    assert "<script>" not in html


@pytest.fixture
def signed_lead(units):
    lead = lead_services.lead_create(actor=None, data={"name": "佳禾食品项目", "investor": "佳禾集团",
                                                      "amount_text": "12亿元", "unit": units["invest"]})
    for stage in PIPELINE[1:]:
        lead = lead_services.lead_transition(actor=None, lead=lead, action=lead_services.STEP_INTO[stage])
    return lead


def test_a_signed_lead_offers_conversion_once_and_then_shows_its_project(client, users, signed_lead):
    client.force_login(users["invest"])
    lead_page = client.get(f"/investment/{signed_lead.pk}/").content.decode()
    assert f'href="/projects/from-lead/{signed_lead.pk}/"' in lead_page
    form = client.get(f"/projects/from-lead/{signed_lead.pk}/")
    assert form.status_code == 200 and 'value="佳禾食品项目"' in form.content.decode()
    response = client.post(f"/projects/from-lead/{signed_lead.pk}/", {
        "name": "佳禾食品项目", "investor": "佳禾集团", "total_investment": "12", "level": "district",
        "lead_unit": signed_lead.unit_id, "planned_started": "2026-12-01"})
    project = Project.objects.get()
    assert response.status_code == 302 and project.lead_id == signed_lead.pk and project.stage == Stage.SIGNED
    lead_page = client.get(f"/investment/{signed_lead.pk}/").content.decode()
    assert 'data-testid="lead-project"' in lead_page and f"/projects/{project.pk}/" in lead_page
    assert "/projects/from-lead/" not in lead_page
    again = client.get(f"/projects/from-lead/{signed_lead.pk}/")  # once: back to the project
    assert again.status_code == 302 and again.url == f"/projects/{project.pk}/"
    assert Project.objects.count() == 1
    assert ChangeRecord.objects.filter(object_id=project.pk, note__startswith="由招商线索转入").exists()


def test_an_open_lead_offers_no_conversion_and_leaders_cannot_convert(client, users, units, signed_lead):
    open_lead = lead_services.lead_create(actor=None, data={"name": "在谈项目", "investor": "某集团",
                                                           "unit": units["invest"]})
    client.force_login(users["invest"])
    assert "from-lead" not in client.get(f"/investment/{open_lead.pk}/").content.decode()
    client.force_login(users["leader"])
    assert "from-lead" not in client.get(f"/investment/{signed_lead.pk}/").content.decode()
    assert client.get(f"/projects/from-lead/{signed_lead.pk}/").status_code == 403
    client.force_login(users["agri"])
    assert client.get(f"/projects/from-lead/{signed_lead.pk}/").status_code == 404
