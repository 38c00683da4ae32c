"""Pure rules of the Party register (no Django models): the thresholds that decide which form an
organisation should have, the warnings when its membership or term no longer fits, and the term.

Thresholds are data (《中国共产党支部工作条例（试行）》 and 两新 practice, domain.md §6); the zone may
change them in settings (YUANQU_PARTY_THRESHOLDS = {"joint_max_units": 6, ...}) without code.
The 3 and 7 thresholds count full members (正式党员), the 50 and 100 thresholds all members.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

BRANCH, GENERAL, COMMITTEE, JOINT = "branch", "general", "committee", "joint"


@dataclass(frozen=True)
class Thresholds:
    branch_min_full: int = 3  # 正式党员3人以上成立党支部; fewer: a joint branch
    committee_min_full: int = 7  # 正式党员7人以上设支部委员会
    committee_min: int = 3  # the committee has 3–5 members …
    committee_max: int = 7  # … and at most 7
    general_min: int = 50  # 党员50人以上可成立党总支; a branch normally has at most 50
    primary_min: int = 100  # 党员100人以上可设立基层党委
    joint_max_units: int = 5  # a joint branch covers at most 5 units
    term_years_village: int = 5  # village and community organisations
    term_years_other: int = 3
    term_due_days: int = 90  # warn this many days before the term ends


DEFAULT = Thresholds()


def thresholds() -> Thresholds:
    from django.conf import settings

    return replace(DEFAULT, **getattr(settings, "YUANQU_PARTY_THRESHOLDS", {}))


@dataclass(frozen=True)
class Warning:
    code: str
    text: str


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def form_warnings(*, form: str, full: int, probationary: int, committee: int, covered_units: int,
                  t: Thresholds = DEFAULT) -> list[Warning]:
    """What no longer fits between the organisation's form and its membership."""
    total = full + probationary
    out = []
    if form == BRANCH and full < t.branch_min_full:
        out.append(Warning("too_few", f"正式党员{full}名，不足{t.branch_min_full}名，应与其他单位联合组建党支部。"))
    if form == JOINT and covered_units > t.joint_max_units:
        out.append(Warning("joint_too_wide", f"联合党支部覆盖{covered_units}个单位，超过{t.joint_max_units}个。"))
    if form in (BRANCH, JOINT) and full >= t.committee_min_full and committee < t.committee_min:
        out.append(Warning("needs_committee", f"正式党员{full}名（{t.committee_min_full}名以上），应设立支部委员会"
                                              f"（{t.committee_min}–5人），现有委员{committee}名。"))
    if committee > t.committee_max:
        out.append(Warning("committee_too_big", f"委员{committee}名，超过{t.committee_max}名。"))
    if form in (BRANCH, JOINT) and total >= t.primary_min:
        out.append(Warning("to_committee", f"党员{total}名（{t.primary_min}名以上），可设立基层党委。"))
    elif form in (BRANCH, JOINT) and total >= t.general_min:
        out.append(Warning("to_general", f"党员{total}名（{t.general_min}名以上），应考虑成立党总支。"))
    if form == GENERAL and total >= t.primary_min:
        out.append(Warning("to_committee", f"党员{total}名（{t.primary_min}名以上），可设立基层党委。"))
    if form == GENERAL and total < t.general_min:
        out.append(Warning("general_too_small", f"党员{total}名，不足{t.general_min}名，设党总支须经上级党组织批准。"))
    if form == COMMITTEE and total < t.primary_min:
        out.append(Warning("committee_too_small", f"党员{total}名，不足{t.primary_min}名，设基层党委须经上级党组织批准。"))
    return out


def term_warnings(*, term_end: dt.date | None, on: dt.date, t: Thresholds = DEFAULT) -> list[Warning]:
    if term_end is None:
        return [Warning("no_term", "未登记任期。")]
    if term_end < on:
        return [Warning("term_over", f"任期已于{term_end:%Y年%m月%d日}届满，应及时换届。")]
    if (term_end - on).days <= t.term_due_days:
        return [Warning("term_due", f"任期将于{term_end:%Y年%m月%d日}届满，请做好换届准备。")]
    return []
