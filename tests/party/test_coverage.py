"""两新 coverage: the denominator is the register's operating enterprises; own, joint (host or
member) and instructed enterprises are each counted once; the 空白点 are the rest."""

from decimal import Decimal

from yuanqu.party import selectors, services


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
