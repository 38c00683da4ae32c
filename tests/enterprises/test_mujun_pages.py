"""亩均 pages: who sees and does what (role matrix), the run page and the explanation page in a
fixed number of queries, the explanation's numbers, the per-class export with its policies, the
enterprise page's class history."""

import io
import json

import pytest
from django.utils.html import escape
from python_calamine import CalamineWorkbook

from yuanqu.enterprises import mujun_services as ms
from yuanqu.enterprises.models import MujunPolicy, MujunResult, MujunRun

from ..access import queries, signed_in
from .mujun_zone import READERS, ROLES, build_zone, make_scheme


@pytest.fixture
def zone(users, units, economy, make_enterprise):
    users["economy"] = economy
    firms = build_zone(make_enterprise, units=[units["invest"], units["agri"]])
    MujunPolicy.objects.create(class_key="D", kind="power", text="执行差别电价，每千瓦时加价0.1元", office="供电公司")
    MujunPolicy.objects.create(class_key="D", kind="land", text="不安排新增用地", office="自然资源局")
    MujunPolicy.objects.create(class_key="A", kind="credit", text="优先信贷支持", office="金融办")
    run = ms.run_create(actor=None, scheme=make_scheme())
    return users, firms, run


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_evaluation_pages(client, zone, role):
    users, firms, run = zone
    c = signed_in(client, users[role])
    expected = 200 if role in READERS else 403
    assert c.get("/enterprises/mujun/").status_code == expected
    assert c.get(f"/enterprises/mujun/runs/{run.pk}/").status_code == (200 if role in READERS else 403)
    assert c.get(f"/enterprises/mujun/runs/{run.pk}/export.xlsx").status_code == expected
    assert c.get(f"/enterprises/mujun/schemes/{run.scheme_id}/").status_code == expected
    # An enterprise's explanation: readers always; its 挂钩 unit once the run is published.
    result = MujunResult.objects.get(run=run, enterprise=firms[0])  # paired with 招商局
    assert c.get(f"/enterprises/mujun/results/{result.pk}/").status_code == (200 if role in READERS else 404)
    ms.run_sign_off(actor=None, run=run)
    ms.run_publish(actor=None, run=run)
    unit_reads = role in READERS or role == "invest"
    assert c.get(f"/enterprises/mujun/results/{result.pk}/").status_code == (200 if unit_reads else 404)
    page = c.get(f"/enterprises/{firms[0].pk}/")
    if unit_reads:
        assert f"2025年 {result.class_key}类" in page.content.decode()


@pytest.mark.parametrize(("role", "may"), [("admin", {"rerun", "sign", "publish"}), ("economy", {"rerun", "publish"}),
                                           ("supervisor", {"sign"}), ("leader", {"sign"}), ("invest", set())])
def test_who_may_rerun_sign_and_publish_on_the_page(client, zone, role, may):
    users, _, run = zone
    c = signed_in(client, users[role])
    response = c.post(f"/enterprises/mujun/runs/{run.pk}/rerun/", follow=True)
    run.refresh_from_db()
    assert (run.version == 2) == ("rerun" in may)
    response = c.post(f"/enterprises/mujun/runs/{run.pk}/sign/", follow=True)
    run.refresh_from_db()
    assert (run.status == "signed") == ("sign" in may)
    if run.status != "signed":
        ms.run_sign_off(actor=None, run=run)
    response = c.post(f"/enterprises/mujun/runs/{run.pk}/publish/", follow=True)
    run.refresh_from_db()
    assert (run.status == "published") == ("publish" in may)
    if role in READERS and "publish" not in may:
        assert "只有经发局企业管理员或系统管理员" in response.content.decode()


def test_a_published_run_refuses_every_action_on_the_page_with_the_lock_message(client, zone):
    users, _, run = zone
    ms.run_sign_off(actor=None, run=run)
    ms.run_publish(actor=None, run=run)
    c = signed_in(client, users["admin"])
    page = c.get(f"/enterprises/mujun/runs/{run.pk}/").content.decode()
    assert "action-rerun" not in page and "action-sign" not in page
    response = c.post(f"/enterprises/mujun/runs/{run.pk}/rerun/", follow=True)
    assert "已发布并锁定" in response.content.decode()
    assert MujunRun.objects.get(pk=run.pk).version == 3


def test_run_creation_from_the_page_and_a_refused_one(client, zone):
    users, _, run = zone
    c = signed_in(client, users["economy"])
    response = c.post("/enterprises/mujun/runs/new/", {"scheme": run.scheme_id})
    assert response.status_code == 302 and MujunRun.objects.count() == 2
    shipped = run.scheme.__class__.objects.get(year=2022)  # no 2022 figures
    response = c.post("/enterprises/mujun/runs/new/", {"scheme": shipped.pk}, follow=True)
    assert "2022年没有企业的年度数据" in response.content.decode() and MujunRun.objects.count() == 2
    assert signed_in(client, users["supervisor"]).post("/enterprises/mujun/runs/new/", {"scheme": run.scheme_id}).status_code == 403


def test_the_run_and_explanation_pages_do_not_grow_with_the_data(client, zone, make_enterprise, units):
    users, firms, run = zone
    ms.run_sign_off(actor=None, run=run)
    ms.run_publish(actor=None, run=run)
    c = signed_in(client, users["leader"])
    result = MujunResult.objects.filter(run=run).first()
    small = (queries(c, f"/enterprises/mujun/runs/{run.pk}/"), queries(c, f"/enterprises/mujun/results/{result.pk}/"),
             queries(c, f"/enterprises/{firms[0].pk}/"), queries(c, "/enterprises/mujun/"))
    build_zone(make_enterprise, count=30, units=[units["invest"]])
    bigger = ms.run_create(actor=None, scheme=run.scheme)
    result = MujunResult.objects.filter(run=bigger).last()
    large = (queries(c, f"/enterprises/mujun/runs/{bigger.pk}/"),
             queries(c, f"/enterprises/mujun/results/{result.pk}/"), queries(c, f"/enterprises/{firms[0].pk}/"),
             queries(c, "/enterprises/mujun/"))
    assert large == small


def test_the_explanation_page_shows_the_engines_lines(client, zone):
    users, firms, run = zone
    result = MujunResult.objects.get(run=run, enterprise=firms[0])
    html = signed_in(client, users["economy"]).get(f"/enterprises/mujun/results/{result.pk}/").content.decode()
    for line in result.lines:
        assert escape(line["indicator"]) in html and f"{line['points']:.4f}" in html and line["benchmark"] in html
    for text in result.explanation:
        assert escape(text) in html
    assert f"{result.total.normalize()}" in html


def test_the_class_d_export_lists_the_class_d_enterprises_with_their_policies(client, zone):
    users, _, run = zone
    response = signed_in(client, users["economy"]).get(f"/enterprises/mujun/runs/{run.pk}/export.xlsx?class=D")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_index(0).to_python()
    header = rows[1]
    body = [dict(zip(header, r, strict=False)) for r in rows[2:]]
    expected = set(MujunResult.objects.filter(run=run, class_key="D").values_list("enterprise__name", flat=True))
    assert expected and {r["企业名称"] for r in body} == expected
    assert all(r["类别"].startswith("D ") for r in body)
    assert all("差别电价" in r["适用政策"] and "不安排新增用地" in r["适用政策"] for r in body)
    policies = book.get_sheet_by_index(1).to_python()
    assert [p[2] for p in policies[2:]] == ["执行差别电价，每千瓦时加价0.1元", "不安排新增用地"]


def test_the_scheme_page_edits_refuse_a_bad_scheme_naming_the_field(client, zone):
    users, _, run = zone
    c = signed_in(client, users["economy"])
    page = c.get(f"/enterprises/mujun/schemes/{run.scheme_id}/")
    assert page.status_code == 200
    bad = dict(run.scheme.definition)
    bad["decimals"] = 12
    response = c.post(f"/enterprises/mujun/schemes/{run.scheme_id}/", {
        "form": "edit", "definition": json.dumps(bad), "sources": json.dumps(run.scheme.sources), "expected_version": 1})
    assert "小数位数应为 0 到 8 的整数" in response.content.decode()
    run.scheme.refresh_from_db()
    assert run.scheme.version == 1
    response = c.post(f"/enterprises/mujun/schemes/{run.scheme_id}/", {
        "form": "copy", "year": 2026, "name": "2026年度亩均效益评价", "jurisdiction": "海门经开区"})
    assert response.status_code == 302
    assert signed_in(client, users["leader"]).post(f"/enterprises/mujun/schemes/{run.scheme_id}/", {
        "form": "copy", "year": 2027, "name": "x"}).status_code == 403
