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
