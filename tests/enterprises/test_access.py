"""Who reads and writes enterprises, on the pages and through the API; the form's refusals; the
export; query counts stay flat."""

from decimal import Decimal

import pytest

from yuanqu.enterprises import services
from yuanqu.enterprises.models import Enterprise, EnterpriseTag

from ..access import assert_export_filtered, queries, schema_paths, signed_in
from ..factories import code_for

# role → the enterprises it reads: 招商局's 挂钩 enterprise (I) and 农业农村局's (A); 三南村 is
# under 农业农村局 in the tree, but a unit reads its own pairings and its subtree's, not its parent's.
READS = {"admin": {"甲企业", "乙企业"}, "supervisor": {"甲企业", "乙企业"}, "leader": {"甲企业", "乙企业"},
         "economy": {"甲企业", "乙企业"}, "invest": {"甲企业"}, "agri": {"乙企业"}, "village": set()}


@pytest.fixture
def zone(users, units, economy, make_enterprise, sources, indicators):
    users["economy"] = economy
    a = make_enterprise(name="甲企业", liaison_unit=units["invest"], liaison_leader=users["leader"])
    make_enterprise(name="乙企业", liaison_unit=units["agri"])
    services.figures_record(actor=None, enterprise=a, year=2025, source=sources["统计"],
                            values={indicators["revenue"]: Decimal("12000")})
    return users


def _names(html: str) -> set[str]:
    return {n for n in ("甲企业", "乙企业") if f">{n}<" in html}


@pytest.mark.parametrize("role", [*READS, "nounit"])
def test_the_list_page_and_the_api_show_exactly_the_roles_enterprises(client, zone, role):
    c = signed_in(client, zone[role])
    page = c.get("/enterprises/")
    api = c.get("/api/enterprises/enterprises/")
    if role == "nounit":  # no role, no unit: no enterprise pages
        assert page.status_code == 403 and api.json()["count"] == 0
        return
    assert page.status_code == 200
    assert _names(page.content.decode()) == READS[role]
    assert {e["name"] for e in api.json()["results"]} == READS[role]


@pytest.mark.parametrize("role", list(READS))
def test_an_enterprise_out_of_scope_is_a_404_and_its_figures_are_hidden(client, zone, role):
    c = signed_in(client, zone[role])
    firm = Enterprise.objects.get(name="甲企业")
    expected = 200 if "甲企业" in READS[role] else 404
    assert c.get(f"/enterprises/{firm.pk}/").status_code == expected
    assert c.get(f"/api/enterprises/enterprises/{firm.pk}/").status_code == expected
    figures = c.get(f"/api/enterprises/figures/?enterprise={firm.pk}").json()
    assert figures["count"] == (1 if expected == 200 else 0)


@pytest.mark.parametrize(("role", "status"), [("admin", 201), ("economy", 201), ("supervisor", 403),
                                              ("leader", 403), ("invest", 403)])
def test_who_registers_enterprises_through_the_api(client, zone, role, status):
    body = {"name": "新企业", "credit_code": code_for(999).lower(), "industry": "34", "tags": ["高新技术企业"]}
    response = signed_in(client, zone[role]).post("/api/enterprises/enterprises/", body, content_type="application/json")
    assert response.status_code == status, response.json()
    if status == 201:
        data = response.json()
        assert data["credit_code"] == code_for(999) and data["industry"]["section"] == "C"
        assert data["tags"] == ["高新技术企业"] and data["scale"] == "below"
    else:
        assert not Enterprise.objects.filter(name="新企业").exists()


def test_the_api_refuses_a_wrong_check_character_naming_the_field_and_a_stale_version(client, zone):
    c = signed_in(client, zone["economy"])
    bad = c.post("/api/enterprises/enterprises/", {"name": "新", "credit_code": code_for(5)[:17] + "0"},
                 content_type="application/json")
    code = code_for(5)
    if code[17] == "0":
        pytest.skip("the check character happens to be 0")
    assert bad.status_code == 400 and bad.json()["field"] == "credit_code" and "校验位不符" in bad.json()["message"]
    firm = Enterprise.objects.get(name="甲企业")
    url = f"/api/enterprises/enterprises/{firm.pk}/"
    assert c.patch(url, {"address": "江海路1号", "version": 1}, content_type="application/json").status_code == 200
    assert c.patch(url, {"address": "江海路2号", "version": 1}, content_type="application/json").status_code == 409


def test_the_form_normalises_a_lower_case_code_and_refuses_a_wrong_one_on_its_field(client, zone, units):
    c = signed_in(client, zone["economy"])
    tag = EnterpriseTag.objects.get(name="专精特新“小巨人”")
    wrong = code_for(7)[:17] + ("1" if code_for(7)[17] != "1" else "2")
    refused = c.post("/enterprises/new/", {"name": "丙企业", "credit_code": wrong})
    assert refused.status_code == 200 and "校验位不符" in refused.content.decode()
    short = c.post("/enterprises/new/", {"name": "丙企业", "credit_code": "9132"})
    assert "应为18位" in short.content.decode()
    taken = c.post("/enterprises/new/", {"name": "丙企业", "credit_code": Enterprise.objects.get(name="甲企业").credit_code})
    assert "已登记为“甲企业”" in taken.content.decode()
    ok = c.post("/enterprises/new/", {"name": "丙企业", "credit_code": code_for(7).lower(), "tags": [tag.pk],
                                      "liaison_unit": units["invest"].pk, "land_mu": "12.5"})
    assert ok.status_code == 302
    firm = Enterprise.objects.get(name="丙企业")
    assert firm.credit_code == code_for(7) and list(firm.tags.all()) == [tag]
    assert signed_in(client, zone["leader"]).get("/enterprises/new/").status_code == 403
    assert signed_in(client, zone["leader"]).get(f"/enterprises/{firm.pk}/edit/").status_code == 403


def test_the_enterprise_page_gathers_figures_versions_tags_and_history(client, zone, sources, indicators):
    firm = Enterprise.objects.get(name="甲企业")
    services.figures_record(actor=None, enterprise=firm, year=2025, source=sources["税务"],
                            values={indicators["revenue"]: Decimal("12500")})
    services.enterprise_update(actor=zone["economy"], enterprise=firm,
                               data={"tags": [EnterpriseTag.objects.get(name="单项冠军")]})
    html = signed_in(client, zone["leader"]).get(f"/enterprises/{firm.pk}/").content.decode()
    assert "12500" in html and "第1版：12000（统计" in html  # current value, and the earlier version
    assert "单项冠军" in html and "产业链节点" in html and "未列入产业链节点。" in html
    assert "标签：— → 单项冠军" in html


def test_the_export_writes_the_filtered_rows(client, zone):
    assert_export_filtered(signed_in(client, zone["leader"]), "/enterprises/export.xlsx?q=甲",
                           kept="甲企业", dropped="乙企业", caption="搜索：“甲”")


def test_the_list_filters_by_scale_tag_unit_and_industry(client, zone, units):
    firm = Enterprise.objects.get(name="甲企业")
    tag = EnterpriseTag.objects.get(name="高新技术企业")
    services.enterprise_update(actor=None, enterprise=firm, data={"tags": [tag], "industry": None})
    services.enterprise_update(actor=None, enterprise=Enterprise.objects.get(name="乙企业"),
                               data={"above_scale_since": "2025-03-01"})
    c = signed_in(client, zone["leader"])
    assert _names(c.get(f"/enterprises/?tag={tag.pk}").content.decode()) == {"甲企业"}
    assert _names(c.get("/enterprises/?scale=above").content.decode()) == {"乙企业"}
    assert _names(c.get(f"/enterprises/?unit={units['invest'].pk}").content.decode()) == {"甲企业"}
    assert _names(c.get("/enterprises/?industry=C").content.decode()) == set()


@pytest.mark.parametrize("url", ["/enterprises/", "/enterprises/export.xlsx", "/api/enterprises/enterprises/",
                                 "/api/enterprises/figures/", "/enterprises/tiers/?year=2025",
                                 "/api/enterprises/tiers/?year=2025", "/enterprises/?tier=1"])
def test_queries_do_not_grow_with_the_number_of_enterprises(client, zone, make_enterprise, units, sources,
                                                           indicators, url):
    c = signed_in(client, zone["leader"])
    tags = list(EnterpriseTag.objects.all()[:2])

    def add(n):
        for i in range(n):
            firm = make_enterprise(liaison_unit=units["invest"], industry=34, tags=tags,
                                   above_scale_since="2025-06-01" if i % 2 else None)
            services.figures_record(actor=None, enterprise=firm, year=2025, source=sources["统计"],
                                    values={indicators["revenue"]: Decimal(9000 + 1000 * i)})
            services.figures_record(actor=None, enterprise=firm, year=2024, source=sources["统计"],
                                    values={indicators["revenue"]: Decimal(8000)})

    add(4)
    few = queries(c, url)
    add(12)
    assert queries(c, url) == few


def test_the_enterprise_page_queries_do_not_grow_with_its_figures(client, zone, sources, indicators):
    firm = Enterprise.objects.get(name="甲企业")
    c = signed_in(client, zone["leader"])
    few = queries(c, f"/enterprises/{firm.pk}/")
    for year in (2022, 2023, 2024):
        services.figures_record(actor=None, enterprise=firm, year=year, source=sources["税务"],
                                values={i: Decimal(year) for i in indicators.values()})
    assert queries(c, f"/enterprises/{firm.pk}/") == few


def test_the_api_is_in_the_schema_without_warnings(tmp_path):
    ours = schema_paths(tmp_path, "/api/enterprises/")  # generating the schema fails on any warning
    assert ours == {
        "/api/enterprises/enterprises/": {"get", "post"},
        "/api/enterprises/enterprises/{id}/": {"get", "patch"},
        "/api/enterprises/figures/": {"get"},  # figures are read here; they are written by import
        "/api/enterprises/figures/{id}/": {"get"},
        "/api/enterprises/tiers/": {"get"},
        "/api/enterprises/mujun-schemes/": {"get", "post"},
        "/api/enterprises/mujun-schemes/{id}/": {"get", "patch"},
        "/api/enterprises/mujun-runs/": {"get", "post"},  # runs are never edited, only acted on
        "/api/enterprises/mujun-runs/{id}/": {"get"},
        "/api/enterprises/mujun-runs/{id}/rerun/": {"post"},
        "/api/enterprises/mujun-runs/{id}/sign-off/": {"post"},
        "/api/enterprises/mujun-runs/{id}/return/": {"post"},
        "/api/enterprises/mujun-runs/{id}/publish/": {"post"},
        "/api/enterprises/mujun-results/": {"get"},
        "/api/enterprises/mujun-results/{id}/": {"get"},
    }


def test_the_tiers_api_answers_for_the_year_and_refuses_a_bad_one(client, zone):
    c = signed_in(client, zone["leader"])
    data = c.get("/api/enterprises/tiers/?year=2025").json()
    assert data["year"] == 2025
    assert [(m["name"], m["after"]["name"]) for m in data["moved_up"]] == [("甲企业", "亿元企业")]
    bad = c.get("/api/enterprises/tiers/?year=abc")
    assert bad.status_code == 400 and bad.json()["field"] == "year"
    assert signed_in(client, zone["nounit"]).get("/api/enterprises/tiers/").status_code == 403


def test_figures_current_only_lists_the_latest_version(client, zone, sources, indicators):
    firm = Enterprise.objects.get(name="甲企业")
    services.figures_record(actor=None, enterprise=firm, year=2025, source=sources["税务"],
                            values={indicators["revenue"]: Decimal("13000")})
    c = signed_in(client, zone["leader"])
    every = c.get(f"/api/enterprises/figures/?enterprise={firm.pk}").json()["results"]
    current = c.get(f"/api/enterprises/figures/?enterprise={firm.pk}&current=true").json()["results"]
    assert [(f["version"], f["source"]) for f in every] == [(1, "统计"), (2, "税务")]
    assert [(f["version"], f["value"]) for f in current] == [(2, "13000.0000")]


def test_the_filters_note_line_and_scale_below(zone, units):
    from yuanqu.enterprises.selectors import filter_enterprises

    tag = EnterpriseTag.objects.get(name="高新技术企业")
    filters, qs = filter_enterprises(zone["leader"], {"scale": "below", "tag": str(tag.pk), "unit": str(units["invest"].pk),
                                                      "industry": " c ", "tier": "987654", "q": " 甲 "})
    assert (filters.industry, filters.scale, filters.tier, filters.q) == ("C", "below", 987654, "甲")
    assert filters.labels() == ["行业：C 制造业", "规模：规下", "标签：高新技术企业", "梯队：（不存在）", "挂钩单位：招商局",
                                "搜索：“甲”"]
    assert list(qs) == []  # a tier that names nothing keeps nothing
    below = filter_enterprises(zone["leader"], {"scale": "below", "industry": "C3"})[1]
    assert {e.name for e in below} == {"甲企业", "乙企业"}
