"""What the assessment does with 目标调整: a cancelled target leaves the unit's score unless the
scheme says it still counts (as 0); a moved deadline is judged on the new deadline."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from yuanqu.assessment import services
from yuanqu.plans import adjustments
from yuanqu.plans.models import Target

from ..factories import target


def _cancel(t, users, on):
    adjustment = adjustments.adjustment_request(
        actor=users["supervisor"], target=t, kind="cancel", reason="领导批示：该村不再实施", basis="instruction",
        document=SimpleUploadedFile("批示.pdf", b"%PDF-1.4"),
    )
    adjustments.adjustment_decide(actor=users["admin"], adjustment=adjustment, action="approve")
    Target.objects.filter(pk=t.pk).update(cancelled_on=on - dt.timedelta(days=1))


def _lines(run, unit):
    result = run.results.filter(unit=unit).first()  # a unit with nothing left to score takes no part
    return {ln.description: ln for ln in result.lines.all()} if result else {}


def test_a_cancelled_target_leaves_the_score_by_default_and_counts_as_zero_when_the_scheme_says(
        scheme, plan, users, units, compute, on):
    village_target = target(plan, "三南村")
    before = _lines(compute(scheme), units["village"])
    assert village_target.title in before
    _cancel(village_target, users, on)
    assert village_target.title not in _lines(compute(scheme), units["village"])
    changed = services.scheme_save(actor=users["supervisor"], scheme=scheme,
                                   data={**services.default_scheme_data(plan.year), "cancelled_targets": "zero"})
    line = _lines(compute(changed), units["village"])[village_target.title]
    assert line.points == 0 and "经目标调整取消，按考核方案计0分" in line.explanation


def test_a_run_for_a_cut_off_before_the_cancellation_still_scores_the_target(scheme, plan, users, units, compute, on):
    village_target = target(plan, "三南村")
    _cancel(village_target, users, on)
    Target.objects.filter(pk=village_target.pk).update(cancelled_on=on + dt.timedelta(days=30))
    assert village_target.title in _lines(compute(scheme), units["village"])  # live on the cut-off
