"""Binding a target to a live metric from its page, and the page saying where its number comes from."""

import pytest
from django.urls import reverse

from yuanqu.core import clock
from yuanqu.plans.models import Target

from ...factories import PASSWORD, target


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_supervisor_binds_a_target_and_its_page_names_the_source(client, plan, users):
    t = target(plan, "招引项目")
    login(client, users["supervisor"])
    response = client.post(reverse("plans:target_metric", args=[t.pk]),
                           {"metric": "plans.ledger_done", "params": f"target={t.pk}", "expected_version": 1})
    assert response.status_code == 302
    t.refresh_from_db()
    assert (t.metric, t.metric_params) == ("plans.ledger_done", {"target": t.pk})
    page = client.get(reverse("plans:target_detail", args=[t.pk])).content.decode()
    assert "台账已完成事项数" in page and "plans.ledger_done" in page


@pytest.mark.parametrize("params,message", [("target=abc", "格式不正确"), ("target", "名称=值"), ("", "缺少参数")])
def test_bad_parameters_are_shown_and_nothing_changes(client, plan, users, params, message):
    t = target(plan, "招引项目")
    login(client, users["supervisor"])
    response = client.post(reverse("plans:target_metric", args=[t.pk]),
                           {"metric": "plans.ledger_done", "params": params, "expected_version": 1})
    assert response.status_code == 200 and message in response.content.decode()
    assert Target.objects.get(pk=t.pk).metric == ""


@pytest.mark.parametrize("role,status", [("invest", 403), ("leader", 403), ("village", 404)])
def test_only_supervisors_bind(client, plan, users, role, status):
    t = target(plan, "招引项目")
    login(client, users[role])
    response = client.post(reverse("plans:target_metric", args=[t.pk]),
                           {"metric": "plans.ledger_done", "params": f"target={t.pk}", "expected_version": 1})
    assert response.status_code == status
    assert Target.objects.get(pk=t.pk).metric == ""


def test_the_target_page_lists_its_ledger_and_report_history(client, plan, users):

    from yuanqu.plans import services

    t = target(plan, "三南村")
    item = services.ledger_item_create(actor=users["village"], target=t, data={"name": "水系连通工程"})
    services.ledger_item_update(actor=users["village"], item=item, data={"status": "done"})
    report = services.report_submit(actor=users["village"], target=t, period=clock.today().replace(day=1),
                                    percent="60", narrative="推进中")
    services.report_return(actor=users["supervisor"], report=report, comment="请补充照片")
    login(client, users["leader"])
    page = client.get(reverse("plans:target_detail", args=[t.pk])).content.decode()
    assert "台账事项" in page and "水系连通工程" in page and "已完成" in page
    assert "退回" in page and "请补充照片" in page
