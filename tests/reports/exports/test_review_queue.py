"""The review queue export: the pending current versions the queue shows, for 督查室 and
administrators only, in a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from yuanqu.plans import services
from yuanqu.plans.models import ProgressReport

from ...factories import make_target
from ...reports.conftest import FILED_ON, JUNE, YEAR
from .conftest import column, count_queries, first_sheet

EXPORT = reverse("reports:export_review_queue")
QUEUE = reverse("plans:review_queue")
HEADERS = ["目标", "牵头单位", "月份", "版本", "完成值/进度", "目标值", "工作进展", "存在问题", "填报人", "填报时间"]
JULY = dt.date(YEAR, 7, 1)
MAY = dt.date(YEAR, 5, 1)


def submit(user, target, period, **kw):
    kw.setdefault("narrative", "按计划推进")
    return services.report_submit(actor=user, target=target, period=period, today=FILED_ON, **kw)


@pytest.fixture
def queue(users, june_plan):
    """Pending: 招引项目 June v2 (v1 accepted), 新增规上企业 July, 水美乡村 July, 固定资产投资 May v2
    (v1 superseded). Not pending: 培育新型农民's July report, returned."""
    t, invest = june_plan.t, users["invest"]
    submit(invest, t["green"], JUNE, value="65", problems="用地指标紧张")
    submit(invest, t["red"], JULY, value="6")
    submit(users["village"], t["yellow"], JULY, percent="50")
    submit(invest, t["late"], MAY, value="20")
    submit(invest, t["late"], MAY, value="25", narrative="更正数据")
    returned = submit(users["agri"], t["done"], JULY, value="150")
    services.report_return(actor=users["supervisor"], report=returned, comment="请补充佐证")
    return june_plan


def queue_rows(client) -> list[tuple]:
    """(target, month, version) of every report on every page of the queue, in order."""
    rows, page = [], 1
    while True:
        shown = client.get(QUEUE, {"page": page}).context["page"]
        rows += [(r.target.title, r.period, r.version) for r in shown]
        if not shown.has_next():
            return rows
        page += 1


def test_export_has_the_headers_and_the_queues_rows_in_its_order(client, users, queue):
    client.force_login(users["supervisor"])
    rows = first_sheet(client, EXPORT)
    assert rows[1] == HEADERS
    assert list(zip(column(rows, "目标"), column(rows, "月份"), column(rows, "版本"), strict=True)) == [
        (title, period, float(version)) for title, period, version in queue_rows(client)
    ]
    assert column(rows, "目标") == ["招引项目100个", "新增规上企业20家", "三南村创建成省级水美乡村", "完成固定资产投资50亿元"]
    assert "共4份" in rows[0][0]


def test_each_rows_cells_read_as_on_the_page(client, users, queue):
    client.force_login(users["admin"])
    rows = first_sheet(client, EXPORT)
    by_title = {r[0]: r for r in rows[2:]}
    green = by_title["招引项目100个"]
    assert green[1:8] == ["招商局", JUNE, 2, "65个", "不低于100个", "按计划推进", "用地指标紧张"]
    assert green[8] == "invest1"
    report = ProgressReport.objects.get(target=queue.t["green"], version=2)
    submitted = timezone.localtime(report.submitted_at).replace(tzinfo=None)
    assert abs(green[9] - submitted) < dt.timedelta(seconds=1)
    village = by_title["三南村创建成省级水美乡村"]
    assert (village[1], village[4], village[5]) == ("三南村", "50%", "")  # a milestone: no target value
    assert by_title["完成固定资产投资50亿元"][3:5] == [2, "25亿元"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("supervisor", 200), ("leader", 403), ("invest", 403), ("village", 403), ("nounit", 403)],
)
def test_only_those_who_see_the_queue_may_export_it(client, users, queue, role, status):
    client.force_login(users[role])
    assert client.get(QUEUE).status_code == status
    assert client.get(EXPORT).status_code == status


def test_the_queue_page_has_the_export_button(client, users, queue):
    client.force_login(users["supervisor"])
    assert f'href="{EXPORT}"' in client.get(QUEUE).content.decode()


def _grow(plan, users, n: int) -> None:
    section = plan.sections.first()
    for i in range(n):
        target = make_target(plan, section, users["invest"].unit, f"扩展目标{plan.targets.count()}",
                             target_value=Decimal("10"))
        target.cooperating_units.add(users["agri"].unit)
        submit(users["invest"], target, JULY, value=str(i))
        submit(users["invest"], target, JUNE, value=str(i), problems="无")


def test_export_query_count_does_not_grow_with_the_queue(client, users, queue):
    client.force_login(users["supervisor"])
    _grow(queue, users, 3)
    small = count_queries(client, EXPORT)
    _grow(queue, users, 6)  # 3N
    assert count_queries(client, EXPORT) == small
    assert len(first_sheet(client, EXPORT)) == 2 + 4 + 2 * 9
