"""回头看: closing a hazard plans a revisit on the domain's interval (data); each clean one plans
the next until the rule's rounds are done; one that finds the problem back reopens the hazard,
which then needs a new notice, and its next closure plans its own revisits."""

import datetime as dt

import pytest

from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.inspections import services
from yuanqu.inspections.models import Revisit, RevisitRule, State

from .conftest import D, step

NOTICE = {"deadline": D(2026, 9, 30)}


def _close(zone, hazard):
    hazard = step(hazard, "notify", zone["inspector"], **NOTICE)
    hazard = step(hazard, "report", zone["invest"], comment="已整改")
    return step(hazard, "pass", zone["inspector"])


def test_closing_plans_the_first_revisit_on_the_domains_interval(zone, make_hazard, clock):
    hazard = _close(zone, make_hazard(domain="pollution"))
    revisit = Revisit.objects.get(hazard=hazard)
    assert revisit.round == 1 and revisit.due_on == clock.today() + dt.timedelta(days=60)
    assert "回头看安排在2026-11-14" in hazard.events.get(action="pass").comment


def test_the_interval_is_data(zone, make_hazard, clock):
    rule = RevisitRule.objects.get(domain="safety")
    services.config_save(actor=zone["admin"], obj=rule, model=RevisitRule, data={"interval_days": 10, "rounds": 2})
    hazard = _close(zone, make_hazard())
    assert Revisit.objects.get(hazard=hazard).due_on == D(2026, 9, 25)


def test_clean_revisits_plan_the_next_until_the_rounds_are_done(zone, make_hazard, clock):
    hazard = _close(zone, make_hazard())  # safety: every 90 days, twice
    first = Revisit.objects.get(hazard=hazard)
    clock.set_today(first.due_on)
    services.revisit_record(actor=zone["inspector"], revisit=first, result="ok", note="未反弹")
    second = Revisit.objects.get(hazard=hazard, round=2)
    assert second.due_on == first.due_on + dt.timedelta(days=90) and second.done_on is None
    clock.set_today(second.due_on)
    services.revisit_record(actor=zone["inspector"], revisit=second, result="ok")
    assert Revisit.objects.filter(hazard=hazard).count() == 2  # the rule's two rounds: no third
    with pytest.raises(ConflictError):
        services.revisit_record(actor=zone["inspector"], revisit=second, result="ok")


def test_a_revisit_that_finds_the_problem_back_reopens_the_hazard(zone, make_hazard, clock):
    hazard = _close(zone, make_hazard())
    revisit = Revisit.objects.get(hazard=hazard)
    clock.set_today(revisit.due_on)
    with pytest.raises(ApplicationError) as caught:
        services.revisit_record(actor=zone["inspector"], revisit=revisit, result="back")
    assert caught.value.field == "note"
    revisit.refresh_from_db()
    assert revisit.done_on is None
    services.revisit_record(actor=zone["inspector"], revisit=revisit, result="back", note="通道再次堵塞")
    hazard.refresh_from_db()
    assert hazard.state == State.FOUND and hazard.reopen_count == 1
    assert hazard.deadline is None and hazard.closed_on is None and hazard.rectified_on is None
    event = hazard.events.get(action="reopen")
    assert "回头看发现问题反弹：通道再次堵塞" in event.comment
    # A new notice, a new closure, a new first revisit of this closure.
    hazard = step(hazard, "notify", zone["inspector"], deadline=revisit.due_on + dt.timedelta(days=10))
    assert hazard.notice_no.endswith("-1")
    hazard = step(hazard, "report", zone["invest"], comment="再次整改")
    step(hazard, "pass", zone["inspector"])
    latest = Revisit.objects.filter(hazard=hazard).order_by("-round").first()
    assert (latest.round, latest.cycle, latest.done_on) == (2, 1, None)


def test_only_the_inspecting_unit_records_a_revisit_and_bad_results_are_refused(zone, make_hazard):
    hazard = _close(zone, make_hazard())
    revisit = Revisit.objects.get(hazard=hazard)
    with pytest.raises(PermissionDeniedError):
        services.revisit_record(actor=zone["invest"], revisit=revisit, result="ok")
    with pytest.raises(ApplicationError) as caught:
        services.revisit_record(actor=zone["inspector"], revisit=revisit, result="maybe")
    assert caught.value.field == "result" and "maybe" in caught.value.message


def test_the_revisit_list_and_the_api_record(client, zone, make_hazard, clock):
    hazard = _close(zone, make_hazard(text="R1 通道堵塞"))
    revisit = Revisit.objects.get(hazard=hazard)
    client.force_login(zone["inspector"])
    assert "R1" not in client.get("/inspections/revisits/").content.decode()  # 90 days away
    clock.set_today(revisit.due_on - dt.timedelta(days=5))
    assert "R1" in client.get("/inspections/revisits/").content.decode()
    assert [r["id"] for r in client.get("/api/inspections/revisits/").json()["results"]] == [revisit.pk]
    clock.set_today(revisit.due_on)
    r = client.post(f"/api/inspections/revisits/{revisit.pk}/record/", {"result": "back", "note": "又堵了"},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    hazard.refresh_from_db()
    assert hazard.state == State.FOUND
    client.force_login(zone["invest"])
    assert client.get(f"/api/inspections/revisits/{revisit.pk}/record/").status_code == 405
