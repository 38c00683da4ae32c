"""Progress reports through the API: who submits and reviews, append-only, and the light they move."""

import pytest

from yuanqu.plans import services
from yuanqu.plans.models import ProgressReport

from ...factories import target
from .conftest import ROLES, VISIBLE, grown_list

# Who may file on which target: managers on all; reporters on targets led in their subtree.
SUBMIT = {
    ("admin", "招引项目"): 201,
    ("supervisor", "三南村"): 201,
    ("leader", "招引项目"): 403,
    ("invest", "招引项目"): 201,
    ("invest", "农民收入"): 201,
    ("agri", "培育新型农民"): 201,
    ("agri", "三南村"): 201,  # led by its village
    ("agri", "农民收入"): 403,  # only cooperating
    ("village", "三南村"): 201,
    ("village", "培育新型农民"): 400,  # not in scope: no such target for them
    ("nounit", "招引项目"): 400,
}
FIGURES = {
    "招引项目": {"value": "30"},
    "农民收入": {"value": "4"},
    "培育新型农民": {"value": "70"},
    "三南村": {"percent": "40"},
}


@pytest.mark.parametrize(("role", "start"), list(SUBMIT))
def test_report_submit_by_role(client_as, plan, this_month, role, start):
    t = target(plan, start)
    body = {"target": t.pk, "period": this_month, "narrative": "本月推进顺利", **FIGURES[start]}
    response = client_as(role).post("/api/plans/reports/", body, format="json")
    assert response.status_code == SUBMIT[(role, start)], response.json()
    if response.status_code == 201:
        data = response.json()
        assert (data["period"], data["version"], data["review"], data["is_current"]) == (
            this_month,
            1,
            "pending",
            True,
        )
        assert data["target"]["id"] == t.pk
        assert ProgressReport.objects.filter(target=t).count() == 1
    else:
        assert ProgressReport.objects.filter(target=t).count() == 0
    if response.status_code == 400:
        assert response.json()["field"] == "target"


def review_code(role: str, start: str) -> int:
    if role in {"admin", "supervisor"}:
        return 200
    return 403 if start in VISIBLE[role] else 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("start", ["招引项目", "三南村"])
@pytest.mark.parametrize("verb", ["accept", "return"])
def test_report_review_by_role(client_as, reports, role, start, verb):
    report = reports[start]
    response = client_as(role).post(
        f"/api/plans/reports/{report.pk}/{verb}/", {"comment": "请补充佐证材料"}, format="json"
    )
    assert response.status_code == review_code(role, start)
    report.refresh_from_db()
    if response.status_code == 200:
        outcome = "accepted" if verb == "accept" else "returned"
        assert response.json()["review"] == outcome
        assert response.json()["reviewed_by"]["username"] == {"admin": "admin1", "supervisor": "super1"}[role]
        assert report.review == outcome
    else:
        assert report.review == "pending"


def test_return_needs_a_comment(client_as, reports):
    report = reports["招引项目"]
    response = client_as("supervisor").post(
        f"/api/plans/reports/{report.pk}/return/", {"comment": " "}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "退回时请填写退回意见。"
    report.refresh_from_db()
    assert report.review == "pending"


def test_a_report_is_reviewed_once(client_as, reports):
    client = client_as("supervisor")
    url = f"/api/plans/reports/{reports['招引项目'].pk}/accept/"
    assert client.post(url).status_code == 200
    again = client.post(url)
    assert again.status_code == 400
    assert "不能重复审核" in again.json()["message"]


def test_submit_then_accept_changes_the_targets_light(client_as, plan, this_month):
    t = target(plan, "培育新型农民")
    agri, supervisor = client_as("agri"), client_as("supervisor")
    before = agri.get(f"/api/plans/targets/{t.pk}/").json()["evaluation"]
    assert before["completion"] is None and before["status"] != "done"
    body = {
        "target": t.pk,
        "period": this_month,
        "value": "150",
        "narrative": "150人完成培训",
        "based_on_version": 0,
    }
    report = agri.post("/api/plans/reports/", body, format="json").json()
    pending = agri.get(f"/api/plans/targets/{t.pk}/").json()["evaluation"]
    assert pending == before  # a pending report does not count yet
    assert (
        supervisor.post(
            f"/api/plans/reports/{report['id']}/accept/", {"comment": "属实"}, format="json"
        ).status_code
        == 200
    )
    after = agri.get(f"/api/plans/targets/{t.pk}/").json()["evaluation"]
    assert (after["status"], after["status_label"], after["completion"]) == ("done", "已完成", 100.0)
    listed = {x["id"]: x for x in agri.get("/api/plans/targets/").json()["results"]}
    assert listed[t.pk]["evaluation"] == after


def test_a_correction_is_a_new_version_and_the_old_one_stays(client_as, reports, plan, this_month):
    t = target(plan, "招引项目")
    client = client_as("invest")
    body = {"target": t.pk, "period": this_month, "value": "45", "narrative": "更正", "based_on_version": 1}
    response = client.post("/api/plans/reports/", body, format="json")
    assert response.status_code == 201 and response.json()["version"] == 2
    versions = client.get("/api/plans/reports/", {"target": t.pk}).json()["results"]
    assert [(r["version"], r["is_current"]) for r in versions] == [(2, True), (1, False)]
    current = client.get("/api/plans/reports/", {"target": t.pk, "current": "true"}).json()["results"]
    assert [r["version"] for r in current] == [2]
    stale = client.post(f"/api/plans/reports/{reports['招引项目'].pk}/accept/")
    assert stale.status_code == 403  # reporters do not review, whatever the version


def test_stale_based_on_version_is_a_conflict_and_writes_nothing(client_as, reports, plan, this_month):
    t = target(plan, "招引项目")
    body = {
        "target": t.pk,
        "period": this_month,
        "value": "45",
        "narrative": "基于空白表单",
        "based_on_version": 0,
    }
    response = client_as("invest").post("/api/plans/reports/", body, format="json")
    assert response.status_code == 409
    assert "已有第1版" in response.json()["message"]
    assert ProgressReport.objects.filter(target=t).count() == 1


def test_reviewing_a_superseded_version_is_a_conflict(client_as, reports, plan, this_month, users):
    old = reports["招引项目"]
    services.report_submit(
        actor=users["invest"], target=old.target, period=this_month, value="50", narrative="更新"
    )
    response = client_as("supervisor").post(f"/api/plans/reports/{old.pk}/accept/")
    assert response.status_code == 409
    old.refresh_from_db()
    assert old.review == "pending"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"value": "abc"}, "value", "完成值"),
        ({"percent": "120"}, "percent", "完成进度"),
        ({"period": "2026/03"}, "period", "报告月份"),
        ({"period": "2999-01"}, "period", "未来月份"),
        ({"narrative": ""}, "narrative", "工作进展"),
        ({"value": None}, "value", "请填写完成值"),
    ],
)
def test_bad_report_input_names_the_field_and_writes_nothing(
    client_as, plan, this_month, change, field, words
):
    t = target(plan, "培育新型农民")
    body = {"target": t.pk, "period": this_month, "value": "10", "narrative": "进展", **change}
    response = client_as("agri").post("/api/plans/reports/", body, format="json")
    assert response.status_code == 400
    assert words in response.json()["message"]
    assert response.json()["field"] == field
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("role", ["supervisor", "invest"])
def test_reports_are_append_only(client_as, reports, method, role):
    report = reports["招引项目"]
    response = getattr(client_as(role), method)(f"/api/plans/reports/{report.pk}/", {"value": "99"}, format="json")
    assert response.status_code == 405
    report.refresh_from_db()
    assert report.value == 40


def test_report_filters(client_as, reports, plan, units, users, this_month):
    client = client_as("supervisor")
    services.report_accept(actor=users["supervisor"], report=reports["三南村"])

    def targets(**params):
        response = client.get("/api/plans/reports/", params)
        assert response.status_code == 200, response.json()
        return {r["target"]["title"][:4] for r in response.json()["results"]}

    assert targets(review="accepted") == {"三南村创"}
    assert targets(lead_unit=units["invest"].pk) == {"招引项目", "农民收入"}
    assert targets(period=this_month, plan=plan.pk) == {"招引项目", "培育新型", "三南村创", "农民收入"}
    assert targets(period="2000-01") == set()
    bad = client.get("/api/plans/reports/", {"period": "三月"})
    assert bad.status_code == 400 and bad.json()["field"] == "period"


@pytest.mark.parametrize("role", ["supervisor", "agri"])
def test_report_list_query_count_does_not_grow_with_the_data(client_as, reports, grow, role):
    assert grown_list(client_as(role), "/api/plans/reports/", grow)["count"] > 30


def test_a_report_carries_attachments_through_the_api(client_as, plan, this_month):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ...factories import target

    t = target(plan, "培育新型农民")
    client = client_as("agri")
    data = {"target": t.pk, "period": this_month, "value": "20", "narrative": "推进",
            "files": [SimpleUploadedFile("台账.xlsx", b"x" * 10), SimpleUploadedFile("现场.jpg", b"y" * 10)]}
    response = client.post("/api/plans/reports/", data, format="multipart")
    assert response.status_code == 201, response.json()
    links = [a["url"] for a in response.json()["attachments"]]
    assert len(links) == 2 and client.get(links[0]).status_code == 200
    bad = dict(data, files=[SimpleUploadedFile("脚本.html", b"<script>")], based_on_version=1)
    response = client.post("/api/plans/reports/", bad, format="multipart")
    assert response.status_code == 400 and "类型不支持" in response.json()["message"]
    assert ProgressReport.objects.filter(target=t).count() == 1
