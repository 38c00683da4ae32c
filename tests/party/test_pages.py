"""Tried as a new user would, on the pages: the 党建办 opens this year's checklist, a village branch
self-assesses with evidence, the 党建办 reviews it to 达标, and the plan's target moves. Bad input on
the pages and the API: a Chinese message naming the field, nothing written."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from yuanqu.party.models import Assessment, ChecklistTemplate, PartyOrganisation
from yuanqu.plans.models import Section, Target
from yuanqu.plans.selectors import target_facts

from ..factories import make_target
from .conftest import YEAR

LINES = """组织设置|按期换届|达标|20||否|是
组织生活|三会一课，缺一次扣2分|扣分|30|2|是|否
保障建设|党务公开，缺一次扣5分|扣分|50|5|否|否
特色|获表彰，每项加3分|加分|6|3|否|否"""


def test_the_office_a_village_branch_and_the_plans_target(client, zone, orgs, plan, clock):
    section = Section.objects.create(plan=plan, no="五", title="党建", order=5)
    target = make_target(plan, section, zone["office"].unit, "确保全区92个基层党组织全部达标",
                         target_value=Decimal("92"), metric="party.standard_met", metric_params={"year": YEAR})
    assert target_facts([Target.objects.select_related("plan").get(pk=target.pk)], clock.today())[
        target.pk].metric_value == Decimal(0)
    # the 党建办 sets this year's checklist (a first try whose maximums do not add up is refused)
    client.force_login(zone["office"])
    data = {"name": "规范化考评清单", "year": YEAR, "total_score": "100", "pass_mark": "80", "exemplary_mark": "95"}
    r = client.post("/party/checklists/new/", {**data, "items": LINES.replace("|50|5|", "|40|5|")})
    assert r.status_code == 200 and "满分合计为90分，与清单总分100分不一致" in r.content.decode()
    assert not ChecklistTemplate.objects.exists()
    assert client.post("/party/checklists/new/", {**data, "items": LINES}).status_code == 302
    assert "按期换届" in client.get("/party/checklists/").content.decode()
    client.post("/party/assessments/open/")
    a = Assessment.objects.get(organisation=orgs["village"])
    # the village's reporter self-assesses, uploads the evidence and submits
    client.force_login(zone["village"])
    page = client.get(f"/party/assessments/{a.pk}/").content.decode()
    assert "三会一课" in page and "须上传" in page
    entries = {e.item.title[:4]: e for e in a.entries.select_related("item")}
    values = {f"self_{e.item_id}": v for e, v in zip(entries.values(), ["1", "16", "0", "0"], strict=True)}
    r = client.post(f"/party/assessments/{a.pk}/scores/", {**values, "kind": "self", "expected_version": 1})
    assert r.status_code == 400 and "扣分32分" in r.content.decode()  # over the item's maximum, nothing saved
    values[f"self_{entries['三会一课'].item_id}"] = "1"
    assert client.post(f"/party/assessments/{a.pk}/scores/", {**values, "kind": "self"}).status_code == 302
    r = client.post(f"/party/assessments/{a.pk}/submit/", {"expected_version": 2})
    assert r.status_code == 400 and "须上传佐证材料" in r.content.decode()
    upload = SimpleUploadedFile("三会一课记录.docx", b"PK minutes")
    r = client.post(f"/party/assessments/{a.pk}/evidence/{entries['三会一课'].pk}/", {"files": [upload]})
    assert r.status_code == 302
    assert client.post(f"/party/assessments/{a.pk}/submit/").status_code == 302
    a.refresh_from_db()
    assert a.state == "submitted" and a.self_score == Decimal(98)
    assert client.post(f"/party/assessments/{a.pk}/review/").status_code == 403
    # the 党建办 reviews: two missed disclosures → 88, 达标
    client.force_login(zone["office"])
    r = client.post(f"/party/assessments/{a.pk}/scores/", {f"review_{entries['党务公开'].item_id}": "2",
                                                          "kind": "review"})
    assert r.status_code == 302
    assert client.post(f"/party/assessments/{a.pk}/review/", {"comment": "台账核查"}).status_code == 302
    a.refresh_from_db()
    assert (a.state, a.score, a.result) == ("reviewed", Decimal(88), "met")
    assert "达标" in client.get(f"/party/assessments/{a.pk}/").content.decode()
    evidence = a.entries.get(item__evidence_required=True).evidence.get()
    assert client.get(f"/party/evidence/{evidence.pk}/").status_code == 200
    target = Target.objects.select_related("plan").get(pk=target.pk)
    assert target_facts([target], clock.today())[target.pk].metric_value == Decimal(1)


def test_a_negative_member_count_on_the_form_names_the_field(client, zone, units):
    client.force_login(zone["office"])
    r = client.post("/party/new/", {"name": "中共三南村支部委员会", "form": "branch", "unit": units["village"].pk,
                                    "full_members": "-3", "is_active": "on"})
    assert r.status_code == 200 and "正式党员不能为负数" in r.content.decode()
    assert not PartyOrganisation.objects.exists()
    r = client.post("/party/new/", {"name": "中共三南村支部委员会", "form": "branch", "unit": units["village"].pk,
                                    "full_members": "2", "is_active": "on"})
    org = PartyOrganisation.objects.get()
    assert r.status_code == 302 and "不足3名" in client.get(f"/party/{org.pk}/").content.decode()


def test_the_api_names_the_field_and_writes_nothing(client_as, zone, units, orgs, template):
    api = client_as("office")
    r = api.post("/api/party/organisations/", {"name": "新支部", "form": "branch", "unit": units["invest"].pk,
                                                "full_members": -1}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "full_members" and "不能为负数" in r.json()["message"]
    r = api.post("/api/party/checklists/", {"name": "清单", "year": YEAR, "pass_mark": 80, "exemplary_mark": 95,
                                             "items": [{"title": "换届", "rule": "check", "max_score": 90}]},
                 format="json")
    assert r.status_code == 400 and r.json()["field"] == "items" and "满分合计为90分" in r.json()["message"]
    assert ChecklistTemplate.objects.count() == 1
    r = api.post("/api/party/assessments/", {"organisation": orgs["dept"].pk}, format="json")
    assert r.status_code == 201 and r.json()["state"] == "self" and len(r.json()["entries"]) == 4
    r = api.post(f"/api/party/organisations/{orgs['dept'].pk}/", {}, format="json")
    assert r.status_code == 405
    r = api.patch(f"/api/party/organisations/{orgs['dept'].pk}/", {"full_members": 2}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "version"
    r = api.patch(f"/api/party/organisations/{orgs['dept'].pk}/", {"full_members": 2, "version": 1}, format="json")
    assert r.status_code == 200 and {w["code"] for w in r.json()["warnings"]} == {"too_few"}


def test_the_schema_documents_the_party_api(client_as):
    schema = client_as("admin").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for path in ("/api/party/organisations/", "/api/party/assessments/{id}/review/", "/api/party/coverage/",
                 "/api/party/checklists/", "/api/party/blank-spots/", "/api/party/elections/{id}/done/"):
        assert path in paths, path


def test_the_office_schedules_a_village_election_and_the_village_reports_a_step(client, zone, units):
    from yuanqu.party.models import Election, ElectionStage

    stages = list(ElectionStage.objects.filter(is_active=True))
    client.force_login(zone["office"])
    dates = {f"stage_{s.pk}": f"2026-{9 + i // 4:02d}-{1 + (i % 4) * 7:02d}" for i, s in enumerate(stages)}
    r = client.post("/party/elections/new/", {"unit": units["village"].pk, "year": "2026",
                                              **{k: v for k, v in dates.items() if k != f"stage_{stages[0].pk}"}})
    assert r.status_code == 400 and f"请填写“{stages[0].name}”的计划完成日期" in r.content.decode()
    assert not Election.objects.exists()
    r = client.post("/party/elections/new/", {"unit": units["village"].pk, "year": "2026", **dates})
    election = Election.objects.get()
    assert r.status_code == 302 and election.steps.count() == len(stages)
    client.force_login(zone["village"])
    step = election.steps.order_by("stage__order").first()
    assert client.post(f"/party/elections/{election.pk}/", {"step": step.pk, "done_on": "2026-09-03"}).status_code == 302
    page = client.get("/party/elections/").content.decode()
    assert 'data-status="late"' in page and 'data-status="overdue"' in page  # step 2 planned 09-08, not done
    assert client.get("/party/elections/new/").status_code == 403
