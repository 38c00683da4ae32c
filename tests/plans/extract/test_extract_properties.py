"""Properties: extract never crashes, and every offset indexes the original text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yuanqu.plans.extract import PlanTextError, extract

# Characters the extractor reacts to, so random text hits its branches often.
PLAN_CHARS = (
    "一二三四五六七八九十两百千万亿零〇是、，,。.;；:：（）()“”《》—-~至到%％０１２３"
    "0123456789 \n\t\u3000确保力争不少于超过以上以内左右约达到完成建成开工项目等个家人亩元"
    "发生全覆盖创建成去年已了比上年的村企业率"
)
plan_text = st.text(alphabet=PLAN_CHARS, max_size=300) | st.text(max_size=120)
SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _check(text, result):
    n = len(text)
    for block in result["sections"] + result["measures"]:
        assert 0 <= block["start"] <= block["end"] <= n
    for s in result["sections"]:
        assert text[s["start"]:s["start"] + len(s["marker"])] == s["marker"]
    starts = [s["start"] for s in result["sections"]]
    assert starts == sorted(starts)
    nos = {s["no"] for s in result["sections"]}
    for t in result["targets"]:
        assert 0 <= t["start"] <= t["end"] <= n
        assert text[t["start"]:t["end"]] == t["text"]
        assert t["section"] is None or t["section"] in nos
        if t["value_max"] is not None:
            assert t["comparator"] == "range" and t["value_max"] > t["value"]


@SETTINGS
@given(plan_text)
def test_never_crashes_and_offsets_hold(text):
    try:
        result = extract(text)
    except PlanTextError:
        return
    _check(text, result)


@SETTINGS
@given(plan_text)
def test_with_a_heading_always_reads(body):
    """A leading "一、" is always a section, so no error is raised."""
    text = "一、" + body
    result = extract(text)
    assert result["sections"][0]["start"] == 0
    _check(text, result)


@SETTINGS
@given(st.lists(plan_text, min_size=1, max_size=4))
def test_offsets_hold_after_a_prefix(parts):
    """Text before the plan shifts every offset by exactly its length."""
    body = "一、重点工作。" + "".join(parts)
    prefix = "XX区2021年工作计划\n"
    a = extract(body)
    b = extract(prefix + body)
    assert [t["start"] + len(prefix) for t in a["targets"]] == [t["start"] for t in b["targets"]]
