"""The administrator's first day at full size: 60 units and 500 users from spreadsheets."""

from yuanqu.core.imports.services import import_apply, import_preview, import_revert
from yuanqu.core.models import ChangeRecord, ImportBatch
from yuanqu.org.models import OrgUnit, User

from ..core.spreadsheets import xlsx
from ..factories import make_user
from .zone_sheets import unit_rows, user_rows, with_mistakes


def _preview(admin, key, rows):
    return import_preview(actor=admin, importer_key=key, file_name=f"{key}.xlsx", data=xlsx(rows))


def test_sixty_units_and_five_hundred_users(db, settings):
    settings.YUANQU_IMPORT_INLINE_ROWS = 1000
    admin = make_user("root", "admin")
    bad_units, bad_users, expected = with_mistakes(unit_rows(), user_rows())

    units_preview = _preview(admin, "org.units", bad_units)
    for message in expected[:2]:
        assert any(e.startswith(message) for e in units_preview.errors), (message, units_preview.errors)
    assert units_preview.error_count == 3  # the duplicate is named on both rows
    units = import_apply(actor=admin, batch=_preview(admin, "org.units", unit_rows()))
    assert (units.status, units.created_count) == ("applied", 60)
    assert OrgUnit.objects.get(name="1区1村").parent.name == "第1片区"

    users_preview = _preview(admin, "org.users", bad_users)
    for message in expected[2:]:
        assert any(e.startswith(message) for e in users_preview.errors), (message, users_preview.errors)
    assert users_preview.error_count == 5
    assert User.objects.count() == 1
    users = import_apply(actor=admin, batch=_preview(admin, "org.users", user_rows()))
    assert (users.status, users.created_count) == ("applied", 500)
    assert ChangeRecord.objects.filter(batch=users.uuid).count() == 500

    records = ChangeRecord.objects.count()
    again = import_apply(actor=admin, batch=_preview(admin, "org.users", user_rows()))
    again_units = import_apply(actor=admin, batch=_preview(admin, "org.units", unit_rows()))
    assert (again.unchanged_count, again.created_count, again.updated_count) == (500, 0, 0)
    assert again_units.unchanged_count == 60 and ChangeRecord.objects.count() == records

    import_revert(actor=admin, batch=ImportBatch.objects.get(pk=users.pk))
    assert User.objects.filter(is_active=True).count() == 1
    import_revert(actor=admin, batch=ImportBatch.objects.get(pk=units.pk))
    # Units people still belong to are deactivated, the others deleted.
    assert not OrgUnit.objects.filter(is_active=True).exists()
    # Its time is a benchmark's figure (bench/imports.py, `make bench`), not a test's: a shared CI
    # machine is no clock.
