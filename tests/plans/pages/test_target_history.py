"""A target's change history speaks Chinese: field labels and values as people read them, no
internal ids, offsets or JSON; grouped by report; collapsed beyond the latest entries."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.plans.api.conftest import count_queries
from yuanqu.core.history import describe_changes, history_for
from yuanqu.plans import services
from yuanqu.plans.models import Target

TEXT = "一、招商引资。一是招大引强。全年招引亿元以上项目20个以上（招商局牵头，6月底完成）。"


@pytest.fixture
def imported(users, units):
    """A plan imported from its text, reviewed (deadline, units, a bound metric) and put in force."""
    plan = services.plan_import_text(actor=users["supervisor"], text=TEXT, year=2026)
    t = plan.targets.get()
    services.target_update(actor=users["supervisor"], target=t, data={
        "lead_unit": units["invest"].pk, "cooperating_units": [units["agri"].pk], "deadline": "2026-06-30",
        "kind": "ledger", "metric": "plans.ledger_done", "metric_params": {"target": t.pk},
    })
    services.plan_activate(actor=users["supervisor"], plan=plan)
    return Target.objects.get(pk=t.pk)


def _history_html(client, users, t) -> tuple[str, object]:
    client.force_login(users["supervisor"])
    response = client.get(reverse("plans:target_detail", args=[t.pk]))
    html = response.content.decode()
    return html[html.index('id="history"'):], response


def test_the_history_reads_as_people_write_it(client, users, imported):
    part, response = _history_html(client, users, imported)
    # Offsets into the plan text, the list position, the plan's id, the demo flag: never shown.
    for hidden in ("原文起点", "原文终点", "排序", "演示数据", ">计划<", "plans.ledger_done", "{", "#"):
        assert hidden not in part, hidden
    assert "完成期限" in part and "2026年6月30日" in part  # a date as people write it
    assert "牵头单位" in part and "招商局" in part and "配合单位" in part and "农业农村局" in part
    assert "取数指标" in part and "台账已完成事项数" in part  # the metric by its name
    assert f"目标编号：{imported.pk}" in part  # its parameter by its label, not as JSON
    assert "指标类型" in part and "台账" in part  # a choice by its label


def test_the_readable_history_names_the_fields_of_an_import(users, imported):
    (row,) = [r for r in describe_changes(history_for(imported)) if r["record"].action == "import"]
    labels = {c["label"] for c in row["changes"]}
    assert {"目标", "章节", "指标类型", "目标值", "计量单位"} <= labels
    assert not labels & {"原文起点", "原文终点", "排序", "计划", "演示数据", "原文所写", "source_start", "is_demo"}
    assert all(not re.search(r"[{}\[\]]", c["after"]) for c in row["changes"])


def test_each_report_is_one_group_with_its_submission_and_review(client, users, imported):
    report = services.report_submit(actor=users["invest"], target=imported, period="2026-05", percent="40",
                                    narrative="已签约3个")
    services.report_return(actor=users["supervisor"], report=report, comment="请附签约合同")
    services.report_submit(actor=users["invest"], target=imported, period="2026-05", percent="40",
                           narrative="已签约3个，附合同", based_on_version=1)
    part, response = _history_html(client, users, imported)
    groups = [g for g in response.context["history"] if g["report"]]
    assert [g["title"] for g in groups] == ["2026年5月进度报告 第2版", "2026年5月进度报告 第1版"]
    first = groups[1]
    assert [r["record"].get_action_display() for r in first["rows"]] == ["提交", "退回"]
    review = {c["label"]: c["after"] for c in first["rows"][1]["changes"]}
    assert review == {"审核": "已退回", "审核意见": "请附签约合同"}
    submitted = {c["label"] for c in first["rows"][0]["changes"]}
    assert submitted == {"完成进度（%）", "工作进展"}  # month and version are the group's title
    assert "2026年5月进度报告 第1版" in part and "报告月份" not in part


def test_history_beyond_the_latest_entries_is_folded(client, users, imported):
    for i in range(10):
        item = services.ledger_item_create(actor=users["invest"], target=imported, data={"name": f"签约项目{i}"})
        assert item.pk
    part, response = _history_html(client, users, imported)
    groups = response.context["history"]
    assert len(groups) == 10 + 2  # ten ledger items, the review edit and the import (activation is the plan's)
    shown, folded = part.split('id="history-older"')
    assert "签约项目9" in shown and "签约项目0" in folded  # newest first, the oldest folded away
    assert f"更早的 {len(groups) - 8} 条记录" in folded
    assert shown.count('class="list-group-item"') == 8


def test_the_history_query_count_does_not_grow_with_reports(client, users, imported):
    client.force_login(users["supervisor"])
    url = reverse("plans:target_detail", args=[imported.pk])

    def grow(months):
        for m in months:
            r = services.report_submit(actor=users["invest"], target=imported, period=dt.date(2026, m, 1),
                                       percent="10", narrative="进展")
            services.report_return(actor=users["supervisor"], report=r, comment="补充")

    grow([1])
    small = count_queries(lambda: client.get(url))
    grow([2, 3, 4, 5])
    assert count_queries(lambda: client.get(url)) == small
