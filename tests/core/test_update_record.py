"""core.services.update_record: the one update every register's services use."""

import pytest

from yuanqu.core.errors import ConflictError
from yuanqu.core.history import history_for
from yuanqu.core.models import ChangeRecord
from yuanqu.plans import services
from yuanqu.plans.models import Plan, Target

from ..factories import target


@pytest.fixture
def plan(plan):
    """The register's edits are a draft's: an active plan's targets change through adjustments."""
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)
    plan.status = Plan.Status.DRAFT
    return plan


def updates(obj):
    return list(history_for(obj).filter(action=ChangeRecord.Action.UPDATE))


def test_history_names_only_the_changed_fields_and_the_version_moves_once(plan, users):
    t = target(plan, "招引项目")
    services.target_update(actor=users["supervisor"], target=t, data={"title": "招引项目120个", "unit": t.unit})
    t.refresh_from_db()
    assert t.version == 2
    [record] = updates(t)
    assert record.before == {"title": "招引项目100个"} and record.after == {"title": "招引项目120个"}


def test_nothing_changed_writes_nothing(plan, users):
    t = target(plan, "招引项目")
    before = Target.objects.values("updated_at", "version").get(pk=t.pk)
    services.target_update(actor=users["supervisor"], target=t, data={"title": t.title, "weight": "1"},
                           expected_version=1)
    assert Target.objects.values("updated_at", "version").get(pk=t.pk) == before
    assert updates(t) == []


def test_a_many_to_many_change_alone_is_an_update(plan, users, units):
    t = target(plan, "招引项目")
    services.target_update(actor=users["supervisor"], target=t, data={"cooperating_units": [units["agri"].pk]})
    [record] = updates(t)
    assert record.before == {"cooperating_units": []} and record.after == {"cooperating_units": [units["agri"].pk]}
    assert list(t.cooperating_units.values_list("pk", flat=True)) == [units["agri"].pk]
    t.refresh_from_db()
    assert t.version == 2


def test_a_stale_version_is_refused_before_anything_is_applied(plan, users):
    t = target(plan, "招引项目")
    services.target_update(actor=users["supervisor"], target=t, data={"title": "第一次修改"})
    with pytest.raises(ConflictError, match="第2版"):
        services.target_update(actor=users["supervisor"], target=t, data={"title": "第二次修改"},
                               expected_version=1)
    t.refresh_from_db()
    assert (t.title, t.version, len(updates(t))) == ("第一次修改", 2, 1)
