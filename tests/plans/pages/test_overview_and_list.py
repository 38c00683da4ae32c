"""The plan overview, the filtered target list and the target detail page."""

from decimal import Decimal

from django.urls import reverse

from tests.factories import make_target, target
from yuanqu.core import clock
from yuanqu.plans import services
from yuanqu.plans.models import Plan

HX = {"HTTP_HX_REQUEST": "true"}


def test_overview_counts_by_section_and_in_total(client, users, plan):
    farmers = target(plan, "培育新型农民")
    report = services.report_submit(actor=users["agri"], target=farmers, period=clock.today(), value="150",
                                    narrative="完成")
    services.report_accept(actor=users["supervisor"], report=report)
    client.force_login(users["leader"])
    response = client.get(reverse("plans:plan_detail", args=[plan.pk]))
    rows = {row["section"].no: row for row in response.context["rows"]}
    assert (rows["一"]["total"], rows["二"]["total"]) == (2, 2)
    assert rows["二"]["counts"]["done"] == 1
    assert response.context["total"] == 4
    assert {t["status"]: t["count"] for t in response.context["totals"]}["done"] == 1
    html = response.content.decode()
    assert f"?plan={plan.pk}&section={rows['二']['section'].pk}&status=done" in html
    assert 'id="schedule-today"' in html and "progress-stacked" in html
    assert "亮灯规则设置" not in html  # leaders read, supervisors configure


def test_a_reporter_sees_overview_counts_of_their_own_targets_only(client, users, plan):
    client.force_login(users["village"])
    response = client.get(reverse("plans:plan_detail", args=[plan.pk]))
    assert response.context["total"] == 1


def test_settings_are_saved_through_the_service_and_bad_input_is_explained(client, users, plan):
    client.force_login(users["supervisor"])
    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert 'name="yellow_band" value="10"' in page  # not "1E+1"
    url = reverse("plans:plan_settings", args=[plan.pk])
    response = client.post(url, {"progress_mode": "month", "gap_basis": "points", "yellow_band": "abc", "expected_version": plan.version},
                           follow=True)
    assert "黄灯容差应为数字" in response.content.decode()
    plan.refresh_from_db()
    assert plan.progress_mode == "day"
    client.post(url, {"progress_mode": "month", "gap_basis": "points", "yellow_band": "5", "expected_version": plan.version})
    plan.refresh_from_db()
    assert (plan.progress_mode, plan.yellow_band) == ("month", Decimal("5"))
    client.force_login(users["leader"])
    assert client.post(url, {"progress_mode": "day", "yellow_band": "9"}).status_code == 403


def test_closing_and_a_refused_activation_show_the_service_message(client, users, plan):
    client.force_login(users["supervisor"])
    response = client.post(reverse("plans:plan_activate", args=[plan.pk]), follow=True)
    assert "只有草稿可以启用" in response.content.decode()
    response = client.post(reverse("plans:plan_close", args=[plan.pk]), follow=True)
    assert "计划已关闭" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED


def test_filters_narrow_the_list_and_htmx_gets_only_the_table(client, users, units, plan):
    client.force_login(users["supervisor"])
    url = reverse("plans:target_list")
    second = plan.sections.get(no="二")

    def titles(**params):
        return {t.title for t in client.get(url, {"plan": plan.pk, **params}).context["table"].data}

    assert titles(section=second.pk) == {"培育新型农民不少于150人", "三南村创建成省级水美乡村"}
    assert titles(unit=units["invest"].pk) == {"招引项目100个", "农民收入提升10%以上"}
    assert titles(kind="milestone") == {"三南村创建成省级水美乡村"}
    assert titles(q="农民") == {"培育新型农民不少于150人", "农民收入提升10%以上"}
    assert titles(section="x", unit="", status="nonsense") == {t.title for t in plan.targets.all()}

    partial = client.get(url, {"plan": plan.pk, "q": "农民"}, **HX)
    html = partial.content.decode()
    assert "<html" not in html and 'id="targets"' in html and "培育新型农民" in html
    full = client.get(url, {"plan": plan.pk}).content.decode()
    assert "<html" in full and 'hx-target="#target-table"' in full


def test_the_list_pages_long_results(client, users, units, plan):
    section = plan.sections.first()
    for i in range(55):
        make_target(plan, section, units["invest"], f"批量目标{i:02d}")
    client.force_login(users["supervisor"])
    first = client.get(reverse("plans:target_list"), {"plan": plan.pk})
    assert len(first.context["table"].data) == 50 and first.context["page"].paginator.count == 59
    second = client.get(reverse("plans:target_list"), {"plan": plan.pk, "page": 2})
    assert len(second.context["table"].data) == 9


def test_target_detail_shows_status_history_changes_and_the_source_span(client, users, units, draft):
    roads = target(draft, "新建农村公路")
    services.target_update(actor=users["supervisor"], target=roads, data={"lead_unit": units["agri"].pk})
    client.force_login(users["supervisor"])
    response = client.get(reverse("plans:target_detail", args=[roads.pk]))
    html = response.content.decode()
    assert '<mark class="src current" id="src-' in html and "新建农村公路10公里</mark>" in html
    assert "完成农房改造300户" in html  # the rest of the section's text
    assert "招大引强" not in html.split('id="source-text"')[1].split("</div>")[0]  # not another section's
    change = response.context["changes"][0]
    assert change["changes"] == [{"label": "牵头单位", "before": "—", "after": "农业农村局"}]
    assert "农业农村局" in html and "修改记录" in html


def test_target_detail_of_an_active_target_has_a_month_by_month_history(client, users, plan):
    farmers = target(plan, "培育新型农民")
    client.force_login(users["agri"])
    response = client.get(reverse("plans:target_detail", args=[farmers.pk]))
    history = response.context["status_history"]
    assert len(history) == clock.today().month
    assert response.context["can_report"] and "填报进度" in response.content.decode()
