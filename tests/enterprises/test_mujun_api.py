"""亩均 API: the role matrix on schemes, runs and results; the lifecycle through actions; a bad
scheme refused naming the field; the metrics of the latest published run."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from yuanqu.core.metrics import get_metric
from yuanqu.enterprises import mujun_services as ms
from yuanqu.enterprises.models import MujunResult, MujunRun

from ..access import signed_in
from .mujun_zone import SOURCES, build_zone, huangyan, make_scheme

READERS = {"admin", "supervisor", "leader", "economy"}


@pytest.fixture
def zone(users, units, economy, make_enterprise):
    users["economy"] = economy
    firms = build_zone(make_enterprise, units=[units["invest"], units["agri"]])
    return users, firms, make_scheme()


@pytest.mark.parametrize("role", [*READERS, "invest", "village", "nounit"])
def test_who_reads_schemes_runs_and_results(client, zone, role):
    users, firms, scheme = zone
    run = ms.run_create(actor=None, scheme=scheme)
    c = signed_in(client, users[role])
    schemes = c.get("/api/enterprises/mujun-schemes/").json()
    runs = c.get("/api/enterprises/mujun-runs/").json()
    results = c.get(f"/api/enterprises/mujun-results/?run={run.pk}").json()
    if role in READERS:
        assert schemes["count"] == 2 and runs["count"] == 1 and results["count"] == 12
        assert c.get(f"/api/enterprises/mujun-runs/{run.pk}/").json()["enterprises"] == 12
    else:
        assert schemes["count"] == 0 and runs["count"] == 0 and results["count"] == 0
        assert c.get(f"/api/enterprises/mujun-runs/{run.pk}/").status_code == 404
    ms.run_sign_off(actor=None, run=run)
    ms.run_publish(actor=None, run=run)
    results = c.get(f"/api/enterprises/mujun-results/?run={run.pk}").json()
    expected = {"invest": 6, "village": 0, "nounit": 0}.get(role, 12)  # 招商局 is paired with half
    assert results["count"] == expected


def test_the_lifecycle_through_the_api(client, zone):
    users, firms, scheme = zone
    economy, supervisor = signed_in(client, users["economy"]), None
    response = economy.post("/api/enterprises/mujun-runs/", {"scheme": scheme.pk}, content_type="application/json")
    assert response.status_code == 201, response.json()
    run = response.json()
    assert run["status"] == "draft" and response["ETag"] == '"1"'
    assert economy.post(f"/api/enterprises/mujun-runs/{run['id']}/rerun/", {"version": 1},
                        content_type="application/json").json()["version"] == 2
    assert economy.post(f"/api/enterprises/mujun-runs/{run['id']}/rerun/", {"version": 1},
                        content_type="application/json").status_code == 409
    assert economy.post(f"/api/enterprises/mujun-runs/{run['id']}/sign-off/").status_code == 403
    supervisor = signed_in(client.__class__(), users["supervisor"])
    assert supervisor.post(f"/api/enterprises/mujun-runs/{run['id']}/sign-off/").json()["status"] == "signed"
    assert supervisor.post(f"/api/enterprises/mujun-runs/{run['id']}/publish/").status_code == 403
    assert economy.post(f"/api/enterprises/mujun-runs/{run['id']}/publish/").json()["status"] == "published"
    locked = economy.post(f"/api/enterprises/mujun-runs/{run['id']}/rerun/")
    assert locked.status_code == 400 and "已发布并锁定" in locked.json()["message"]
    one = economy.get(f"/api/enterprises/mujun-results/?run={run['id']}&class=A").json()["results"][0]
    assert one["class_key"] == "A" and one["lines"][0]["indicator"] == "亩均税收" and one["explanation"]


def test_the_api_refuses_a_bad_scheme_naming_the_field_and_who_writes_schemes(client, zone):
    users, _, scheme = zone
    bad = huangyan(2026)
    bad["classification"]["classes"][0]["share"] = 0.3  # shares add up to 1.1
    response = signed_in(client, users["economy"]).post("/api/enterprises/mujun-schemes/",
                                                      {"definition": bad, "sources": SOURCES},
                                                      content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "definition"
    assert "分类" in response.json()["message"] or "比例" in response.json()["message"]
    good = huangyan(2026)
    assert signed_in(client, users["leader"]).post("/api/enterprises/mujun-schemes/", {"definition": good, "sources": SOURCES},
                                                 content_type="application/json").status_code == 403
    made = signed_in(client, users["economy"]).post("/api/enterprises/mujun-schemes/", {"definition": good, "sources": SOURCES},
                                                  content_type="application/json")
    assert made.status_code == 201 and made.json()["year"] == 2026
    edited = client.patch(f"/api/enterprises/mujun-schemes/{made.json()['id']}/", {"sources": SOURCES, "version": 1},
                          content_type="application/json")
    assert edited.status_code == 200


def test_the_metrics_read_the_latest_published_run(zone):
    users, firms, scheme = zone
    today = timezone.localdate()  # publication is stamped with the real time
    top, bottom, tax = (get_metric(n) for n in ("enterprises.mujun_top_share", "enterprises.mujun_bottom_count",
                                               "enterprises.mujun_mean_tax_per_mu"))
    assert top.compute_many([{}], today) == [None]
    run = ms.run_create(actor=None, scheme=scheme)
    ms.run_sign_off(actor=None, run=run)
    assert bottom.compute_many([{}], today) == [None]  # not published yet
    ms.run_publish(actor=None, run=run)
    results = MujunResult.objects.filter(run=run)
    evaluated = results.exclude(class_key="T")
    expected_top = Decimal(evaluated.filter(class_key="A").count() * 100) / evaluated.count()
    assert top.compute_many([{}, {"year": 2025}, {"year": 2024}], today) == [
        expected_top.quantize(Decimal("0.01")), expected_top.quantize(Decimal("0.01")), None]
    assert bottom.compute_many([{}], today) == [Decimal(results.filter(class_key="D").count())]
    values = [line["value"] for r in evaluated for line in r.lines if line["indicator"] == "亩均税收"]
    assert tax.compute_many([{}], today)[0] == Decimal(repr(sum(values) / len(values))).quantize(Decimal("0.0001"))
    assert top.compute_many([{}], today - dt.timedelta(days=1)) == [None]  # published today, not before
    assert MujunRun.objects.get().status == "published"
