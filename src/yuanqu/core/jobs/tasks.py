"""The background task behind every Job (django-tasks; `yuanqu db_worker` runs it)."""

from django_tasks import task


@task()
def run_job_task(job_id: int) -> None:
    from .services import run_job

    run_job(job_id)
