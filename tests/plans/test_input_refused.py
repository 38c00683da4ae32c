"""Nonsense figures are refused with the platform's own Chinese wording, on every path, writing nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from yuanqu.core.errors import ApplicationError
from yuanqu.plans import services
from yuanqu.plans.models import ProgressReport, Target, counts_things

from ..conftest import TEST_TODAY
from ..factories import make_target, target

THIS_MONTH = TEST_TODAY.replace(day=1)
TOO_LONG = "12345678901234567890"  # 20 digits; the column holds 14 before the point


def submit(user, t, **kw):
    data = {"period": THIS_MONTH, "narrative": "按计划推进", "value": None, "percent": None, **kw}
    return services.report_submit(actor=user, target=t, **data)


@pytest.mark.parametrize(("unit", "counts"), [
    ("家", True), ("个", True), ("人", True), ("万人", True), ("人次", True),
    ("%", False), ("亿元", False), ("个百分点", False), ("", False),
])
def test_which_units_count_things(unit, counts):
    assert counts_things(unit) is counts


def test_a_negative_count_is_refused_naming_the_field_and_unit(plan, users):
    t = target(plan, "培育新型农民")  # 人
    with pytest.raises(ApplicationError, match="完成值不能为负数") as caught:
        submit(users["agri"], t, value="-3")
    assert caught.value.field == "value" and "“人”" in caught.value.message
    assert not ProgressReport.objects.filter(target=t).exists()
    assert submit(users["agri"], t, value="0").value == 0  # zero is a count


def test_a_negative_figure_of_a_rate_stays_allowed(plan, users):
    # A growth rate may fall: the rule follows the unit, not the sign alone.
    t = make_target(plan, plan.sections.first(), plan.targets.first().lead_unit, "规上工业增加值增长8%",
                    kind=Target.Kind.RATIO, target_value=Decimal("8"), unit="%")
    assert submit(users["invest"], t, value="-1.5").value == Decimal("-1.5")


def test_a_number_too_long_gets_the_platforms_wording_in_the_service(plan, users):
    t = target(plan, "培育新型农民")
    with pytest.raises(ApplicationError) as caught:
        submit(users["agri"], t, value=TOO_LONG)
    message = caught.value.message
    assert caught.value.field == "value"
    assert message.startswith(f"完成值“{TOO_LONG}”超出可填写的范围") and "整数部分最多14位" in message
    assert "确保" not in message
    assert not ProgressReport.objects.filter(target=t).exists()


def test_a_negative_count_is_refused_through_the_api(client_as, plan):
    t = target(plan, "招引项目")  # 个
    body = {"target": t.pk, "period": f"{THIS_MONTH:%Y-%m}", "narrative": "推进", "value": "-5"}
    response = client_as("invest").post("/api/plans/reports/", body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "value" and "完成值不能为负数" in response.json()["message"]
    assert not ProgressReport.objects.filter(target=t).exists()


def test_a_number_too_long_gets_the_same_wording_through_the_api(client_as, plan):
    t = target(plan, "招引项目")
    body = {"target": t.pk, "period": f"{THIS_MONTH:%Y-%m}", "narrative": "推进", "value": TOO_LONG}
    response = client_as("invest").post("/api/plans/reports/", body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["field"] == "value"
    assert data["message"].startswith(f"完成值“{TOO_LONG}”超出可填写的范围"), data
    assert not ProgressReport.objects.filter(target=t).exists()


def test_the_report_page_shows_both_refusals_on_the_field(client, plan, users):
    t = target(plan, "培育新型农民")
    client.force_login(users["agri"])
    url = reverse("plans:report_create", args=[t.pk])
    for value, expected in (("-2", "完成值不能为负数"), (TOO_LONG, "超出可填写的范围")):
        response = client.post(url, {"period": f"{THIS_MONTH:%Y-%m}", "value": value, "narrative": "推进",
                                     "based_on_version": 0})
        assert response.status_code == 200
        assert expected in response.content.decode()
        assert response.context["form"].errors["value"]
    assert not ProgressReport.objects.filter(target=t).exists()
