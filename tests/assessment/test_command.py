"""`yuanqu assess --plan YEAR [--on DATE] [--format json]`."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yuanqu.assessment import services
from yuanqu.assessment.models import Run


def assess(*args) -> str:
    out = StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


def test_json_output_has_each_units_lines_total_grade_and_rank(scheme, plan, units):
    data = json.loads(assess("--plan", str(plan.year), "--on", f"{plan.year}-06-30", "--format", "json"))
    assert set(data) == {"year", "scheme", "run", "notes", "units"}
    assert data["year"] == plan.year and data["scheme"]["name"] == scheme.name
    assert data["run"] == {"id": Run.objects.get().pk, "number": 1, "on": f"{plan.year}-06-30",
                           "status": "computed", "status_label": "已测算"}
    ranks = [u["rank"] for u in data["units"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert {u["unit_id"] for u in data["units"]} == {units["invest"].pk, units["agri"].pk, units["village"].pk}
    unit = data["units"][0]
    assert set(unit) == {"unit_id", "unit", "rank", "total", "grade", "vetoed", "indicator", "bonus", "deduction",
                         "flags", "lines"}
    assert set(unit["lines"][0]) == {"group", "kind", "description", "raw", "points", "explanation"}
    for u in data["units"]:
        assert round(sum(line["points"] for line in u["lines"]), 2) == u["total"]
        assert u["grade"] in {"优秀", "良好", "合格", "不合格"}


def test_without_a_date_it_shows_the_latest_run_and_with_one_it_computes_a_new_version(scheme, plan):
    out = StringIO()
    call_command("assess", "--plan", str(plan.year), "--on", f"{plan.year}-05-31", "--format", "json", stdout=out)
    first = json.loads(out.getvalue())["run"]
    shown = json.loads(assess("--plan", str(plan.year), "--format", "json"))["run"]
    assert shown == first and Run.objects.count() == 1
    newer = json.loads(assess("--plan", str(plan.year), "--on", f"{plan.year}-06-30", "--format", "json"))["run"]
    assert newer["number"] == 2 and Run.objects.count() == 2


def test_text_output_is_a_ranking_table_in_chinese(scheme, plan):
    text = assess("--plan", str(plan.year), "--on", f"{plan.year}-06-30")
    assert text.splitlines()[0].startswith(f"{scheme.name} 第1版（截至{plan.year}-06-30，已测算）")
    assert "名次  单位" in text and "【1】" in text


def test_errors_are_chinese_and_write_nothing(scheme, plan, users):
    with pytest.raises(CommandError, match="2040年没有考核方案"):
        assess("--plan", "2040")
    with pytest.raises(CommandError, match="不是有效日期"):
        assess("--plan", str(plan.year), "--on", "6月30日")
    run = services.run_compute(actor=users["supervisor"], scheme=scheme, supervision_stats={})
    services.run_sign_off(actor=users["supervisor"], run=run)
    services.run_publish(actor=users["supervisor"], run=run)
    with pytest.raises(CommandError, match="已公示"):
        assess("--plan", str(plan.year), "--on", f"{plan.year}-06-30")
    assert Run.objects.count() == 1
    assert json.loads(assess("--plan", str(plan.year), "--format", "json"))["run"]["status"] == "published"
