"""督办单 through the REST API: scope by role, 立项, the lifecycle, refusals, extensions, filters,
query counts and the OpenAPI schema."""

import datetime as dt

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.supervision.models import ExtensionRequest, State, SupervisionEvent, SupervisionItem

from .conftest import TODAY, db_state

ROLES = ["admin", "supervisor", "leader", "invest", "agri", "village", "nounit", "invest_village", "leader_invest"]
MANAGERS = {"admin", "supervisor"}
URL = "/api/supervision/items/"


@pytest.fixture
def three(make_item):
    """Items led by the village, by 招商局, and by 招商局 with 农业农村局 assisting."""
    return {
        "village": make_item(lead="village", title="三南村河道整治"),
        "invest": make_item(lead="invest", title="招商签约落地"),
        "assisted": make_item(lead="invest", assisting=["agri"], title="农旅项目对接"),
    }


# Which of `three` each role sees: 农业农村局 sees its village (a unit under it) and what it assists.
SEES = {
    "admin": {"village", "invest", "assisted"},
    "supervisor": {"village", "invest", "assisted"},
    "leader": {"village", "invest", "assisted"},
    "invest": {"invest", "assisted"},
    "agri": {"village", "assisted"},
    "village": {"village"},
    "nounit": set(),
    "invest_village": {"village", "invest", "assisted"},
    "leader_invest": {"village", "invest", "assisted"},
}


def act(client, item, action, **body):
    return client.post(f"{URL}{item.pk}/{action}/", body, format="json")


# ---------------------------------------------------------------- scope


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_show_only_what_the_role_may_see(client_as, three, role):
    client = client_as(role)
    response = client.get(URL)
    assert response.status_code == 200
    got = {row["id"] for row in response.json()["results"]}
    assert got == {three[k].pk for k in SEES[role]}
    for key, item in three.items():
        detail = client.get(f"{URL}{item.pk}/")
        if key in SEES[role]:
            assert detail.status_code == 200
            assert detail["ETag"] == f'"{item.version}"'
        else:
            assert detail.status_code == 404
            assert detail.json()["message"] == "未找到，或您无权查看。"


def test_anonymous_gets_nothing(client_as, three):
    assert client_as("anonymous").get(URL).status_code == 403


def test_detail_carries_events_extensions_and_the_readers_actions(client_as, make_item, users):
    item = make_item(State.IN_PROGRESS, assisting=["invest"])
    ExtensionRequest.objects.create(
        item=item, previous_deadline=item.deadline, requested_deadline=item.deadline + dt.timedelta(days=5),
        reason="天气", progress="过半", requested_by=users["village"],
    )
    data = client_as("village").get(f"{URL}{item.pk}/").json()
    assert data["state"] == "in_progress" and data["state_label"] == "办理中"
    assert [e["action"] for e in data["events"]] == ["create", "assign", "start"]
    assert data["events"][1]["actor"]["username"] == "super1"
    assert [e["status"] for e in data["extension_requests"]] == ["pending"]
    assert data["assisting_units"] == [{"id": item.assisting_units.get().pk, "name": "招商局"}]
    assert "feedback" in data["allowed_actions"] and "close" not in data["allowed_actions"]
    assert client_as("supervisor").get(f"{URL}{item.pk}/").json()["allowed_actions"][:1] == ["urge"]


# ---------------------------------------------------------------- create


@pytest.mark.parametrize("role", ROLES)
def test_only_supervisors_and_admins_register_items(client_as, units, role):
    body = {
        "title": "落实领导批示",
        "source_kind": "leader_instruction",
        "source_text": "请于月底前完成。",
        "lead_unit": units["village"].pk,
        "assisting_units": [units["area"].pk],
        "deadline": str(TODAY + dt.timedelta(days=20)),
    }
    response = client_as(role).post(URL, body, format="json")
    created = SupervisionItem.objects.filter(title="落实领导批示")
    if role in MANAGERS:
        assert response.status_code == 201
        data = response.json()
        assert data["state"] == "registered" and data["number"] == f"督办〔{TODAY.year}〕第1号"
        assert data["lead_unit"]["name"] == "三南村" and data["issuing_unit"]["name"] == "管委会"
        assert [e["action"] for e in data["events"]] == ["create"]
        assert created.get().assisting_units.get() == units["area"]
    else:
        assert response.status_code == 403
        assert response.json()["message"] == "只有督查室可以登记督办事项。"
        assert not created.exists()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"lead_unit": None}, "lead_unit", "牵头单位："),
        ({"source_text": ""}, "source_text", "请填写领导批示的内容。"),
        ({"deadline": str(TODAY - dt.timedelta(days=1))}, "deadline", "不能早于今天"),
        ({"deadline": None}, "deadline", "请填写办理期限或办理时限。"),
        ({"source_kind": "target"}, "target", "来源为目标任务时，请选择关联目标。"),
    ],
)
def test_bad_input_on_create_is_a_chinese_message_naming_the_field(client_as, units, change, field, message):
    body = {
        "title": "落实领导批示", "source_kind": "leader_instruction", "source_text": "请落实。",
        "lead_unit": units["village"].pk, "deadline": str(TODAY + dt.timedelta(days=5)), **change,
    }
    response = client_as("supervisor").post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field and message in response.json()["message"]
    assert not SupervisionItem.objects.exists()


def test_create_links_only_a_target_the_user_may_see(client_as, plan, units):
    target = plan.targets.get(title__startswith="三南村")
    body = {"title": "督促创建", "source_kind": "target", "target": target.pk, "lead_unit": units["village"].pk,
            "time_limit": 10}
    response = client_as("supervisor").post(URL, body, format="json")
    assert response.status_code == 201
    assert response.json()["target"]["id"] == target.pk
    assert response.json()["deadline"] == str(TODAY + dt.timedelta(days=10))


# ---------------------------------------------------------------- the lifecycle


def test_the_whole_lifecycle_through_the_api(client_as, units):
    boss, unit = client_as("supervisor"), client_as("village")
    body = {"title": "整治河道", "source_kind": "meeting_decision", "source_text": "会议决定。",
            "lead_unit": units["village"].pk, "deadline": str(TODAY + dt.timedelta(days=30))}
    item = SupervisionItem.objects.get(pk=boss.post(URL, body, format="json").json()["id"])

    steps = [
        (boss, "assign", {"comment": "请抓紧"}, "assigned"),
        (boss, "urge", {"comment": "加快进度"}, "assigned"),
        (unit, "start", {}, "in_progress"),
        (unit, "feedback", {"result": "已完成初步整治"}, "feedback"),
        (boss, "return", {"comment": "照片不全"}, "in_progress"),
        (unit, "feedback", {"result": "已补充照片"}, "feedback"),
        (boss, "close", {"comment": "同意办结"}, "closed"),
    ]
    version = 1
    for client, action, body, state in steps:
        response = act(client, item, action, version=version, **body)
        assert response.status_code == 200, response.json()
        data = response.json()
        assert data["state"] == state and data["version"] == version + 1
        assert response["ETag"] == f'"{version + 1}"'
        version += 1
    assert [e["action"] for e in data["events"]] == [
        "create", "assign", "urge", "start", "feedback", "return", "feedback", "close"
    ]
    assert data["result"] == "已补充照片" and data["closed_on"] == str(TODAY)
    assert data["urge_count"] == 1 and data["return_count"] == 1 and data["allowed_actions"] == []


def test_version_may_come_from_if_match(client_as, make_item):
    item = make_item()
    response = client_as("supervisor").post(f"{URL}{item.pk}/assign/", {}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200 and response.json()["state"] == "assigned"


@pytest.mark.parametrize(
    "role, start, action, code",
    [
        ("supervisor", State.REGISTERED, "assign", 200),
        ("admin", State.REGISTERED, "assign", 200),
        ("leader", State.REGISTERED, "assign", 403),
        ("village", State.REGISTERED, "assign", 403),
        ("invest", State.REGISTERED, "assign", 404),
        ("village", State.ASSIGNED, "start", 200),
        ("agri", State.ASSIGNED, "start", 200),  # the village's department acts for it
        ("supervisor", State.ASSIGNED, "start", 403),
        ("leader", State.ASSIGNED, "start", 403),
        ("invest", State.ASSIGNED, "start", 404),
        ("nounit", State.ASSIGNED, "start", 404),
        ("village", State.IN_PROGRESS, "urge", 403),
        ("village", State.FEEDBACK, "close", 403),
        ("supervisor", State.FEEDBACK, "close", 200),
    ],
)
def test_who_may_take_each_action(client_as, make_item, role, start, action, code):
    item = make_item(start)
    before = db_state(item)
    response = act(client_as(role), item, action, version=item.version, comment="说明")
    assert response.status_code == code
    if code == 200:
        assert db_state(item) != before
    else:
        assert db_state(item) == before
        if code == 403:
            assert response.json()["message"].startswith("只有")


@pytest.mark.parametrize(
    "start, role, action, body, message, field",
    [
        (State.IN_PROGRESS, "supervisor", "close", {}, "当前状态为“办理中”，不能直接办结。", None),
        (State.CLOSED, "supervisor", "urge", {}, "当前状态为“已办结”，不能再催办。", None),
        (State.REGISTERED, "supervisor", "urge", {}, "当前状态为“立项”，不能直接催办。", None),
        (State.FEEDBACK, "supervisor", "return", {"comment": "  "}, "退回时请填写退回意见。", "comment"),
        (State.IN_PROGRESS, "village", "feedback", {"result": ""}, "请填写办理结果。", "comment"),
    ],
)
def test_a_refused_transition_is_400_and_writes_nothing(client_as, make_item, start, role, action, body, message,
                                                        field):
    item = make_item(start)
    before = db_state(item)
    response = act(client_as(role), item, action, version=item.version, **body)
    assert response.status_code == 400
    assert response.json()["message"] == message and response.json()["field"] == field
    assert db_state(item) == before


def test_a_stale_version_is_409_and_writes_nothing(client_as, make_item):
    item = make_item(State.ASSIGNED)
    before = db_state(item)
    response = act(client_as("supervisor"), item, "urge", version=item.version - 1)
    assert response.status_code == 409
    assert f"当前为第{item.version}版" in response.json()["message"]
    assert db_state(item) == before


@pytest.mark.parametrize("body", [{}, {"version": 0}, {"version": "abc"}])
def test_a_transition_without_a_valid_version_is_refused(client_as, make_item, body):
    item = make_item()
    before = db_state(item)
    response = act(client_as("supervisor"), item, "assign", **body)
    assert response.status_code == 400 and response.json()["field"] == "version"
    assert db_state(item) == before


def test_huge_or_unknown_ids_are_404(client_as, make_item):
    item = make_item()
    client = client_as("supervisor")
    assert client.get(f"{URL}{'9' * 30}/").status_code == 404
    assert client.post(f"{URL}{item.pk}/delete/", {}, format="json").status_code == 404
    assert client.post(f"{URL}{item.pk + 1000}/assign/", {"version": 1}, format="json").status_code == 404


# ---------------------------------------------------------------- extensions


def test_extension_request_and_approval(client_as, make_item):
    item = make_item(State.IN_PROGRESS)
    wanted = item.deadline + dt.timedelta(days=15)
    response = client_as("village").post(
        f"{URL}{item.pk}/extension/",
        {"requested_deadline": str(wanted), "reason": "汛期施工受阻", "progress": "已完成六成"},
        format="json",
    )
    assert response.status_code == 201
    ext = response.json()
    assert ext["status"] == "pending" and ext["previous_deadline"] == str(item.deadline)

    # The unit cannot decide its own request; the 督查室 can.
    decide = f"/api/supervision/extensions/{ext['id']}/decide/"
    refused = client_as("village").post(decide, {"decision": "approved"}, format="json")
    assert refused.status_code == 403
    assert ExtensionRequest.objects.get().status == "pending"
    response = client_as("supervisor").post(decide, {"decision": "approved", "comment": "同意"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    item.refresh_from_db()
    assert item.deadline == wanted
    # Decided once only.
    again = client_as("supervisor").post(decide, {"decision": "refused", "comment": "不行"}, format="json")
    assert again.status_code == 400 and "不能重复审批" in again.json()["message"]


def test_extension_refusal_needs_a_reason_and_keeps_the_deadline(client_as, make_item, users):
    item = make_item(State.ASSIGNED)
    ext = ExtensionRequest.objects.create(
        item=item, previous_deadline=item.deadline, requested_deadline=item.deadline + dt.timedelta(days=3),
        reason="人手不足", progress="刚签收", requested_by=users["village"],
    )
    decide = f"/api/supervision/extensions/{ext.pk}/decide/"
    before = db_state(item)
    response = client_as("supervisor").post(decide, {"decision": "refused"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "comment"
    assert db_state(item) == before
    response = client_as("supervisor").post(decide, {"decision": "refused", "comment": "理由不足"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "refused"
    item.refresh_from_db()
    assert item.deadline == ext.previous_deadline
    bad = client_as("supervisor").post(decide, {"decision": "maybe"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "decision"


def test_extensions_out_of_scope_are_404(client_as, make_item, users):
    item = make_item(State.IN_PROGRESS)
    ext = ExtensionRequest.objects.create(
        item=item, previous_deadline=item.deadline, requested_deadline=item.deadline + dt.timedelta(days=3),
        reason="r", progress="p", requested_by=users["village"],
    )
    invest = client_as("invest")
    assert invest.get(f"/api/supervision/extensions/{ext.pk}/").status_code == 404
    assert invest.post(f"/api/supervision/extensions/{ext.pk}/decide/", {"decision": "approved"},
                       format="json").status_code == 404
    response = invest.post(f"{URL}{item.pk}/extension/", {"requested_deadline": "2099-01-01", "reason": "r",
                                                          "progress": "p"}, format="json")
    assert response.status_code == 404
    assert client_as("village").get(f"/api/supervision/extensions/{ext.pk}/").status_code == 200


def test_an_extension_after_the_deadline_is_refused(client_as, make_item):
    past = TODAY - dt.timedelta(days=20)
    item = make_item(State.IN_PROGRESS, today=past, deadline=past + dt.timedelta(days=5))
    before = db_state(item)
    response = client_as("village").post(
        f"{URL}{item.pk}/extension/",
        {"requested_deadline": str(TODAY + dt.timedelta(days=5)), "reason": "迟了", "progress": "未完成"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["message"] == "已超过办理期限，不能申请延期"
    assert db_state(item) == before


# ---------------------------------------------------------------- filters and query counts


def test_list_filters_are_the_pages_filters(client_as, make_item, units):
    past = TODAY - dt.timedelta(days=20)
    late = make_item(State.IN_PROGRESS, today=past, deadline=past + dt.timedelta(days=5), title="逾期的事项")
    fresh = make_item(State.ASSIGNED, lead="invest", title="新交办的事项",
                      source_kind=SupervisionItem.SourceKind.MEETING_DECISION)
    done = make_item(State.CLOSED, today=past, deadline=past + dt.timedelta(days=5), title="已办结的事项")
    client = client_as("leader")

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {late.pk, fresh.pk, done.pk}
    assert ids(overdue="1") == {late.pk}  # a closed item is never overdue
    assert ids(state="assigned") == {fresh.pk}
    assert ids(lead_unit=units["invest"].pk) == {fresh.pk}
    assert ids(source_kind="meeting_decision") == {fresh.pk}
    assert ids(q="逾期") == {late.pk}
    assert ids(q=late.number) == {late.pk}
    # A value the page would ignore (a stale link) is refused by the API, naming the parameter.
    refused = client.get(URL, {"state": "nonsense"})
    assert refused.status_code == 400 and refused.json()["field"] == "state"
    assert "查询参数 state 应为以下之一" in refused.json()["message"]
    rows = {row["id"]: row for row in client.get(URL).json()["results"]}
    assert rows[late.pk]["overdue"] is True and rows[late.pk]["days_left"] < 0
    assert rows[done.pk]["overdue"] is False


@pytest.mark.parametrize("role", ["supervisor", "agri"])
def test_list_query_count_does_not_grow_with_the_items(client_as, make_item, role):
    client = client_as(role)

    def add(n):
        for i in range(n):
            make_item(State.ASSIGNED if i % 2 else State.REGISTERED, lead=["village", "invest"][i % 2],
                      assisting=["area", "agri"] if i % 2 else ["invest"], title=f"批量督办{i}")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["count"]

    add(3)
    small, count_small = queries()
    add(6)
    large, count_large = queries()
    assert count_large > count_small > 0
    assert large == small


def test_detail_query_count_does_not_grow_with_the_timeline(client_as, make_item, users):
    item = make_item(State.IN_PROGRESS, assisting=["invest"])
    client = client_as("supervisor")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{URL}{item.pk}/").status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for _ in range(5):
        item.refresh_from_db()
        client.post(f"{URL}{item.pk}/urge/", {"version": item.version}, format="json")
    assert SupervisionEvent.objects.filter(item=item, action="urge").count() == 5
    assert queries() == small


# ---------------------------------------------------------------- the schema


def test_the_openapi_schema_still_validates_and_lists_the_supervision_routes(tmp_path):
    out = tmp_path / "s.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    paths = yaml.safe_load(out.read_text(encoding="utf-8"))["paths"]
    ours = {path: set(ops) - {"parameters"} for path, ops in paths.items() if path.startswith("/api/supervision/")}
    actions = {f"/api/supervision/items/{{id}}/{a}/": {"post"}
               for a in ["assign", "start", "feedback", "return", "close", "urge", "extension"]}
    assert ours == {
        "/api/supervision/items/": {"get", "post"},
        "/api/supervision/items/{id}/": {"get"},
        **actions,
        "/api/supervision/extensions/{id}/": {"get"},
        "/api/supervision/extensions/{id}/decide/": {"post"},
    }
    names = {p["name"] for p in paths["/api/supervision/items/"]["get"]["parameters"]}
    assert {"state", "lead_unit", "overdue", "source_kind", "q"} <= names
