"""The issue's story through the pages, as each person would: a grid worker reports from the phone
page with a photo, the centre accepts and dispatches by the rule's suggestion, the unit signs,
handles and answers on its phone page, the worker's on-site check fails once, the unit answers
again, the check passes and the centre closes. Each step shows on the timeline."""

from yuanqu.grid.models import EventStep, GridEvent, State

from .conftest import jpeg


def _act(client, event, action, **body):
    event = GridEvent.objects.get(pk=event.pk)
    response = client.post(f"/grid/events/{event.pk}/{action}/", {"expected_version": event.version, "next": "m",
                                                                  **body})
    assert response.status_code == 302, response.content.decode()[:500]
    return GridEvent.objects.get(pk=event.pk)


def test_reported_on_the_phone_routed_handled_failing_verification_once_and_closed(client, zone, grids, cats, rules,
                                                                                  more_units):
    client.force_login(zone["worker"])
    response = client.post("/grid/m/report/", {"grid": grids["G1"].pk, "category": cats["road"].pk, "source": "patrol",
                                               "severity": "normal", "description": "路面塌陷约两平方米",
                                               "photos": [jpeg()]})
    event = GridEvent.objects.get()
    assert response.status_code == 302 and event.photos.count() == 1

    client.force_login(zone["centre"])
    event = _act(client, event, "accept")
    page = client.get(f"/grid/events/{event.pk}/").content.decode()
    assert "规则建议" in page and "建设局" in page  # 城市管理 → 建设局
    event = _act(client, event, "dispatch")  # the unit left blank: the rule decides
    assert (event.state, event.assigned_unit, event.limit) == (State.DISPATCHED, more_units["build"], "3个工作日")

    client.force_login(zone["build"])
    assert "路面塌陷" in client.get("/grid/m/").content.decode().split('data-testid="todo"')[1]
    for action, body in (("sign", {}), ("handle", {"comment": "围挡"}), ("feedback", {"comment": "已回填"})):
        event = _act(client, event, action, **body)
    assert event.state == State.FED_BACK

    client.force_login(zone["worker"])
    assert "路面塌陷" in client.get("/grid/m/").content.decode().split('data-testid="verify"')[1]
    event = _act(client, event, "verify_fail", comment="仍有坑洞")
    assert (event.state, event.verify_failures, event.fed_back_at) == (State.HANDLING, 1, None)

    client.force_login(zone["build"])
    event = _act(client, event, "feedback", comment="重新铺设沥青", photos=[jpeg("修复后.jpg")])
    client.force_login(zone["worker"])
    event = _act(client, event, "verify")
    client.force_login(zone["centre"])
    event = _act(client, event, "close")
    assert event.state == State.CLOSED and event.closed_at is not None
    assert list(event.photos.values_list("stage", flat=True)) == ["report", "feedback"]
    assert list(EventStep.objects.filter(grid_event=event).values_list("action", flat=True)) == [
        "accept", "dispatch", "sign", "handle", "feedback", "verify_fail", "feedback", "verify", "close"]
    timeline = client.get(f"/grid/events/{event.pk}/").content.decode()
    assert "核查不通过" in timeline and "仍有坑洞" in timeline and "已结案" in timeline
