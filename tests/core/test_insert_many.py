"""core.models.insert_many: one executemany for rows nobody refers to by id (events, change
records, figures), filled as save() would fill them."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from yuanqu.core.models import ChangeRecord, insert_many
from yuanqu.org.models import OrgUnit


def test_rows_are_written_with_their_times_json_and_the_ids_of_objects_saved_since(users):
    unit = OrgUnit(name="新单位", kind=OrgUnit.Kind.DEPARTMENT)
    records = [ChangeRecord(actor=users["admin"], action=ChangeRecord.Action.CREATE, object_id=0,
                            content_type=ContentType.objects.get_for_model(OrgUnit), object_repr=f"记录{i}",
                            after={"金额": "1.5", "日期": dt.date(2026, 9, 1)}) for i in range(3)]
    unit.save()
    for record in records:
        record.object_id = unit.pk
    assert insert_many(records) == 3 and insert_many([]) == 0
    saved = list(ChangeRecord.objects.filter(object_repr__startswith="记录").order_by("object_repr"))
    assert [r.object_repr for r in saved] == ["记录0", "记录1", "记录2"]
    assert all(r.time is not None and r.actor == users["admin"] and r.object_id == unit.pk for r in saved)
    assert saved[0].after == {"金额": "1.5", "日期": "2026-09-01"}


def test_an_unsaved_related_object_is_refused_before_anything_is_written(users):
    from yuanqu.org.models import RoleAssignment
    unsaved = OrgUnit(name="未保存单位", kind=OrgUnit.Kind.DEPARTMENT)
    before = RoleAssignment.objects.count()
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_many([RoleAssignment(user=users["admin"], role="reporter", unit=unsaved)])
    assert RoleAssignment.objects.count() == before


def test_an_object_saved_after_it_was_set_gives_its_id_and_repeated_values_stay_per_row(users):
    """The import's case: events set on leads that bulk_create saves later. Values repeated across
    rows are converted once per field; a value equal to another of another type is not mixed up."""
    from yuanqu.org.models import RoleAssignment
    units = [OrgUnit(name=f"后保存单位{i}", kind=OrgUnit.Kind.DEPARTMENT) for i in range(2)]
    people = [users["admin"], users["invest"]]
    rows = [RoleAssignment(user=people[i // 2], role="reporter", unit=units[i % 2]) for i in range(4)]
    OrgUnit.objects.bulk_create(units)
    assert insert_many(rows) == 4
    saved = RoleAssignment.objects.filter(unit__in=units).order_by("unit__name", "user_id")
    assert [(r.user_id, r.unit.name) for r in saved] == [
        (people[0].pk, "后保存单位0"), (people[1].pk, "后保存单位0"),
        (people[0].pk, "后保存单位1"), (people[1].pk, "后保存单位1")]
    ct = ContentType.objects.get_for_model(OrgUnit)
    records = [ChangeRecord(action="update", content_type=ct, object_id=units[0].pk, object_repr=repr_,
                            note=note) for repr_, note in [("1", "1"), ("1", ""), ("True", "是")]]
    insert_many(records)
    stored = ChangeRecord.objects.filter(object_id=units[0].pk, content_type=ct).order_by("id")
    assert [(r.object_repr, r.note) for r in stored] == [("1", "1"), ("1", ""), ("True", "是")]
