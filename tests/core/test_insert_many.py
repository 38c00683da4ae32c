"""core.models.insert_many: one executemany for rows nobody refers to by id (events, change
records, figures), filled as save() would fill them."""

import datetime as dt
from decimal import Decimal

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


# ---------------------------------------------------------------- the same values as bulk_create


def _leads(users, units, tag: str) -> list:
    from yuanqu.investment.models import AttractionMode, Currency, Lead, Stage

    mode = AttractionMode.objects.create(name=f"方式{tag}")
    return [
        Lead(name=f"{tag}全填", investor="某集团", industry="船舶海工", amount_text="2.5亿元",
             amount=Decimal("25000.1234"), currency=Currency.USD, amount_approximate=True, mode=mode,
             source_province="江苏省", source_city="苏州市", unit=units["invest"], owner=users["invest"],
             stage=Stage.NEGOTIATE, termination_reason="", next_action="拜访", next_action_on=dt.date(2026, 10, 1),
             note="多行\n备注", created_by=users["admin"], is_demo=True, version=3),
        # Blanks, None, defaults (enum members), a date given as text, a foreign key given by id.
        Lead(name=f"{tag}留空", investor="某公司", unit_id=units["agri"].pk, next_action_on="2026-02-03"),
        Lead(name=f"{tag}零", investor="", amount=Decimal("0"), version=0, unit=units["invest"], owner=None),
    ]


def _stored(model, names) -> list[dict]:
    skip = {"id", "created_at", "updated_at"}
    fields = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
    return [{k: v for k, v in row.items() if k != "name"}
            for row in model.objects.filter(name__in=names).order_by("name").values("name", *fields)]


def test_insert_many_writes_what_bulk_create_writes_and_reads_the_ids_back(users, units):
    from yuanqu.investment.models import Lead

    by_bulk = Lead.objects.bulk_create(_leads(users, units, "甲"))
    by_ids = _leads(users, units, "乙")
    assert insert_many(by_ids, ids=True) == 3
    plain = _leads(users, units, "丙")
    assert insert_many(plain) == 3
    assert all(lead.pk and not lead._state.adding and lead._state.db == "default" for lead in by_ids)
    assert [Lead.objects.get(pk=lead.pk).name for lead in by_ids] == [lead.name for lead in by_ids]
    reference = _stored(Lead, [lead.name for lead in by_bulk])
    # 'mode' differs (one per tag): compare the rest, and the mode by name.
    for rows in (_stored(Lead, [lead.name for lead in by_ids]), _stored(Lead, [lead.name for lead in plain])):
        assert [{k: v for k, v in r.items() if k != "mode_id"} for r in rows] == \
            [{k: v for k, v in r.items() if k != "mode_id"} for r in reference]
    stored = Lead.objects.get(pk=by_ids[0].pk)
    assert (stored.amount, stored.next_action_on, stored.mode.name, stored.created_at is not None) == (
        Decimal("25000.1234"), dt.date(2026, 10, 1), "方式乙", True)
    assert Lead.objects.get(pk=by_ids[1].pk).next_action_on == dt.date(2026, 2, 3)


def test_insert_many_writes_json_uuids_and_times_as_bulk_create(users):
    import uuid

    batch = uuid.uuid4()

    def records(tag):
        return [ChangeRecord(actor=users["admin"] if i else None, action=ChangeRecord.Action.IMPORT, object_id=i,
                             content_type=ContentType.objects.get_for_model(OrgUnit), object_repr=f"{tag}{i}",
                             before=None if i else {"a": [1, "二"]}, after={"金额": Decimal("1.50"), "日": dt.date(2026, 1, 2),
                                                                       "时": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)},
                             batch=batch if i else None) for i in range(2)]

    ChangeRecord.objects.bulk_create(records("甲"))
    insert_many(records("乙"))
    rows = {tag: list(ChangeRecord.objects.filter(object_repr__startswith=tag).order_by("object_repr").values(
        "actor_id", "action", "object_id", "before", "after", "batch", "note")) for tag in "甲乙"}
    assert rows["甲"] == rows["乙"] and rows["乙"][1]["batch"] == batch
    assert rows["乙"][0]["after"] == {"金额": "1.50", "日": "2026-01-02", "时": "2026-01-02T03:04:05Z"}
    assert all(r.time is not None for r in ChangeRecord.objects.filter(object_repr__startswith="乙"))


def test_the_values_passed_as_they_are_equal_what_django_would_prepare(db):
    """Every model's every field that insert_many fills without get_db_prep_save: for the values
    it takes as they are, the same value (and type: psycopg wraps integers) as Django's own."""
    from django.apps import apps
    from django.db import connection

    from yuanqu.core.models import _insert_plan
    from yuanqu.investment.models import Stage

    samples = {str: ["", "文字", " 空格 ", Stage.INFO], int: [0, 7, 2**40], bool: [True, False]}
    checked = 0
    for model in apps.get_models():
        _fields, steps, _relations, _generic = _insert_plan(model, "default")
        for field, _attname, _plain, as_is, adapt, text in steps:
            for kind in [*as_is, *([str] if text else [])]:
                for value in [None, *samples[kind]]:
                    if kind is int and value is not None and value > 2**31 and field.get_internal_type() in (
                            "IntegerField", "PositiveIntegerField", "AutoField"):
                        continue
                    ours = value if value is None or adapt is None else adapt(connection.ops, value)
                    theirs = field.get_db_prep_save(value, connection)
                    assert ours == theirs and type(ours) is type(theirs), (model, field, value)
                    checked += 1
    assert checked > 1000


def test_an_unsaved_related_object_is_refused_when_reading_ids_back_too(users):
    from yuanqu.org.models import RoleAssignment

    unsaved = OrgUnit(name="未保存单位二", kind=OrgUnit.Kind.DEPARTMENT)
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_many([RoleAssignment(user=users["admin"], role="reporter", unit=unsaved)], ids=True)
