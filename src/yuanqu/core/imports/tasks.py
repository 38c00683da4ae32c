"""The background job of a long import (django-tasks; `yuanqu db_worker` runs it)."""

from django_tasks import task


@task()
def run_import_task(batch_id: int, actor_id: int) -> None:
    from .services import run_import

    run_import(batch_id, actor_id)


@task()
def run_revert_task(batch_id: int, actor_id: int) -> None:
    from .services import run_revert

    run_revert(batch_id, actor_id)
