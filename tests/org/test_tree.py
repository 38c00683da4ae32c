"""The unit tree's materialised path: kept on create and move, a subtree in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.core.errors import ApplicationError
from yuanqu.org import services
from yuanqu.org.models import OrgUnit, path_segment


def test_a_new_unit_gets_its_parents_path_plus_its_own_id(units):
    village = units["village"]
    expected = "".join(path_segment(units[k].pk) for k in ["committee", "agri", "area", "village"])
    assert OrgUnit.objects.get(pk=village.pk).path == village.path == expected


def test_a_subtree_is_one_query_and_exact(units):
    with CaptureQueriesContext(connection) as ctx:
        found = set(OrgUnit.objects.subtree(units["agri"]).values_list("pk", flat=True))
    assert len(ctx.captured_queries) == 1
    assert found == {units["agri"].pk, units["area"].pk, units["village"].pk}
    assert set(OrgUnit.objects.subtree(units["invest"]).values_list("pk", flat=True)) == {units["invest"].pk}
    assert set(OrgUnit.objects.subtree(units["invest"], units["area"]).values_list("pk", flat=True)) == {
        units["invest"].pk, units["area"].pk, units["village"].pk}


def test_a_unit_id_that_prefixes_another_does_not_pull_it_into_the_subtree(units):
    # Paths end each id with a dot, so unit 1's subtree never matches unit 12 or 123.
    assert not any(
        u.path.startswith(units["invest"].path) for u in OrgUnit.objects.exclude(pk=units["invest"].pk)
    )


def test_moving_a_unit_rewrites_its_descendants_paths(users, units):
    with CaptureQueriesContext(connection) as ctx:
        services.orgunit_update(actor=users["admin"], unit=units["area"], data={"parent": units["invest"].pk})
    rewrites = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and "SUBSTR" in q["sql"].upper()]
    assert len(rewrites) == 1  # every descendant in one statement
    village = OrgUnit.objects.get(pk=units["village"].pk)
    assert village.path == units["committee"].path + "".join(
        path_segment(units[k].pk) for k in ["invest", "area", "village"])
    assert set(OrgUnit.objects.subtree(units["invest"]).values_list("pk", flat=True)) == {units["invest"].pk, units["area"].pk, units["village"].pk}
    assert set(OrgUnit.objects.subtree(units["agri"]).values_list("pk", flat=True)) == {units["agri"].pk}


def test_a_move_under_its_own_subtree_is_refused_in_chinese_and_nothing_changes(users, units):
    before = dict(OrgUnit.objects.values_list("pk", "path"))
    with pytest.raises(ApplicationError) as exc:
        services.orgunit_update(actor=users["admin"], unit=units["agri"], data={"parent": units["village"].pk})
    assert exc.value.message == "上级单位不能是该单位本身或其下级单位。" and exc.value.field == "parent"
    # The model refuses it too, whoever saves.
    agri = OrgUnit.objects.get(pk=units["agri"].pk)
    agri.parent = units["area"]
    with pytest.raises(ApplicationError):
        agri.save()
    assert dict(OrgUnit.objects.values_list("pk", "path")) == before


def test_saving_a_stale_instance_after_a_move_keeps_every_descendant_under_the_new_path(users, units):
    # Loaded before someone else moved its parent: its in-memory path is out of date.
    stale_area = OrgUnit.objects.get(pk=units["area"].pk)
    services.orgunit_update(actor=users["admin"], unit=units["agri"], data={"parent": units["invest"].pk})
    stale_area.order = 5
    stale_area.save()
    expected = "".join(path_segment(units[k].pk) for k in ["committee", "invest", "agri", "area", "village"])
    assert OrgUnit.objects.get(pk=units["village"].pk).path == expected
    assert OrgUnit.objects.get(pk=units["area"].pk).path == expected[: -len(path_segment(units["village"].pk))]
    # Moving the stale instance itself rewrites the descendants from the stored path, not the stale one.
    stale_village_parent = OrgUnit.objects.get(pk=units["area"].pk)
    services.orgunit_update(actor=users["admin"], unit=units["area"], data={"parent": units["committee"].pk})
    stale_village_parent.parent = units["invest"]
    stale_village_parent.save()
    assert OrgUnit.objects.get(pk=units["village"].pk).path == "".join(
        path_segment(units[k].pk) for k in ["committee", "invest", "area", "village"])
