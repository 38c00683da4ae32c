"""The plan's figures (hazards found, 重大 open, rectified on time share) and the pollution works:
stages as data, late stages red, evidence files under the one attachment rule."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yuanqu.core import metrics
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.inspections import services
from yuanqu.inspections.models import StageEvidence, WorkKind

from .conftest import D, step


def _value(name, on, **params):
    return metrics.get_metric(name).compute_many([params], on)[0]


def test_hazards_found_major_open_and_on_time_share(zone, make_hazard, clock):
    a = step(make_hazard(level="major"), "notify", zone["inspector"], deadline=D(2026, 9, 20))
    b = step(make_hazard(domain="pollution"), "notify", zone["inspector"], deadline=D(2026, 9, 16))
    make_hazard(level="major", domain="pollution")
    a = step(a, "report", zone["invest"], comment="ok")  # on time (9-15)
    clock.set_today(D(2026, 9, 25))  # b is open past its deadline: it counts against the share
    on = clock.today()
    assert _value("inspections.hazards_found", on, year=2026) == Decimal(3)
    assert _value("inspections.hazards_found", on, year=2026, domain="pollution") == Decimal(2)
    assert _value("inspections.major_open", on) == Decimal(2)
    assert _value("inspections.on_time_share", on, year=2026) == Decimal("50.0")
    step(a, "pass", zone["inspector"])
    assert _value("inspections.major_open", on) == Decimal(1)
    step(b, "report", zone["invest"], comment="晚了")
    assert _value("inspections.on_time_share", on, year=2026) == Decimal("50.0")
    assert _value("inspections.on_time_share", on, year=2025) is None


@pytest.fixture
def river(zone, units):
    kind = WorkKind.objects.get(name="黑臭水体治理")
    return services.work_create(actor=zone["inspector"], data={
        "kind": kind.pk, "name": "十二号横河黑臭水体整治", "lead_unit": units["village"].pk,
        "started_on": D(2026, 3, 1), "planned_end": D(2026, 12, 31)})


def test_a_work_gets_its_kinds_stages_and_late_ones_are_red(client, zone, river):
    stages = list(river.stages.order_by("order"))
    assert [s.name for s in stages] == ["排查溯源", "控源截污", "清淤疏浚", "生态修复", "长效管护验收"]
    assert stages[-1].planned_on == D(2026, 12, 31)
    late = [s.name for s in stages if s.is_late(D(2026, 9, 15))]
    assert late == ["排查溯源", "控源截污", "清淤疏浚"]
    services.stage_complete(actor=zone["village"], stage=stages[0], done_on="2026-05-01",
                            files=[SimpleUploadedFile("溯源报告.pdf", b"%PDF-1.4")])
    client.force_login(zone["village"])
    page = client.get(f"/inspections/works/{river.pk}/").content.decode()
    assert page.count('data-testid="late-stage"') == 2 and "溯源报告.pdf" in page
    listing = client.get("/inspections/works/").content.decode()
    assert listing.count('data-testid="late-stage"') == 2 and "1/5" in listing
    evidence = StageEvidence.objects.get()
    assert client.get(f"/inspections/works/evidence/{evidence.pk}/").status_code == 200
    api = client.get(f"/api/inspections/works/{river.pk}/").json()
    assert api["progress"] == 20 and [s["late"] for s in api["stages"]] == [False, True, True, False, False]
    client.force_login(zone["invest"])  # not its unit's work
    assert client.get(f"/inspections/works/{river.pk}/").status_code == 404
    assert client.get(f"/inspections/works/evidence/{evidence.pk}/").status_code == 404


def test_a_refused_evidence_file_or_day_writes_nothing(zone, river):
    stage = river.stages.order_by("order").first()
    with pytest.raises(ApplicationError) as caught:
        services.stage_complete(actor=zone["village"], stage=stage, done_on="2026-05-01",
                                files=[SimpleUploadedFile("run.exe", b"MZ")])
    assert caught.value.field == "files" and "佐证材料“run.exe”的类型不支持" in caught.value.message
    with pytest.raises(ApplicationError) as caught:
        services.stage_complete(actor=zone["village"], stage=stage, done_on="2026-09-20")
    assert caught.value.field == "done_on"
    with pytest.raises(PermissionDeniedError):
        services.stage_complete(actor=zone["invest"], stage=stage, done_on="2026-05-01")
    stage.refresh_from_db()
    assert stage.done_on is None and not StageEvidence.objects.exists() and stage.version == 1


def test_a_work_needs_its_fields(zone, units):
    kind = WorkKind.objects.get(name="雨污分流")
    base = {"kind": kind.pk, "name": "十个必接：广州路", "lead_unit": units["invest"].pk, "started_on": "2026-04-01",
            "planned_end": "2026-10-31"}
    for change, field in (({"lead_unit": None}, "lead_unit"), ({"planned_end": "2026-03-01"}, "planned_end"),
                          ({"name": ""}, "name"), ({"kind": 9999}, "kind")):
        with pytest.raises(ApplicationError) as caught:
            services.work_create(actor=zone["inspector"], data={**base, **change})
        assert caught.value.field == field
    with pytest.raises(PermissionDeniedError):
        services.work_create(actor=zone["invest"], data=base)
    assert services.work_create(actor=zone["admin"], data=base).stages.count() == 4


def test_registering_a_work_on_the_page(client, zone, units):
    kind = WorkKind.objects.get(name="雨污分流")
    client.force_login(zone["inspector"])
    data = {"kind": kind.pk, "name": "十个必接：长江路", "lead_unit": units["invest"].pk, "started_on": "2026-04-01",
            "planned_end": "2026-03-01"}
    r = client.post("/inspections/works/new/", data)
    assert r.status_code == 200 and "计划完工日期（2026-03-01）应晚于开工日期（2026-04-01）。" in r.content.decode()
    r = client.post("/inspections/works/new/", {**data, "planned_end": "2026-10-31"})
    assert r.status_code == 302
    client.force_login(zone["invest"])
    assert client.get("/inspections/works/new/").status_code == 403
    assert "十个必接：长江路" in client.get("/inspections/works/").content.decode()
