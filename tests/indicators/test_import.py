"""Importing counts: one column per variable, revisions not overwrites, every bad row named, revert."""

from decimal import Decimal

from yuanqu.core.imports.services import import_revert
from yuanqu.core.models import ImportBatch
from yuanqu.indicators import selectors
from yuanqu.indicators.models import IndicatorCount

from ..org.import_helpers import assert_errors, preview, run

HEADER = ["指标", "村/社区", "期间", "参保人数", "应参保人数", "持证农民数", "农民总数"]
ROWS = [
    HEADER,
    ["参保率", "东一村", "2026", 990, 1000, None, None],
    ["insured", "东二村", "2026年", 95, 100, None, None],
    ["持证农民比例", "西湖社区", 2026, None, None, 30, 60],
]


def test_counts_are_imported_and_the_same_file_again_changes_nothing(people, places, insured, certified):
    batch = run(people["admin"], "indicators.counts", ROWS)
    assert (batch.status, batch.created_count) == (ImportBatch.Status.APPLIED, 3)
    values = selectors.values_for([insured, certified])
    assert values.zone_value(insured.pk, "2026") == Decimal("98.64")  # 1085 / 1100
    assert values.village(certified.pk, places["w1"].pk, "2026") == Decimal("50.00")
    again = run(people["admin"], "indicators.counts", ROWS)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert IndicatorCount.objects.count() == 3


def test_a_changed_count_is_a_new_revision_and_revert_makes_the_old_one_current(people, places, insured, certified):
    run(people["admin"], "indicators.counts", ROWS)
    changed = [row[:] for row in ROWS]
    changed[1][3] = 980
    batch = run(people["admin"], "indicators.counts", changed)
    assert (batch.updated_count, batch.unchanged_count) == (1, 2)
    current = IndicatorCount.objects.get(unit=places["e1"], is_current=True)
    assert (current.revision, current.values) == (2, ["980", "1000"])
    import_revert(actor=people["admin"], batch=batch)
    current = IndicatorCount.objects.get(unit=places["e1"], is_current=True)
    assert (current.revision, current.values) == (1, ["990", "1000"])
    assert IndicatorCount.objects.filter(unit=places["e1"]).count() == 1


def test_every_bad_row_is_named_in_chinese_and_nothing_is_written(people, places, insured, certified):
    rows = [
        HEADER,
        ["参保率", "东一村", "2026", -5, 100, None, None],
        ["参保率", "东二村", "2026", 101, 100, None, None],
        ["参保率", "南山村", "2026", 1, 2, None, None],
        ["参保率", "东片区", "2026", 1, 2, None, None],
        ["参保率", "西湖社区", "二〇二六", 1, 2, None, None],
        ["参保率", "西湖社区", "2031", 1, 2, None, None],
        ["低保率", "西湖社区", "2026", 1, 2, None, None],
        ["参保率", "西湖社区", "2025", 1, 2, 3, 4],
        ["持证农民比例", "东一村", "2026", None, None, None, 4],
        ["持证农民比例", "东二村", "2026", None, None, "三十", 4],
        ["good", "东一村", "2025", 1, 2, None, None],
    ]
    rows[-1][0] = "参保率"
    batch = preview(people["admin"], "indicators.counts", rows)
    errors = batch.errors
    assert_errors(errors,
                  "第2行「参保人数」：参保人数不能为负数…",
                  "第3行「参保人数」：参保人数（101）不能大于应参保人数（100）…",
                  "第4行「村/社区」：“南山村”不是系统中的村或社区",
                  "第5行「村/社区」：“东片区”不是系统中的村或社区",
                  "第6行「期间」：“二〇二六”不是有效的期间…",
                  "第7行「期间」：期间“2031年”尚未开始…",
                  "第8行「指标」：未找到乡村指标“低保率”…",
                  "第9行「持证农民数」：指标“参保率”没有这一项…",
                  "第10行「持证农民数」：必填，不能为空",
                  "第11行「持证农民数」：“三十”不是数字")
    assert len(errors) == 10
    assert not IndicatorCount.objects.exists()
