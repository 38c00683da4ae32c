"""Correcting an inspection once recorded — its place, day, inspectors and findings — while a hazard
it found is still open, with the history naming each change; refused in Chinese once every hazard
is closed, for a category/unit/checklist change, or outside the inspecting unit. And a hazard added
to an inspection recorded earlier."""

import pytest

from yuanqu.core.errors import ApplicationError
from yuanqu.core.models import ChangeRecord
from yuanqu.inspections import services
from yuanqu.inspections.models import Hazard, Inspection

from .conftest import D, step

NOTICE = {"deadline": D(2026, 9, 30), "comment": "清理通道"}


def _changes(inspection):
    return list(ChangeRecord.objects.filter(content_type__model="inspection", object_id=inspection.pk)
                .order_by("pk"))


def _close(hazard, zone):
    hazard = step(hazard, "notify", zone["inspector"], **NOTICE)
    hazard = step(hazard, "report", zone["invest"], comment="已清理")
    return step(hazard, "pass", zone["inspector"])


def test_the_inspector_corrects_findings_day_inspectors_and_place_on_the_page_with_history(
        client, zone, units, make_hazard):
    hazard = make_hazard()
    inspection = hazard.inspection
    client.force_login(zone["inspector"])
    page = client.get(f"/inspections/inspections/{inspection.pk}/").content.decode()
    assert 'data-testid="edit-inspection"' in page
    url = f"/inspections/inspections/{inspection.pk}/edit/"
    assert "检查企业一" in client.get(url).content.decode()
    r = client.post(url, {"site": "通沙河岸", "village": units["village"].pk, "inspected_on": "2026-08-30",
                          "inspectors": "郑刚、王强", "findings": "河岸堆放垃圾", "expected_version": 1})
    assert r.status_code == 302, r.content.decode()
    inspection.refresh_from_db()
    assert (inspection.enterprise_id, inspection.place, inspection.inspected_on, inspection.inspectors,
            inspection.findings) == (None, "通沙河岸（三南村）", D(2026, 8, 30), "郑刚、王强", "河岸堆放垃圾")
    assert inspection.version == 2 and inspection.domain == "safety"
    change = _changes(inspection)[-1]
    assert change.action == "update"
    assert set(change.after) >= {"enterprise", "site", "village", "inspected_on", "inspectors", "findings"}
    history = client.get(f"/inspections/inspections/{inspection.pk}/").content.decode()
    assert "检查人员" in history and "郑刚、王强" in history


def test_a_stale_form_is_a_conflict_and_bad_input_names_the_field_writing_nothing(client, zone, make_hazard):
    inspection = make_hazard().inspection
    client.force_login(zone["inspector"])
    url = f"/inspections/inspections/{inspection.pk}/edit/"
    base = {"enterprise": inspection.enterprise_id, "inspected_on": "2026-09-01", "inspectors": "郑刚", "findings": ""}
    future = client.post(url, {**base, "inspected_on": "2026-09-20", "expected_version": 1})
    assert future.status_code == 200 and "检查日期（2026-09-20）不能晚于今天。" in future.content.decode()
    empty = client.post(url, {**base, "enterprise": "", "site": "", "expected_version": 1})
    assert empty.status_code == 200 and "请选择被检查企业或填写检查地点。" in empty.content.decode()
    stale = client.post(url, {**base, "findings": "改", "expected_version": 0})
    assert stale.status_code == 200 and Inspection.objects.get(pk=inspection.pk).findings == ""
    assert Inspection.objects.get(pk=inspection.pk).version == 1 and len(_changes(inspection)) == 1


def test_the_day_may_not_move_past_a_notice_already_issued(zone, make_hazard, clock):
    clock.set_today(D(2026, 9, 5))
    hazard = step(make_hazard(), "notify", zone["inspector"], **NOTICE)  # notice on 09-05
    clock.set_today(D(2026, 9, 15))
    with pytest.raises(ApplicationError) as refused:
        services.inspection_update(actor=zone["inspector"], inspection=hazard.inspection,
                                   data={"inspected_on": D(2026, 9, 10)})
    assert refused.value.field == "inspected_on"
    assert "整改通知早于新的检查日期" in refused.value.message


def test_once_every_hazard_is_closed_the_inspection_is_kept_as_it_was(client, zone, make_hazard):
    first = make_hazard()
    inspection = first.inspection
    second = make_hazard(inspection=inspection, text="灭火器过期")
    _close(first, zone)
    # One still open: corrections go on.
    services.inspection_update(actor=zone["inspector"], inspection=inspection, data={"findings": "一项已销号"})
    _close(second, zone)
    with pytest.raises(ApplicationError) as refused:
        services.inspection_update(actor=zone["inspector"], inspection=inspection, data={"findings": "再改"})
    assert refused.value.message == "本次检查发现的隐患已全部销号，检查记录不能再修改。"
    client.force_login(zone["inspector"])
    page = client.get(f"/inspections/inspections/{inspection.pk}/").content.decode()
    assert 'data-testid="edit-inspection"' not in page
    r = client.get(f"/inspections/inspections/{inspection.pk}/edit/", follow=True)
    assert "隐患已全部销号" in r.content.decode()
    api = client.patch(f"/api/inspections/inspections/{inspection.pk}/", {"findings": "再改", "version": 2},
                       content_type="application/json")
    assert api.status_code == 400 and "已全部销号" in api.json()["message"]
    assert Inspection.objects.get(pk=inspection.pk).findings == "一项已销号"


def test_an_inspection_without_hazards_may_be_corrected(zone, make_inspection):
    inspection = make_inspection()
    updated = services.inspection_update(actor=zone["inspector"], inspection=inspection,
                                         data={"findings": "未发现问题"})
    assert updated.findings == "未发现问题"


@pytest.mark.parametrize("data, field", [({"domain": "pollution"}, "domain"),
                                         ({"inspecting_unit": 1}, "inspecting_unit"), ({"template": 1}, "template")])
def test_category_unit_and_checklist_stay_as_recorded(zone, make_inspection, data, field):
    inspection = make_inspection()
    with pytest.raises(ApplicationError) as refused:
        services.inspection_update(actor=zone["inspector"], inspection=inspection, data=data)
    assert refused.value.field == field and "登记后不能修改" in refused.value.message
    assert Inspection.objects.get(pk=inspection.pk).version == 1


# Who may correct an inspection of the bureau's: the bureau's inspector and the administrator; those
# who read it (leaders, the 督查室) are refused (403); the responsible unit does not see the
# inspection (404); no role at all is a 403 on the page.
EDITORS = {"admin", "inspector"}
READERS = {"supervisor", "leader", "leader_invest"}


@pytest.mark.parametrize("role", ["admin", "inspector", "supervisor", "leader", "leader_invest", "invest", "agri",
                                  "village", "nounit"])
def test_who_corrects_an_inspection_on_the_page_and_the_api(client, zone, make_hazard, role):
    inspection = make_hazard().inspection
    client.force_login(zone[role])
    url = f"/inspections/inspections/{inspection.pk}/edit/"
    expected = 200 if role in EDITORS else 403 if role in READERS else 404
    assert client.get(url).status_code == (403 if role == "nounit" else expected)
    api = client.patch(f"/api/inspections/inspections/{inspection.pk}/", {"inspectors": "换人"},
                       content_type="application/json", HTTP_IF_MATCH='"1"')
    assert api.status_code == expected, api.content
    if role in EDITORS:
        assert api.json()["inspectors"] == "换人" and api.headers["ETag"] == '"2"'
    else:
        assert Inspection.objects.get(pk=inspection.pk).inspectors == "郑刚、李明"
        if expected == 403:
            assert "本单位的检查记录" in api.json()["message"]


def test_a_hazard_is_added_to_an_inspection_recorded_earlier_on_the_page_and_the_api(client, zone, units, make_hazard):
    first = step(make_hazard(), "notify", zone["inspector"], **NOTICE)
    inspection = first.inspection
    client.force_login(zone["inspector"])
    r = client.post(f"/inspections/inspections/{inspection.pk}/", {
        "description": "配电箱无防护", "level": "major", "responsible_unit": units["agri"].pk})
    assert r.status_code == 302
    r = client.post("/api/inspections/hazards/", {"inspection": inspection.pk, "description": "安全出口锁闭",
                                                   "level": "general", "responsible_unit": units["invest"].pk},
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["state"] == "found"
    assert list(inspection.hazards.order_by("pk").values_list("description", "level")) == [
        ("消防通道堵塞", "general"), ("配电箱无防护", "major"), ("安全出口锁闭", "general")]
    bad = client.post("/api/inspections/hazards/", {"inspection": inspection.pk, "description": "x",
                                                     "level": "严重", "responsible_unit": units["invest"].pk},
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "level"
    client.force_login(zone["invest"])  # reads its hazard, not the inspection: cannot add to it
    r = client.post("/api/inspections/hazards/", {"inspection": inspection.pk, "description": "x",
                                                   "responsible_unit": units["invest"].pk},
                    content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "inspection"
    assert Hazard.objects.filter(inspection=inspection).count() == 3
