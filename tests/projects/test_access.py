"""Who sees and edits what, on every page and endpoint: the lead unit's reporters keep their unit's
projects; leaders, the 督查室 and administrators read all; other units see nothing. Query counts
stay flat as projects grow."""

import datetime as dt

import pytest

from yuanqu.projects import services
from yuanqu.projects.models import Problem, ProblemCategory, Project, Stage

from ..access import assert_export_filtered, queries, signed_in

pytestmark = pytest.mark.django_db

READERS = ["admin", "supervisor", "leader", "invest"]


@pytest.fixture
def zone(make_project, users):
    """One project of 招商局 (reached 签约, a return, a problem) and one of 农业农村局."""
    ours = make_project("邮轮内装项目", unit="invest", reached={Stage.SIGNED: dt.date(2026, 2, 1)})
    services.return_submit(actor=None, project=ours, data={"month": "2026-08", "completed_month": "1.5",
                                                         "completed_total": "1.5", "progress": "主体施工"})
    problem = services.problem_create(actor=None, project=ours, data={
        "category": ProblemCategory.objects.get(name="用地"), "description": "用地指标未落实"})
    theirs = make_project("智慧农业项目", unit="agri")
    return {"ours": ours, "theirs": theirs, "problem": problem}


def _pages(zone):
    ours, problem = zone["ours"], zone["problem"]
    return [f"/projects/{ours.pk}/", "/projects/", "/projects/export.xlsx", f"/api/projects/projects/{ours.pk}/",
            f"/api/projects/problems/{problem.pk}/"]


@pytest.mark.parametrize("role", [*READERS, "agri", "village", "nounit"])
def test_the_list_and_the_api_show_exactly_the_roles_projects(client, zone, users, role):
    client.force_login(users[role])
    expected = {"admin": {"邮轮内装项目", "智慧农业项目"}, "supervisor": {"邮轮内装项目", "智慧农业项目"},
                "leader": {"邮轮内装项目", "智慧农业项目"}, "invest": {"邮轮内装项目"},
                "agri": {"智慧农业项目"}, "village": set(), "nounit": set()}[role]
    page = client.get("/projects/")
    api = client.get("/api/projects/projects/")
    if role in ("village", "nounit"):
        # a village reporter holds projects.edit for its unit but leads none; no unit at all: nothing
        assert api.json() == [] or api.json().get("results", []) == []
        return
    assert page.status_code == 200
    assert {n for n in expected if n in page.content.decode()} == expected
    names = {row["name"] for row in (api.json() if isinstance(api.json(), list) else api.json()["results"])}
    assert names == expected


@pytest.mark.parametrize("role", ["agri", "village"])
def test_a_project_out_of_scope_is_a_404_on_page_and_api(client, zone, users, role):
    client.force_login(users[role])
    ours = zone["ours"]
    for url in (f"/projects/{ours.pk}/", f"/api/projects/projects/{ours.pk}/",
                f"/api/projects/problems/{zone['problem'].pk}/"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", READERS)
def test_every_reader_opens_every_page(client, zone, users, role):
    client.force_login(users[role])
    for url in _pages(zone):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(("role", "status"), [("invest", 302), ("admin", 302), ("leader", 403),
                                               ("supervisor", 403), ("agri", 404)])
def test_who_records_a_stage_on_the_page(client, zone, users, role, status):
    client.force_login(users[role])
    ours = zone["ours"]
    response = client.post(f"/projects/{ours.pk}/stage/", {"stage": "registered", "actual_on": "2026-03-01",
                                                           "version": ours.version})
    assert response.status_code == status
    assert Project.objects.get(pk=ours.pk).stage == ("registered" if status == 302 else "signed")


@pytest.mark.parametrize(("role", "status"), [("invest", 200), ("admin", 200), ("leader", 403),
                                               ("supervisor", 403), ("agri", 404)])
def test_who_records_a_stage_through_the_api(client_as, zone, role, status):
    ours = zone["ours"]
    response = client_as(role).post(f"/api/projects/projects/{ours.pk}/stages/",
                                    {"stage": "registered", "actual_on": "2026-03-01", "version": ours.version},
                                    format="json")
    assert response.status_code == status


@pytest.mark.parametrize(("role", "status"), [("invest", 201), ("leader", 403), ("agri", 404)])
def test_who_files_returns_and_problems_through_the_api(client_as, zone, role, status):
    ours = zone["ours"]
    client = client_as(role)
    filed = client.post(f"/api/projects/projects/{ours.pk}/returns/", {
        "month": "2026-09", "completed_month": "0.5", "completed_total": "2.0", "progress": "封顶"}, format="json")
    assert filed.status_code == status
    problem = client.post(f"/api/projects/projects/{ours.pk}/problems/", {
        "category": "资金", "description": "配套资金未到位"}, format="json")
    assert problem.status_code == status


def test_the_api_refuses_an_inconsistent_cumulative_in_chinese(client_as, zone):
    response = client_as("invest").post(f"/api/projects/projects/{zone['ours'].pk}/returns/", {
        "month": "2026-09", "completed_month": "0.5", "completed_total": "3", "progress": "封顶"}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "completed_total" and "即 2 亿元" in response.json()["message"]


@pytest.mark.parametrize(("role", "status"), [("invest", 201), ("admin", 201), ("leader", 403),
                                               ("supervisor", 403), ("agri", 403)])
def test_who_registers_a_project_through_the_api(client_as, units, users, role, status):
    response = client_as(role).post("/api/projects/projects/", {
        "name": "新项目", "investor": "某集团", "total_investment": "12", "lead_unit": units["invest"].pk,
        "planned": {"signed": "2026-10-01", "started": "2027-03-01"}}, format="json")
    assert response.status_code == status, response.content
    if status == 201:
        assert [s["planned_on"] for s in response.json()["steps"]][:4] == ["2026-10-01", None, None, "2027-03-01"]


def test_an_edit_needs_the_version_and_a_stale_one_is_a_409(client_as, zone):
    client, ours = client_as("invest"), zone["ours"]
    url = f"/api/projects/projects/{ours.pk}/"
    assert client.patch(url, {"industry": "邮轮配套"}, format="json").status_code == 400
    assert client.patch(url, {"industry": "邮轮配套", "version": 1}, format="json").status_code == 409
    ok = client.patch(url, {"industry": "邮轮配套", "version": ours.version}, format="json")
    assert ok.status_code == 200 and ok.json()["industry"] == "邮轮配套"


def test_the_export_writes_the_filtered_rows_with_the_filters_named(client, zone, users):
    assert_export_filtered(signed_in(client, users["leader"]), "/projects/export.xlsx?stage=signed",
                           kept="邮轮内装项目", dropped="智慧农业项目", caption="阶段：签约")


def test_late_gates_show_red_on_the_list_and_the_page(client, zone, users):
    client.force_login(users["invest"])
    page = client.get(f"/projects/{zone['ours'].pk}/").content.decode()
    assert page.count('data-late="1"') == 2  # 注册 (2026-05-10) and 供地 (2026-09-10) have passed
    listing = client.get("/projects/?late=1").content.decode()
    assert "邮轮内装项目" in listing and "text-bg-danger" in listing


@pytest.mark.parametrize("url", ["/projects/", "/projects/export.xlsx", "/api/projects/projects/",
                                 "/api/projects/problems/"])
def test_queries_do_not_grow_with_the_number_of_projects(client, users, make_project, url):
    client.force_login(users["leader"])

    def add(start, n):
        for i in range(start, start + n):
            project = make_project(f"项目{i}", reached={Stage.SIGNED: dt.date(2026, 2, 1)}, leader=users["leader"])
            services.problem_create(actor=None, project=project, data={
                "category": ProblemCategory.objects.first(), "description": "问题"})

    add(0, 3)
    few = queries(client, url)
    add(3, 10)
    assert queries(client, url) == few


def test_the_project_page_does_not_grow_with_its_returns_and_problems(client, users, make_project):
    project = make_project(reached={Stage.SIGNED: dt.date(2026, 1, 5)})
    client.force_login(users["invest"])

    def add(months):
        for m in months:
            services.return_submit(actor=None, project=project, data={
                "month": f"2026-{m:02d}", "completed_month": "1", "completed_total": str(m), "progress": "施工"})
            services.problem_create(actor=None, project=project, data={
                "category": ProblemCategory.objects.first(), "description": f"问题{m}"})

    add([1, 2])
    few = queries(client, f"/projects/{project.pk}/")
    add([3, 4, 5, 6])
    assert queries(client, f"/projects/{project.pk}/") == few
    assert Problem.objects.count() == 6


@pytest.mark.parametrize(("role", "status"), [("invest", 302), ("leader", 403), ("supervisor", 403), ("agri", 404)])
def test_every_form_of_the_project_page_is_the_lead_units(client, zone, users, role, status):
    client.force_login(users[role])
    ours, problem = zone["ours"], zone["problem"]
    posts = [
        (f"/projects/{ours.pk}/plan/", {"planned_started": "2027-02-01"}),
        (f"/projects/{ours.pk}/returns/", {"month": "2026-09", "completed_month": "1", "completed_total": "2.5",
                                           "progress": "封顶"}),
        (f"/projects/{ours.pk}/problems/", {"category": ProblemCategory.objects.first().pk, "description": "缺电",
                                            "assigned_unit": ours.lead_unit_id}),
        (f"/projects/problems/{problem.pk}/raise/", {"deadline": "2026-10-30", "version": problem.version}),
        (f"/projects/problems/{problem.pk}/solve/", {"solution": "已协调", "version": problem.version + 1}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        # the problem pages answer a refusal with a message on the project page (a redirect)
        expected = 302 if status == 403 and "/problems/" in url and url.endswith(("raise/", "solve/")) else status
        assert response.status_code == expected, url
    assert (Problem.objects.get(pk=problem.pk).status == "solved") == (status == 302)
    assert client.get(f"/projects/{ours.pk}/edit/").status_code == (200 if status == 302 else status)


def test_files_are_served_only_within_scope(client, zone, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ours = zone["ours"]
    report = services.return_submit(actor=None, project=ours, photos=[SimpleUploadedFile("工地.png", b"\x89PNG")],
                                    data={"month": "2026-09", "completed_month": "1", "completed_total": "2.5",
                                          "progress": "封顶"})
    services.stage_reach(actor=None, project=ours, stage="registered", actual_on=dt.date(2026, 3, 1),
                         files=[SimpleUploadedFile("营业执照.pdf", b"%PDF-1.4")])
    photo, evidence = report.photos.get(), ours.steps.get(stage="registered").evidence.get()
    for role, status in (("leader", 200), ("invest", 200), ("agri", 404)):
        client.force_login(users[role])
        assert client.get(f"/projects/photos/{photo.pk}/").status_code == status
        assert client.get(f"/projects/evidence/{evidence.pk}/").status_code == status


def test_the_api_offers_only_parcels_the_user_may_see(client_as, units, zone):
    from yuanqu.land import services as land_services

    def parcel(code, unit):
        return land_services.parcel_create(actor=None, data={
            "code": code, "name": f"地块{code}", "area_text": "10亩", "use": "工业", "unit": units[unit]})

    ours, theirs = parcel("A-01", "invest"), parcel("B-01", "agri")
    client, url = client_as("invest"), "/api/projects/projects/"
    data = {"name": "新项目", "investor": "某集团", "total_investment": "12", "lead_unit": units["invest"].pk}
    refused = client.post(url, {**data, "parcel": theirs.pk}, format="json")
    assert refused.status_code == 400 and refused.json()["field"] == "parcel"
    created = client.post(url, {**data, "name": "新项目二", "parcel": ours.pk}, format="json")
    assert created.status_code == 201 and created.json()["parcel"] == ours.pk


@pytest.mark.parametrize(("role", "status"), [("invest", 201), ("admin", 201), ("leader", 403),
                                               ("supervisor", 403), ("agri", 400)])
def test_who_converts_a_signed_lead_through_the_api(client_as, units, role, status):
    # Readers of every lead who may not keep 招商局's projects: 403; a unit that cannot see the lead
    # is told it does not exist for it (400 on the lead field).
    from yuanqu.investment import services as lead_services
    from yuanqu.investment.models import PIPELINE
    lead = lead_services.lead_create(actor=None, data={"name": "嘉浩项目", "investor": "嘉浩集团",
                                                      "amount_text": "8亿元", "unit": units["invest"]})
    for stage in PIPELINE[1:]:
        lead = lead_services.lead_transition(actor=None, lead=lead, action=lead_services.STEP_INTO[stage])
    response = client_as(role).post("/api/projects/projects/from-lead/", {
        "lead": lead.pk, "planned": {"started": "2027-03-01"}}, format="json")
    assert response.status_code == status, response.content
    if status == 201:
        body = response.json()
        assert body["name"] == "嘉浩项目" and body["stage"] == "signed" and body["lead"] == lead.pk
        again = client_as(role).post("/api/projects/projects/from-lead/", {"lead": lead.pk}, format="json")
        assert again.status_code == 409 and "不能重复转换" in again.json()["message"]
    else:
        assert not Project.objects.exists()
