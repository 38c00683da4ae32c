"""Importing grid events from another system's export (the 12345 hotline's tickets): each is
reported when the file says, accepted and dispatched at the import by the unit given or the routing
rules, with its time limits; row errors name the row and column; all or nothing; the same file
again changes nothing; a revert removes the events and keeps their history."""

import datetime as dt

from django.utils import timezone

from yuanqu.core.imports.services import import_apply, import_revert
from yuanqu.core.models import ChangeRecord, ImportBatch
from yuanqu.grid.models import EventStep, GridEvent, State

from ..org.import_helpers import assert_errors, preview, run

HEADER = ["来源单号", "来源", "事件类别", "网格", "紧急程度", "事件描述", "地址", "上报时间", "纬度", "经度", "承办单位"]
ROWS = [
    HEADER,
    # 城市管理 → 建设局 by the rule; 垃圾乱堆 in 三南村 → the village; 矛盾纠纷 has no rule; a unit named.
    ["R-001", "", "道路设施损坏", "SN-01", "", "路面塌陷", "三南村东", "2026-09-14 10:30", "31.89", "121.17", ""],
    ["R-002", "群众反映", "垃圾乱堆", "三南村第二网格", "较大", "垃圾堆放", "", "2026/9/14 11:05:09", "", "", ""],
    ["R-003", "12345热线", "矛盾纠纷", "ZJ-01", "一般", "邻里纠纷", "", "2026年9月13日", "", "", ""],
    ["R-004", "视频监控", "消防隐患", "SN-01", "重大", "楼道堆物", "", "2026-09-14 20:00", "", "", "招商局"],
]


def local(value):
    return timezone.localtime(value).replace(tzinfo=None)


def test_imported_events_are_dispatched_by_the_rules_with_their_time_limits(client, zone, grids, rules, more_units):
    client.force_login(zone["centre"])
    batch = run(zone["admin"], "grid.events", ROWS)
    assert (batch.status, batch.created_count) == (ImportBatch.Status.APPLIED, 4)
    got = {e.source_number: e for e in GridEvent.objects.select_related("assigned_unit")}
    road, garbage, dispute, fire = got["R-001"], got["R-002"], got["R-003"], got["R-004"]
    assert local(road.reported_at) == dt.datetime(2026, 9, 14, 10, 30) and road.source == "hotline"
    assert road.reported_by is None  # the importer is no grid worker: not in the workers' figures
    assert (road.state, road.assigned_unit, road.limit) == (State.DISPATCHED, more_units["build"], "3个工作日")
    # Dispatched at the import (the fixed day 09-15): 3 working days end on Friday 09-18.
    assert local(road.dispatched_at).date() == dt.date(2026, 9, 15)
    assert f"{local(road.due_at):%Y-%m-%d %H:%M}" == "2026-09-18 23:59"
    assert (str(road.latitude), road.number.startswith("WG2026")) == ("31.890000", True)
    assert (garbage.assigned_unit, garbage.severity, garbage.source, garbage.limit) == (
        more_units["village"], "serious", "public", "2个工作日")
    assert local(garbage.reported_at) == dt.datetime(2026, 9, 14, 11, 5, 9)
    assert (dispute.state, dispute.assigned_unit, dispute.due_at) == (State.ACCEPTED, None, None)  # waits for the centre
    assert (fire.assigned_unit, fire.limit, fire.source) == (more_units["invest"], "24小时", "video")
    steps = list(EventStep.objects.filter(grid_event=road).values_list("action", "comment"))
    assert steps == [("accept", "导入"), ("dispatch", "分拨至建设局（按分拨规则），处置时限3个工作日")]
    client_page = client.get(f"/grid/events/{road.pk}/").content.decode()
    assert "12345热线（来源单号 R-001）" in client_page
    # Every write of the batch (creation and steps) carries the batch.
    assert ChangeRecord.objects.filter(object_id=road.pk, content_type__model="gridevent").exclude(
        batch=batch.uuid).count() == 0


def test_the_same_file_again_changes_nothing_and_a_changed_row_is_refused(zone, grids, rules):
    run(zone["admin"], "grid.events", ROWS)
    count, versions = ChangeRecord.objects.count(), dict(GridEvent.objects.values_list("pk", "version"))
    again = run(zone["admin"], "grid.events", ROWS)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 4)
    assert ChangeRecord.objects.count() == count and dict(GridEvent.objects.values_list("pk", "version")) == versions
    changed = [row[:] for row in ROWS]
    changed[1][5] = "路面塌陷已扩大"
    number = GridEvent.objects.get(source_number="R-001").number
    batch = preview(zone["admin"], "grid.events", changed)
    assert batch.errors == [f"第2行「事件描述」：来源单号“R-001”已导入为事件{number}，导入不修改已有事件"]


def test_every_bad_row_is_named_in_chinese_and_nothing_is_written(zone, grids, rules, cats):
    rows = [
        HEADER,
        ["B-01", "", "道路设施损坏", "XX-99", "", "a", "", "2026-09-14 10:00", "", "", ""],
        ["B-02", "", "飞碟降落", "SN-01", "", "b", "", "2026-09-14 10:00", "", "", ""],
        ["B-03", "", "道路设施损坏", "SN-01", "特急", "c", "", "2026-09-14 10:00", "", "", ""],
        ["B-04", "微信", "道路设施损坏", "SN-01", "", "d", "", "2026-09-14 10:00", "", "", ""],
        ["B-05", "", "道路设施损坏", "SN-01", "", "e", "", "2026-09-16 10:00", "", "", ""],
        ["B-06", "", "道路设施损坏", "SN-01", "", "f", "", "昨天下午", "", "", ""],
        ["B-07", "", "道路设施损坏", "SN-01", "", "g", "", "2026-02-30 10:00", "", "", ""],
        ["B-08", "", "违建拆除执法", "SN-01", "", "h", "", "2026-09-14 10:00", "", "", "三南村"],
        ["B-09", "", "道路设施损坏", "SN-01", "", "i", "", "2026-09-14 10:00", "95", "121", ""],
        ["B-10", "", "道路设施损坏", "SN-01", "", "", "", "2026-09-14 10:00", "", "", ""],
        ["B-11", "", "道路设施损坏", "SN-01", "", "k", "", "2026-09-14 10:00", "", "", ""],
    ]
    batch = preview(zone["admin"], "grid.events", rows)
    errors = batch.errors
    assert any(e.startswith("第2行「网格」：") and "XX-99" in e for e in errors), errors
    assert any(e.startswith("第3行「事件类别」：") and "飞碟降落" in e for e in errors), errors
    assert_errors(errors,
                  "第4行「紧急程度」：“特急”不是可选值（可选：一般、较大、重大）…",
                  "第5行「来源」：“微信”不是可选值…",
                  "第6行「上报时间」：上报时间（2026-09-16 10:00）晚于当前时间",
                  "第7行「上报时间」：“昨天下午”不是日期时间（例如 2026-03-02 14:30）",
                  "第8行「上报时间」：“2026-02-30 10:00”不是日期时间（例如 2026-03-02 14:30）",
                  "第9行「承办单位」：“违建拆除执法”属于网格事项负面清单…",
                  "第10行「纬度」：纬度“95”超出范围（-90～90）",
                  "第11行「事件描述」：必填，不能为空")
    assert not any(e.startswith("第12行") for e in errors)
    assert batch.error_count == 10 and not GridEvent.objects.exists()


def test_a_switched_off_grid_is_not_found(zone, grids, rules):
    from yuanqu.grid import services

    services.grid_save(actor=None, grid=grids["G3"], data={"is_active": False})
    batch = preview(zone["admin"], "grid.events", [HEADER, ROWS[3]])
    assert len(batch.errors) == 1 and batch.errors[0].startswith("第2行「网格」：")


def test_a_refusal_while_applying_writes_nothing(zone, grids, rules):
    from yuanqu.grid import services

    batch = preview(zone["admin"], "grid.events", ROWS)
    assert batch.errors == []
    # Between the preview and the confirmation the centre switches 三南村第一网格 off: the service
    # refuses its rows while applying and the batch is undone.
    services.grid_save(actor=None, grid=grids["G1"], data={"is_active": False})
    applied = import_apply(actor=zone["admin"], batch=batch)
    assert applied.status != ImportBatch.Status.APPLIED and any("网格" in e for e in applied.errors), applied.errors
    assert not GridEvent.objects.exists() and not EventStep.objects.exists()


def test_a_revert_removes_the_events_and_keeps_their_history(zone, grids, rules):
    batch = run(zone["admin"], "grid.events", ROWS)
    pks = list(GridEvent.objects.values_list("pk", flat=True))
    import_revert(actor=zone["admin"], batch=batch)
    assert not GridEvent.objects.exists() and not EventStep.objects.exists()
    deleted = ChangeRecord.objects.filter(action=ChangeRecord.Action.DELETE, content_type__model="gridevent")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(pks)


def test_the_centre_and_the_administrator_import_and_the_list_offers_it_only_to_them(client, zone, grids):
    for who in ("admin", "centre"):  # the importer's own ability, grid.manage, besides the administrators'
        client.force_login(zone[who])
        assert 'href="/imports/grid.events/"' in client.get("/grid/").content.decode()
        template = client.get("/imports/grid.events/template.xlsx")
        assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    for who in ("build", "worker"):
        client.force_login(zone[who])
        assert 'href="/imports/grid.events/"' not in client.get("/grid/").content.decode()
        assert client.get("/imports/grid.events/").status_code == 403
