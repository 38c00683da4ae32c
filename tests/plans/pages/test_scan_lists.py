"""Lists people scan: the target list's deadline column and overdue filter (page and API share the
filter), and a unit's page listing the targets it cooperates on."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import make_target, target
from tests.plans.api.conftest import count_queries
from yuanqu.plans import services
from yuanqu.plans.models import ProgressReport, Target

PAST = dt.date(2026, 6, 30)  # the tests run on 2026-09-15


@pytest.fixture
def deadlines(plan, users):
    """招引项目 due 6-30 and not done; 培育新型农民 due 6-30 and done; 三南村 due at year end."""
    invest, farmers = target(plan, "招引项目"), target(plan, "培育新型农民")
    Target.objects.filter(pk__in=[invest.pk, farmers.pk]).update(deadline=PAST)
    report = services.report_submit(actor=users["agri"], target=farmers, period="2026-06", value="150",
                                    narrative="已完成")
    services.report_accept(actor=users["supervisor"], report=report)
    return plan


def _titles(response) -> list[str]:
    return [t.title for t in response.context["table"].data]


def test_the_overdue_filter_keeps_targets_past_their_deadline_and_not_completed(client, users, deadlines):
    client.force_login(users["supervisor"])
    url = reverse("plans:target_list")
    assert _titles(client.get(url, {"plan": deadlines.pk, "overdue": "1"})) == ["招引项目100个"]
    assert len(_titles(client.get(url, {"plan": deadlines.pk}))) == 4
    # The filter combines with the others, and the partial (htmx) answers the same.
    assert _titles(client.get(url, {"plan": deadlines.pk, "overdue": "1", "unit": target(deadlines, "招引").lead_unit_id},
                              HTTP_HX_REQUEST="true")) == ["招引项目100个"]
    assert _titles(client.get(url, {"plan": deadlines.pk, "overdue": "1", "status": "done"})) == []


def test_the_overdue_filter_respects_the_scope(client, users, deadlines):
    client.force_login(users["agri"])  # sees 培育新型农民 (done), 三南村, 农民收入; none overdue
    assert _titles(client.get(reverse("plans:target_list"), {"plan": deadlines.pk, "overdue": "1"})) == []


def test_the_list_shows_the_deadline_and_marks_overdue_ones(client, users, deadlines):
    client.force_login(users["supervisor"])
    html = client.get(reverse("plans:target_list"), {"plan": deadlines.pk}).content.decode()
    assert "<th" in html and "完成期限" in html
    assert html.count("已逾期") == 2  # the filter's label, and the one overdue row
    assert "2026-12-31" in html  # a target without its own deadline is due at the plan year's end


@pytest.mark.parametrize(("value", "expected"), [("true", {"招引项目"}), ("false", {"培育新型农民", "三南村", "农民收入"})])
def test_the_api_filters_overdue_targets_the_same_way(client_as, deadlines, value, expected):
    response = client_as("supervisor").get("/api/plans/targets/", {"plan": deadlines.pk, "overdue": value})
    assert response.status_code == 200
    titles = {r["title"] for r in response.json()["results"]}
    assert {next(s for s in ("招引项目", "培育新型农民", "三南村", "农民收入") if t.startswith(s)) for t in titles} == expected


def test_the_api_refuses_a_nonsense_overdue_value_naming_it(client_as, deadlines):
    response = client_as("supervisor").get("/api/plans/targets/", {"overdue": "maybe"})
    assert response.status_code == 400 and "overdue" in response.content.decode()


def test_the_overdue_list_query_count_is_flat(client, users, units, deadlines):
    client.force_login(users["supervisor"])
    section = deadlines.sections.first()

    def grow(n):
        for i in range(n):
            t = make_target(deadlines, section, units["agri"], f"逾期目标{Target.objects.count()}-{i}", deadline=PAST)
            t.cooperating_units.add(units["invest"])

    url = reverse("plans:target_list") + f"?plan={deadlines.pk}&overdue=1"
    grow(2)
    small = count_queries(lambda: client.get(url))
    grow(8)
    assert count_queries(lambda: client.get(url)) == small
    api = f"/api/plans/targets/?plan={deadlines.pk}&overdue=true"
    small = count_queries(lambda: client.get(api))
    grow(8)
    assert count_queries(lambda: client.get(api)) == small


# ---------------------------------------------------------------- a unit's page


def test_my_unit_lists_the_targets_the_unit_cooperates_on(client, users, plan):
    client.force_login(users["agri"])
    response = client.get(reverse("plans:my_unit"))
    assisting = [row["target"].title for row in response.context["assisting"]]
    led = [row["target"].title for row in response.context["targets"]]
    assert assisting == ["农民收入提升10%以上"]  # led by 招商局, 农业农村局 cooperates
    assert "农民收入提升10%以上" not in led
    html = response.content.decode()
    section = html[html.index('id="assisting"'):]
    assert "农民收入提升10%以上" in section and "招商局" in section


def test_a_target_both_led_and_cooperated_on_is_listed_once_as_led(client, users, plan, units):
    t = target(plan, "培育新型农民")
    t.cooperating_units.add(units["agri"])
    client.force_login(users["agri"])
    response = client.get(reverse("plans:my_unit"))
    assert t.title not in [row["target"].title for row in response.context["assisting"]]


def test_cooperating_targets_of_a_draft_plan_are_not_listed(client, users, plan, units):
    plan.status = "draft"
    plan.save()
    client.force_login(users["agri"])
    assert client.get(reverse("plans:my_unit")).context["assisting"] == []


def test_my_unit_query_count_does_not_grow_with_cooperating_targets(client, users, units, plan):
    client.force_login(users["invest"])
    section = plan.sections.first()

    def grow(n):
        for _i in range(n):
            t = make_target(plan, section, units["agri"], f"配合目标{Target.objects.count()}", target_value=Decimal("5"))
            t.cooperating_units.add(units["invest"])
            ProgressReport.objects.create(target=t, period=dt.date(2026, 8, 1), value=Decimal("2"), narrative="进展",
                                          submitted_by=users["agri"], review="accepted")

    grow(2)
    small = count_queries(lambda: client.get(reverse("plans:my_unit")))
    grow(8)
    response = []
    assert count_queries(lambda: response.append(client.get(reverse("plans:my_unit")))) == small
    assert len(response[0].context["assisting"]) == 10
