"""What every app's API inherits from core without writing it: a retried POST with the same
Idempotency-Key writes once; bad input of every kind is a 4xx in the one Chinese error shape;
a locked database is a 503, never a 500; the schema declares all of it."""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from yuanqu.core.models import IdempotentRequest
from yuanqu.investment.models import Lead
from yuanqu.plans.models import ProgressReport
from yuanqu.supervision.models import SupervisionItem

from ..factories import target

REPORTS = "/api/plans/reports/"


def error_shape(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert set(body) == {"message", "field", "extra"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body["message"]  # Chinese
    return body


# ---------------------------------------------------------------- Idempotency-Key


def report_body(plan):
    return {"target": target(plan, "招引项目").pk, "period": "2026-09", "value": "30", "narrative": "本月推进顺利"}


def test_a_retried_report_with_the_same_key_is_one_version(client_as, plan):
    client = client_as("invest")
    first = client.post(REPORTS, report_body(plan), format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    again = client.post(REPORTS, report_body(plan), format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert ProgressReport.objects.filter(target=target(plan, "招引项目")).count() == 1
    # A new key is a new write: the correction is version 2.
    other = client.post(REPORTS, report_body(plan), format="json", HTTP_IDEMPOTENCY_KEY="r-2")
    assert other.status_code == 201 and other.json()["version"] == 2
    # Without a key, every POST writes, as before.
    assert client.post(REPORTS, report_body(plan), format="json").json()["version"] == 3


def test_a_retried_supervision_item_and_lead_are_written_once(client_as, units):
    item = {"title": "落实批示", "source_kind": "leader_instruction", "source_text": "请于月底前完成。",
            "lead_unit": units["village"].pk, "deadline": "2026-10-20"}
    supervisor = client_as("supervisor")
    codes = [supervisor.post("/api/supervision/items/", item, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code
             for _ in range(3)]
    assert codes == [201, 201, 201] and SupervisionItem.objects.count() == 1

    lead = {"name": "船舶配套项目", "investor": "某公司", "amount_text": "3亿元"}
    reporter = client_as("invest")
    answers = [reporter.post("/api/investment/leads/", lead, format="json", HTTP_IDEMPOTENCY_KEY="k") for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201] and Lead.objects.count() == 1
    assert answers[0].json()["id"] == answers[1].json()["id"]


def test_a_multipart_retry_is_recognised_whatever_its_boundary(client_as, plan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as("invest")

    def send():
        body = {**report_body(plan), "files": [SimpleUploadedFile("佐证.pdf", b"%PDF-1.4 evidence")]}
        return client.post(REPORTS, body, format="multipart", HTTP_IDEMPOTENCY_KEY="upload-1")

    assert send().status_code == 201 and send().status_code == 201
    assert ProgressReport.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(client_as, plan):
    client = client_as("invest")
    assert client.post(REPORTS, report_body(plan), format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    changed = client.post(REPORTS, {**report_body(plan), "value": "31"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert changed.status_code == 422
    body = error_shape(changed)
    assert body["field"] == "Idempotency-Key" and "已用于另一个请求" in body["message"]
    assert ProgressReport.objects.count() == 1


def test_keys_are_each_users_own_and_expire_after_a_day(client_as, plan, users):
    assert client_as("invest").post(REPORTS, report_body(plan), format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    # Another user's identical key is theirs: it writes (and never sees the first user's answer).
    admin = client_as("admin").post(REPORTS, report_body(plan), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert admin.status_code == 201 and "Idempotent-Replayed" not in admin
    assert ProgressReport.objects.count() == 2
    IdempotentRequest.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    later = client_as("invest").post(REPORTS, report_body(plan), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert later.status_code == 201 and later.json()["version"] == 3
    assert IdempotentRequest.objects.count() == 1  # expired ones are cleared as new ones come


def test_a_key_whose_first_request_still_runs_gets_409(client_as, plan):
    client = client_as("invest")
    assert client.post(REPORTS, report_body(plan), format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    IdempotentRequest.objects.update(status=None, response=None)  # as while the first one still runs
    response = client.post(REPORTS, report_body(plan), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 409 and "正在处理" in error_shape(response)["message"]
    assert ProgressReport.objects.count() == 1


def test_a_bad_key_is_refused(client_as, plan):
    response = client_as("invest").post(REPORTS, report_body(plan), format="json", HTTP_IDEMPOTENCY_KEY="x" * 256)
    assert response.status_code == 400 and error_shape(response)["field"] == "Idempotency-Key"
    assert ProgressReport.objects.count() == 0


# ---------------------------------------------------------------- a locked database


def test_a_locked_database_is_a_503_and_frees_the_key_for_the_retry(client_as, plan):
    client = client_as("invest")
    locked = OperationalError("database is locked")
    with mock.patch("yuanqu.plans.services.report_submit", side_effect=locked):
        busy = client.post(REPORTS, report_body(plan), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert busy.status_code == 503 and busy["Retry-After"]
    assert "系统正忙" in error_shape(busy)["message"]
    retried = client.post(REPORTS, report_body(plan), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried
    assert ProgressReport.objects.count() == 1


def test_a_locked_database_on_a_page_is_a_chinese_503_page(client, users, plan):
    client.force_login(users["admin"])
    with mock.patch("yuanqu.plans.views.filtered_target_queryset",
                    side_effect=OperationalError("database is locked")):
        response = client.get("/targets/")
    assert response.status_code == 503 and response["Retry-After"]
    assert "系统正忙" in response.content.decode()


# ---------------------------------------------------------------- bad input, one shape


@pytest.mark.parametrize(("method", "url", "body", "code", "words"), [
    ("get", "/api/plans/plans/?year=5.9", None, 400, "查询参数 year 应为整数"),
    ("get", "/api/plans/targets/?status=", None, 400, "查询参数 status 应为以下之一"),
    ("get", "/api/supervision/items/?lead_unit=abc", None, 400, "查询参数 lead_unit 应为整数"),
    # A literal path under a detail route (leads/regions/ beside leads/{id}/) is checked as itself.
    ("get", "/api/investment/leads/regions/?mode=u", None, 400, "查询参数 mode 应为整数"),
    ("get", "/api/investment/leads/funnel/?stage=x", None, 400, "查询参数 stage 应为以下之一"),
    ("get", "/api/plans/reports/?page=99", None, 404, ""),  # the target list answers its last page
    ("get", "/api/plans/nowhere/", None, 404, "未找到"),
    ("get", "/api/plans/targets/abc/", None, 404, "未找到"),
    ("put", "/api/plans/targets/", None, 405, "不支持 PUT"),
    ("post", REPORTS, "[1, 2]", 400, "应为 JSON 对象"),
    ("post", REPORTS, "5", 400, "应为 JSON 对象"),
    ("post", REPORTS, "{bad", 400, "不是有效的 JSON"),
    ("post", REPORTS, {"target": "招引项目", "period": "0000-01", "value": "1"}, 400, "报告月份"),
    ("post", "/api/supervision/items/", {"title": "x", "source_text": "x", "lead_unit": "village", "time_limit": 10**15}, 400, "办理时限"),
    ("post", "/api/investment/companies/", {"name": 0.0, "kind": "global"}, 400, "名称：应为文本"),
])
def test_bad_input_is_a_chinese_4xx_in_the_error_shape(client_as, plan, units, method, url, body, code, words):
    client = client_as("admin")
    if isinstance(body, dict) and body.get("lead_unit") in units:
        body = {**body, "lead_unit": units[body["lead_unit"]].pk}
    if isinstance(body, dict) and isinstance(body.get("target"), str):
        body = {**body, "target": target(plan, body["target"]).pk}
    kwargs = {}
    if body is not None:
        kwargs = {"data": body if isinstance(body, str) else json.dumps(body), "content_type": "application/json"}
    before = (ProgressReport.objects.count(), SupervisionItem.objects.count())
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == code, response.content
    assert words in error_shape(response)["message"]
    assert (ProgressReport.objects.count(), SupervisionItem.objects.count()) == before


def test_an_unsupported_body_type_is_refused_in_chinese(client_as):
    response = client_as("admin").post(REPORTS, data="a", content_type="text/plain")
    assert response.status_code == 415 and "不支持的请求体格式" in error_shape(response)["message"]


# ---------------------------------------------------------------- the schema says so


def test_every_operation_declares_the_refusals_and_every_post_the_key(client_as):
    schema = client_as("admin").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["extra", "field", "message"]
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    assert len(operations) > 50
    for path, method, op in operations:
        declared = set(op["responses"])
        assert {"400", "401", "403", "404", "429", "503"} <= declared, (method, path)
        if method in {"post", "patch", "put", "delete"}:
            assert {"409", "413", "415"} <= declared, (method, path)
        if method == "post":
            assert "422" in declared
            assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in op["parameters"]), path
    comparator = schema["components"]["schemas"]["Target"]["properties"]["comparator"]
    assert "oneOf" in comparator or "" in comparator.get("enum", [])  # a milestone's blank comparator is valid
