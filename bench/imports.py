"""Import timings at the size of a zone: 60 units and 500 users from .xlsx files.

    .venv/bin/python bench/imports.py

Builds a throwaway SQLite database (a temporary data folder) and times, with query counts:
the preview with planted mistakes, the preview and apply of the fixed files, the same files a
second time (nothing changes), and the revert of both batches.
"""

import time

from _django import start

start(YUANQU_IMPORT_INLINE_ROWS="100000")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    from tests.core.spreadsheets import xlsx
    from tests.org.zone_sheets import unit_rows, user_rows, with_mistakes

    from yuanqu.core.imports.services import import_apply, import_preview, import_revert
    from yuanqu.org.models import RoleAssignment, User

    admin = User.objects.create_user("bench-admin")
    RoleAssignment.objects.create(user=admin, role="admin")
    bad_units, bad_users, _ = with_mistakes(unit_rows(), user_rows())
    files = {name: xlsx(rows) for name, rows in [
        ("units-bad", bad_units), ("users-bad", bad_users), ("units", unit_rows()), ("users", user_rows())]}
    batches = {}

    def step(label, action):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = action()
            took = time.perf_counter() - start
        print(f"{label:<34} {took * 1000:8.0f} ms {len(queries):6d} queries  {result}")

    def preview(name, key):
        batch = import_preview(actor=admin, importer_key=key, file_name=f"{name}.xlsx", data=files[name])
        batches[name] = batch
        return f"{batch.error_count} errors, {batch.created_count} new, {batch.updated_count} changed"

    def apply(name):
        batch = import_apply(actor=admin, batch=batches[name])
        batches[name] = batch
        return f"{batch.status}: {batch.created_count} new, {batch.updated_count} changed, {batch.unchanged_count} same"

    print("60 units, 500 users")
    step("preview units (2 mistakes)", lambda: preview("units-bad", "org.units"))
    step("preview units", lambda: preview("units", "org.units"))
    step("apply units", lambda: apply("units"))
    step("preview users (4 mistakes)", lambda: preview("users-bad", "org.users"))
    step("preview users", lambda: preview("users", "org.users"))
    step("apply users", lambda: apply("users"))
    first = dict(batches)
    step("preview + apply users again", lambda: (preview("users", "org.users"), apply("users"))[1])
    step("preview + apply units again", lambda: (preview("units", "org.units"), apply("units"))[1])
    step("revert users", lambda: import_revert(actor=admin, batch=first["users"]).status)
    step("revert units", lambda: import_revert(actor=admin, batch=first["units"]).status)


if __name__ == "__main__":
    main()
