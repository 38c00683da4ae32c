"""Plans through the API: import from text or file, activate, close, and the scoped section tree."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yuanqu.plans.models import Plan, Section

from ...factories import make_target
from .conftest import ROLES, count_queries

PLAN_TEXT = (
    "一、招商引资\n（一）招大引强。全年招引项目100个，其中亿元以上项目10个。\n"
    "二、乡村振兴\n（一）培育新型农民。培育新型农民不少于150人。\n"
)
MANAGERS = {"admin", "supervisor"}


@pytest.fixture
def draft_plan(plan, units):
    draft = Plan.objects.create(year=plan.year + 1, title="明年计划", source_text="一、招商。")
    section = Section.objects.create(plan=draft, no="一", title="招商")
    make_target(draft, section, units["invest"], "签约项目20个")
    return draft


@pytest.mark.parametrize("role", ROLES)
def test_import_from_json_text_by_role(client_as, plan, role):
    body = {"text": PLAN_TEXT, "year": plan.year + 1, "title": "明年工作计划"}
    response = client_as(role).post("/api/plans/plans/import/", body, format="json")
    assert response.status_code == (201 if role in MANAGERS else 403)
    imported = Plan.objects.filter(title="明年工作计划")
    if role in MANAGERS:
        data = response.json()
        assert (data["status"], data["year"], data["source_text"]) == ("draft", plan.year + 1, PLAN_TEXT)
        assert [(s["no"], s["title"]) for s in data["sections"]] == [("一", "招商引资"), ("二", "乡村振兴")]
        assert data["sections"][0]["measures"][0]["head"] == "招大引强"
        assert sum(s["target_count"] for s in data["sections"]) == imported.get().targets.count() > 0
    else:
        assert response.json()["message"] == "只有督查室或管理员可以导入计划。"
        assert not imported.exists()


def test_import_from_an_uploaded_file(client_as, plan):
    upload = SimpleUploadedFile("计划.txt", PLAN_TEXT.encode("utf-8"), content_type="text/plain")
    response = client_as("supervisor").post(
        "/api/plans/plans/import/", {"file": upload, "year": plan.year + 1}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["title"] == f"{plan.year + 1}年度工作计划"
    assert len(response.json()["sections"]) == 2


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"text": "这是一段没有编号的文字。", "year": 2027}, "source_text", "未识别到任何章节"),
        ({"text": "   ", "year": 2027}, "text", "请上传计划文件，或填写计划原文"),
        ({"text": PLAN_TEXT}, "year", "年度"),
        ({"text": PLAN_TEXT, "year": 1999}, "year", "年度"),
        ({"file": SimpleUploadedFile("图.txt", b"\x89PNG\r\n\x1a\n\x00\x00"), "year": 2027}, "file", "图.txt"),
    ],
)
def test_bad_import_is_a_400_in_chinese_and_writes_nothing(client_as, plan, body, field, words):
    fmt = "multipart" if "file" in body else "json"
    response = client_as("supervisor").post("/api/plans/plans/import/", body, format=fmt)
    assert response.status_code == 400
    assert words in response.json()["message"]
    assert response.json()["field"] == field
    assert "/tmp" not in response.json()["message"]
    assert Plan.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_activate_by_role(client_as, draft_plan, role):
    response = client_as(role).post(f"/api/plans/plans/{draft_plan.pk}/activate/")
    expected = 200 if role in MANAGERS else 403 if role in {"leader", "leader_invest"} else 404  # reporters never see drafts
    assert response.status_code == expected
    draft_plan.refresh_from_db()
    assert draft_plan.status == ("active" if expected == 200 else "draft")
    if expected == 200:
        assert response.json()["status_label"] == "执行中"


def test_activate_refuses_targets_without_a_lead_unit(client_as, draft_plan):
    make_target(draft_plan, draft_plan.sections.get(), None, "无人牵头的目标")
    response = client_as("supervisor").post(f"/api/plans/plans/{draft_plan.pk}/activate/")
    assert response.status_code == 400
    assert response.json()["field"] == "lead_unit"
    assert "未指定牵头单位" in response.json()["message"]
    draft_plan.refresh_from_db()
    assert draft_plan.status == "draft"


@pytest.mark.parametrize("role", ROLES)
def test_close_by_role(client_as, plan, role):
    response = client_as(role).post(f"/api/plans/plans/{plan.pk}/close/")
    assert response.status_code == (200 if role in MANAGERS else 403)
    plan.refresh_from_db()
    assert plan.status == ("closed" if role in MANAGERS else "active")
    again = client_as("supervisor").post(f"/api/plans/plans/{plan.pk}/close/")
    assert again.status_code == (400 if role in MANAGERS else 200)


@pytest.mark.parametrize(
    ("role", "counts"),
    [
        ("supervisor", [2, 2]),
        ("leader", [2, 2]),
        ("invest", [2, 0]),
        ("agri", [1, 2]),
        ("village", [0, 1]),
        ("nounit", [0, 0]),
        ("invest_village", [2, 1]),
        ("leader_invest", [2, 2]),
    ],
)
def test_section_tree_counts_only_what_the_user_sees(client_as, plan, role, counts):
    data = client_as(role).get(f"/api/plans/plans/{plan.pk}/").json()
    assert [s["target_count"] for s in data["sections"]] == counts
    for section in data["sections"]:
        assert sum(section["status_counts"].values()) == section["target_count"]


def test_plan_filters(client_as, plan, draft_plan):
    client = client_as("supervisor")
    assert [p["id"] for p in client.get("/api/plans/plans/", {"status": "draft"}).json()["results"]] == [
        draft_plan.pk
    ]
    assert [p["id"] for p in client.get("/api/plans/plans/", {"year": plan.year}).json()["results"]] == [plan.pk]


@pytest.mark.parametrize("role", ["supervisor", "agri"])
def test_plan_detail_query_count_does_not_grow_with_the_data(client_as, plan, grow, role):
    client = client_as(role)
    grow(2)  # one target of each kind first: the selector queries ledger counts only when there are any
    small = count_queries(lambda: client.get(f"/api/plans/plans/{plan.pk}/"))
    grow(30)
    for n in range(5):
        plan.sections.get(no="一").measures.create(no=f"（{n}）", head=f"举措{n}")
    assert count_queries(lambda: client.get(f"/api/plans/plans/{plan.pk}/")) == small


# ---------------------------------------------------------------- bulk assignment (a service, page and API alike)


@pytest.mark.parametrize("role", ROLES)
def test_bulk_assign_by_role(client_as, draft_plan, units, role):
    picked = list(draft_plan.targets.all())
    body = {"targets": [{"id": t.pk, "version": t.version} for t in picked], "lead_unit": units["agri"].pk}
    response = client_as(role).post(f"/api/plans/plans/{draft_plan.pk}/assign/", body, format="json")
    leads = set(draft_plan.targets.values_list("lead_unit", flat=True))
    if role in MANAGERS:
        assert response.status_code == 200, response.json()
        assert leads == {units["agri"].pk}
    else:
        # Reporters do not see drafts at all (404); leaders see them but may not edit (403).
        assert response.status_code in {403, 404}
        assert leads == {units["invest"].pk}


def test_bulk_assign_is_all_or_nothing_and_names_what_is_wrong(client_as, draft_plan, plan, units):
    draft_target = draft_plan.targets.get()
    other_plan_target = plan.targets.first()
    client = client_as("supervisor")
    url = f"/api/plans/plans/{draft_plan.pk}/assign/"

    stale = client.post(url, {"targets": [{"id": draft_target.pk, "version": draft_target.version + 1}],
                              "lead_unit": units["agri"].pk}, format="json")
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["message"]

    foreign = client.post(url, {"targets": [{"id": draft_target.pk}, {"id": other_plan_target.pk}],
                                "lead_unit": units["agri"].pk}, format="json")
    assert foreign.status_code == 400 and f"#{other_plan_target.pk}" in foreign.json()["message"]

    units["agri"].is_active = False
    units["agri"].save()
    inactive = client.post(url, {"targets": [{"id": draft_target.pk}], "lead_unit": units["agri"].pk}, format="json")
    assert inactive.status_code == 400 and "已停用" in inactive.json()["message"]

    empty = client.post(url, {"targets": [], "lead_unit": units["invest"].pk}, format="json")
    assert empty.status_code == 400 and empty.json()["field"] == "targets"

    draft_target.refresh_from_db()
    assert draft_target.lead_unit_id == units["invest"].pk and draft_target.version == 1
