"""The scope base: declarations on the model drive visible_to; counts and annotations stay right."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from yuanqu.org import roles
from yuanqu.plans.models import Plan, ProgressReport, Section, Target

from ..factories import make_target, make_user, target


def test_assisting_units_match_through_a_subquery_so_counts_and_annotations_stay_right(users, units, plan):
    # A target led by the village and assisted by two units of 农业农村局's subtree: one row, not three.
    t = target(plan, "三南村")
    t.cooperating_units.add(units["agri"], units["area"])
    for month in (1, 2):
        ProgressReport.objects.create(target=t, period=dt.date(plan.year, month, 1), version=1, value=Decimal("1"),
                                      submitted_by=users["village"])
    qs = Target.objects.visible_to(users["agri"])
    assert "DISTINCT" not in str(qs.query).upper()
    assert qs.count() == len(list(qs)) == 3
    assert qs.annotate(n=Count("reports")).get(pk=t.pk).n == 2


def test_a_reporter_for_two_units_sees_both_units_targets_and_no_other(users, units, plan):
    user = make_user("two", roles.REPORTER, units["invest"], also=[(roles.REPORTER, units["village"])])
    seen = set(Target.objects.visible_to(user).values_list("title", flat=True))
    assert seen == {"招引项目100个", "农民收入提升10%以上", "三南村创建成省级水美乡村"}
    assert set(Target.objects.reportable_by(user).values_list("title", flat=True)) == seen


def test_a_leader_who_also_reports_reads_everything_but_reports_only_for_the_unit(users, units, plan):
    user = make_user("both", roles.LEADER, None, also=[(roles.REPORTER, units["invest"])])
    assert Target.objects.visible_to(user).count() == Target.objects.count()
    assert set(Target.objects.reportable_by(user).values_list("title", flat=True)) == {
        "招引项目100个", "农民收入提升10%以上"}


def test_reporters_never_see_drafts_and_reports_follow_their_target(users, units, plan):
    draft = Plan.objects.create(year=plan.year + 1, title="草稿", source_text="一、招商。")
    t = make_target(draft, Section.objects.create(plan=draft, no="一", title="招商"), units["invest"], "草稿目标")
    report = ProgressReport.objects.create(target=t, period=dt.date(plan.year, 1, 1), version=1, value=Decimal("1"),
                                           submitted_by=users["supervisor"])
    assert not Plan.objects.visible_to(users["invest"]).filter(pk=draft.pk).exists()
    assert not Plan.objects.visible_to(users["nounit"]).filter(pk=draft.pk).exists()
    assert Plan.objects.visible_to(users["nounit"]).filter(pk=plan.pk).exists()
    assert not ProgressReport.objects.visible_to(users["invest"]).filter(pk=report.pk).exists()
    assert ProgressReport.objects.visible_to(users["leader"]).filter(pk=report.pk).exists()


def test_the_users_units_are_resolved_once_and_go_into_the_sql_as_a_subquery(users, plan):
    user = users["agri"]
    user.forget_assignments()
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            list(Target.objects.visible_to(user))
            list(ProgressReport.objects.visible_to(user))
    assert len(ctx.captured_queries) == 1 + 6  # the assignments once, then one query per list


def test_a_reader_of_every_parent_gets_a_join_not_a_list_of_every_parent(users, units, plan):
    """`via` scope for one who reads every parent: the children of the alive parents, through a join
    (SQLite would list every parent's id on each query); the rows are the same as through the list."""
    kept, gone = target(plan, "招引项目"), target(plan, "三南村")
    for t in (kept, gone):
        ProgressReport.objects.create(target=t, period=dt.date(plan.year, 1, 1), version=1, value=Decimal("1"),
                                      submitted_by=users["supervisor"])
    Target.objects.filter(pk=gone.pk).update(deleted_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC))
    for name in ("supervisor", "leader"):
        qs = ProgressReport.objects.visible_to(users[name])
        assert "IN (SELECT" not in str(qs.query)
        listed = ProgressReport.objects.filter(target__in=Target.objects.visible_to(users[name]).values("pk"))
        assert set(qs.values_list("pk", flat=True)) == set(listed.values_list("pk", flat=True))
        assert set(qs.values_list("target_id", flat=True)) == {kept.pk}
    # A reader of some parents only still goes through their list.
    assert "IN (SELECT" in str(ProgressReport.objects.visible_to(users["invest"]).query)
