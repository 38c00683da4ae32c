"""The pure rules: form warnings at each threshold (3 / 7 / 50 / 100, a joint branch over 5 units),
terms, and the checklist's scoring (check, deduct per occurrence, add, veto, pass marks)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from yuanqu.party import rules, scoring
from yuanqu.party.rules import BRANCH, COMMITTEE, GENERAL, JOINT


def codes(form, full, prob=0, committee=3, covered=1, t=rules.DEFAULT):
    return {w.code for w in rules.form_warnings(form=form, full=full, probationary=prob, committee=committee,
                                                covered_units=covered, t=t)}


def test_a_branch_needs_three_full_members():
    assert "too_few" in codes(BRANCH, 2, prob=5, committee=0)  # probationary members do not count
    assert "too_few" not in codes(BRANCH, 3, committee=0)


def test_seven_full_members_need_a_committee_of_three_to_five_and_at_most_seven():
    assert "needs_committee" not in codes(BRANCH, 6, committee=0)
    assert "needs_committee" in codes(BRANCH, 7, committee=2)
    assert "needs_committee" not in codes(BRANCH, 7, committee=3)
    assert "committee_too_big" not in codes(BRANCH, 20, committee=7)
    assert "committee_too_big" in codes(BRANCH, 20, committee=8)


def test_fifty_members_suggest_a_general_branch_and_a_hundred_a_committee():
    assert "to_general" not in codes(BRANCH, 45, prob=4)
    assert "to_general" in codes(BRANCH, 45, prob=5)  # 50 members, probationary included
    assert "to_committee" not in codes(BRANCH, 99) and "to_committee" in codes(BRANCH, 100)
    assert "to_general" not in codes(BRANCH, 100)  # the stronger advice only
    assert "general_too_small" in codes(GENERAL, 49) and "general_too_small" not in codes(GENERAL, 50)
    assert "to_committee" in codes(GENERAL, 100) and "to_committee" not in codes(GENERAL, 99)
    assert "committee_too_small" in codes(COMMITTEE, 99) and not codes(COMMITTEE, 100)


def test_a_joint_branch_covers_at_most_five_units_and_the_thresholds_are_data():
    assert "joint_too_wide" not in codes(JOINT, 4, covered=5)
    assert "joint_too_wide" in codes(JOINT, 4, covered=6)
    wider = rules.Thresholds(joint_max_units=8)
    assert "joint_too_wide" not in codes(JOINT, 4, covered=6, t=wider)


def test_the_thresholds_can_be_changed_in_settings(settings):
    settings.YUANQU_PARTY_THRESHOLDS = {"branch_min_full": 5}
    assert rules.thresholds().branch_min_full == 5 and rules.thresholds().general_min == 50


def test_a_term_is_due_ninety_days_ahead_and_over_after_its_end():
    end = dt.date(2026, 12, 1)
    assert rules.term_warnings(term_end=end, on=dt.date(2026, 9, 1)) == []
    assert [w.code for w in rules.term_warnings(term_end=end, on=dt.date(2026, 9, 2))] == ["term_due"]
    assert [w.code for w in rules.term_warnings(term_end=end, on=dt.date(2026, 12, 2))] == ["term_over"]
    assert rules.add_years(dt.date(2024, 2, 29), 5) == dt.date(2029, 2, 28)


ITEMS = [scoring.Item("换届", "check", D(20), veto=True), scoring.Item("三会一课", "deduct", D(30), D(2)),
         scoring.Item("公开", "deduct", D(50), D(5), veto=False), scoring.Item("表彰", "add", D(6), D(3))]


def outcome(values, pass_mark=D(80), exemplary=D(95)):
    return scoring.score(ITEMS, values, pass_mark=pass_mark, exemplary_mark=exemplary)


def test_deductions_are_per_occurrence_and_additions_may_pass_the_total():
    assert outcome([1, 0, 0, 0]).total == D(100)
    assert outcome([1, 3, 1, 0]).total == D(100) - 6 - 5
    assert outcome([1, 0, 0, 2]).total == D(106)


def test_a_deduction_or_an_addition_over_the_item_maximum_is_refused_naming_the_item():
    with pytest.raises(scoring.ScoreError, match="第2项“三会一课”扣分32分.*超过该项满分30"):
        outcome([1, 16, 0, 0])
    assert outcome([1, 15, 0, 0]).total == D(70)
    with pytest.raises(scoring.ScoreError, match="第4项“表彰”加分9分.*超过该项上限6"):
        outcome([1, 0, 0, 3])
    with pytest.raises(scoring.ScoreError, match="只能填 1.*或 0"):
        outcome([2, 0, 0, 0])
    with pytest.raises(scoring.ScoreError, match="不能为负数"):
        outcome([1, -1, 0, 0])


def test_pass_marks_decide_the_result_and_a_veto_overrides_the_score():
    assert outcome([1, 0, 0, 0]).result == scoring.EXEMPLARY
    assert outcome([1, 0, 1, 0]).result == scoring.EXEMPLARY  # 95: the mark itself
    assert outcome([1, 1, 1, 0]).result == scoring.MET  # 93
    assert outcome([1, 0, 4, 0]).result == scoring.MET  # 80: the pass mark itself
    assert outcome([1, 1, 4, 0]).result == scoring.NOT_MET  # 78
    vetoed = outcome([0, 0, 0, 2], pass_mark=D(60))  # 86 points, but the veto item failed
    assert vetoed.total == D(86) and vetoed.result == scoring.NOT_MET and vetoed.vetoed_by == ("换届",)
    assert outcome([1, 0, 0, 0], exemplary=D(101)).result == scoring.MET  # marks are configurable


def test_a_checklist_whose_maximums_do_not_add_up_is_refused():
    scoring.check_template(ITEMS, total=D(100), pass_mark=D(80), exemplary_mark=D(95))
    with pytest.raises(scoring.ScoreError, match="满分合计为80分，与清单总分100分不一致"):
        scoring.check_template(ITEMS[1:], total=D(100), pass_mark=D(80), exemplary_mark=D(95))
    with pytest.raises(scoring.ScoreError, match="示范分数线（70）不能低于达标分数线（80）"):
        scoring.check_template(ITEMS, total=D(100), pass_mark=D(80), exemplary_mark=D(70))
    with pytest.raises(scoring.ScoreError, match="每次扣（加）分"):
        scoring.check_template([scoring.Item("x", "deduct", D(100), D(0))], total=D(100), pass_mark=D(80),
                               exemplary_mark=D(90))
