"""两新 coverage: the denominator is the register's operating enterprises; own, joint (host or
member) and instructed enterprises are each counted once; the 空白点 are the rest."""

from decimal import Decimal

import pytest

from yuanqu.core.errors import ApplicationError
from yuanqu.party import selectors, services
from yuanqu.party.models import PartyOrganisation, SocialOrganisation


def test_the_three_rates_and_their_denominator(zone, units, firms):
    office = zone["office"]
    f = firms  # 8 enterprises
    services.organisation_create(actor=office, data={"name": "企业1党支部", "form": "branch", "unit": units["office"],
                                                     "enterprise": f[0].pk, "full_members": 5})
    # a joint branch hosted by f[1] over f[2] and f[0] (f[0] has its own: counted once, as own)
    services.organisation_create(actor=office, data={
        "name": "第一联合党支部", "form": "joint", "unit": units["office"], "enterprise": f[1].pk,
        "joint_enterprises": [f[2].pk, f[0].pk], "covered_units": 3, "full_members": 6})
    # an organisation no longer active covers nothing
    services.organisation_create(actor=office, data={"name": "企业4党支部（已撤销）", "form": "branch",
                                                     "unit": units["office"], "enterprise": f[3].pk,
                                                     "full_members": 3, "is_active": False})
    services.survey_save(actor=office, enterprise=f[4], data={"instructor": "王指导员"})
    services.survey_save(actor=office, enterprise=f[5], data={"operating": False, "instructor": "李指导员"})
    services.survey_save(actor=office, enterprise=f[6], data={"employees": 12})
    c = selectors.coverage()
    # operating: 8 - f[5] = 7; own: f[0]; joint: f[1], f[2]; instructed: f[4]
    assert (c.operating, c.own, c.joint, c.instructed, c.blank) == (7, 1, 2, 1, 4)
    assert c.organisation_rate == Decimal("42.9") and c.own_rate == Decimal("14.3") and c.work_rate == Decimal("57.1")
    spots = list(selectors.blank_spots())
    assert {e.pk for e in spots} == {f[3].pk, f[4].pk, f[6].pk, f[7].pk}
    assert {e.pk for e in selectors.blank_spots({"instructor": "none"})} == {f[3].pk, f[6].pk, f[7].pk}


def test_no_operating_enterprise_has_no_rate_and_scale_narrows_the_denominator(zone, firms, clock):
    assert selectors.coverage("above").operating == 0 and selectors.coverage("above").own_rate is None
    firms[0].above_scale_since = clock.today()
    firms[0].save()
    assert selectors.coverage("above").operating == 1 and selectors.coverage().operating == 8


def test_the_page_states_the_denominators_and_exports_the_blank_spots(client, zone, firms):
    client.force_login(zone["leader"])
    page = client.get("/party/coverage/").content.decode()
    assert "实际经营企业 8" in page and "组织覆盖率" in page and "单独组建率" in page and "工作覆盖率" in page
    assert "空白点：尚未建立党组织的企业 8 家" in page
    export = client.get("/party/coverage/?export=1")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    api = client.get("/api/party/coverage/").json()
    assert api["operating"] == 8 and api["organisation_rate"] is None or api["organisation_rate"] == "0.0"
    assert "非实际经营" in api["denominator"]


def _social(office, n, **extra):
    return services.social_create(actor=office, data={"name": f"社会组织{n}", "code": f"5133010{n:02d}MJ000000{n % 10}",
                                                      "kind": "association", **extra})


def test_social_organisations_join_the_denominators_beside_the_enterprises(zone, units, firms):
    office = zone["office"]
    s = [_social(office, n) for n in range(1, 6)]
    services.social_update(actor=office, social=s[4], data={"operating": False})  # stopped: out of the denominator
    services.social_update(actor=office, social=s[3], data={"instructor": "周指导员"})
    services.organisation_create(actor=office, data={"name": "社会组织1党支部", "form": "branch", "unit": units["office"],
                                                     "social_organisation": s[0].pk, "full_members": 4})
    services.organisation_create(actor=office, data={"name": "社会组织联合党支部", "form": "joint",
                                                     "unit": units["office"], "social_organisation": s[1].pk,
                                                     "covered_units": 2, "full_members": 3})
    services.organisation_create(actor=office, data={"name": "企业1党支部", "form": "branch", "unit": units["office"],
                                                     "enterprise": firms[0].pk, "full_members": 5})
    social = selectors.social_coverage()
    assert (social.operating, social.own, social.joint, social.instructed, social.blank) == (4, 1, 1, 1, 2)
    firms_only = selectors.coverage()
    assert (firms_only.operating, firms_only.own, firms_only.joint) == (8, 1, 0)  # the enterprises' figures unchanged
    total = firms_only + social
    assert (total.operating, total.organised, total.instructed) == (12, 3, 1)
    # the ratio of the sums (3/12 = 25.0), not the mean of 12.5 and 50.0
    assert total.organisation_rate == Decimal("25.0") and total.work_rate == Decimal("33.3")
    assert {o.name for o in selectors.social_organisations({"blank": "1"})} == {"社会组织3", "社会组织4"}


def test_the_coverage_page_and_api_state_both_denominators(client, zone, units, firms):
    office = zone["office"]
    s = _social(office, 1)
    services.organisation_create(actor=office, data={"name": "社会组织1党支部", "form": "branch", "unit": units["office"],
                                                     "social_organisation": s.pk, "full_members": 4})
    client.force_login(zone["leader"])
    page = client.get("/party/coverage/").content.decode()
    assert "实际经营企业 8 家 + 正常运转的社会组织 1 个 = 9" in page
    api = client.get("/api/party/coverage/").json()
    assert api["operating"] == 8 and api["social"]["operating"] == 1 and api["social"]["own"] == 1
    assert api["total"]["operating"] == 9 and api["total"]["organisation_rate"] == "11.1"
    assert "社会组织" in api["total"]["denominator"]


@pytest.mark.parametrize(("data", "field"), [
    ({"name": "某协会", "code": "123", "kind": "association"}, "code"),
    ({"name": "某协会", "code": "51330100MJ0000001X", "kind": "club"}, "kind"),
    ({"name": " ", "code": "51330100MJ0000001X", "kind": "association"}, "name"),
])
def test_a_bad_social_organisation_names_the_field_and_writes_nothing(zone, data, field):
    with pytest.raises(ApplicationError) as exc:
        services.social_create(actor=zone["office"], data=data)
    assert exc.value.field == field
    assert not SocialOrganisation.objects.exists()


def test_an_organisation_is_hosted_by_an_enterprise_or_a_social_organisation_not_both(zone, units, firms):
    s = _social(zone["office"], 1)
    with pytest.raises(ApplicationError) as exc:
        services.organisation_create(actor=zone["office"], data={
            "name": "两头党支部", "form": "branch", "unit": units["office"], "enterprise": firms[0].pk,
            "social_organisation": s.pk, "full_members": 3})
    assert exc.value.field == "social_organisation"
    assert not PartyOrganisation.objects.filter(name="两头党支部").exists()


@pytest.mark.parametrize("role", ["admin", "office", "leader", "supervisor", "village", "invest", "nounit"])
def test_the_social_register_by_role(client, client_as, zone, role):
    s = _social(zone["office"], 1)
    client.force_login(zone[role])
    reads, manages = role in {"admin", "office", "leader", "supervisor"}, role in {"admin", "office"}
    r = client.get("/party/social/")
    assert r.status_code == (200 if reads else 403)
    if reads:
        assert "社会组织1" in r.content.decode()
        assert client.get("/party/social/?export=1").status_code == 200
    r = client.post("/party/social/new/", {"name": "新协会", "code": "51330100MJ0000002Y", "kind": "service",
                                            "operating": "on"})
    assert r.status_code == (302 if manages else 403)
    api = client_as(role)
    listed = api.get("/api/party/social-organisations/").json()["results"]
    assert {o["name"] for o in listed} >= ({"社会组织1"} if reads else set())
    assert bool(listed) == reads
    r = api.patch(f"/api/party/social-organisations/{s.pk}/", {"operating": False, "version": 1}, format="json")
    assert r.status_code == (200 if manages else 403 if reads else 404)
    s.refresh_from_db()
    assert s.operating is (not manages)
