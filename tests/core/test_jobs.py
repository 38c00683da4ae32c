"""core.jobs: a job runs once, as the person who started it, and always ends done or failed."""

import pytest

from yuanqu.core.errors import ApplicationError
from yuanqu.core.jobs import start_job
from yuanqu.core.jobs.services import run_job
from yuanqu.core.models import Job

seen = []


def handler(*, actor, params, progress):
    progress("第一步")
    seen.append((actor.pk, params, Job.objects.get(pk=params["job"]).step if "job" in params else None))
    progress("第二步")
    if params.get("refuse"):
        raise ApplicationError("条件已变化，未执行。")
    return "/done/", "完成了"


HANDLER = f"{__name__}.handler"


@pytest.fixture(autouse=True)
def clean():
    seen.clear()


def queued(user, **params) -> Job:
    return Job.objects.create(kind=HANDLER, title="测试", params=params, created_by=user, total=2)


def test_a_job_runs_once_as_its_starter_and_shows_each_step_while_it_works(users):
    job = queued(users["supervisor"])
    job.params = {"job": job.pk}
    job.save()
    run_job(job.pk)
    run_job(job.pk)  # a second delivery of the task: already done, nothing runs
    job.refresh_from_db()
    assert seen == [(users["supervisor"].pk, {"job": job.pk}, "第一步")]
    assert (job.status, job.done, job.percent, job.result_url, job.message) == (
        Job.Status.DONE, 2, 100, "/done/", "完成了")


def test_a_refusal_ends_the_job_failed_with_its_message(users):
    job = queued(users["supervisor"], refuse=True)
    run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error, job.step, job.done) == (Job.Status.FAILED, "条件已变化，未执行。", "第二步", 1)
    assert job.percent == 50 and job.finished_at


def test_a_deactivated_starter_runs_nothing(users):
    users["supervisor"].is_active = False
    users["supervisor"].save()
    job = queued(users["supervisor"])
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "账号已停用" in job.error and not seen


def test_start_job_queues_after_commit_and_the_same_waiting_work_is_one_job(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = start_job(actor=users["supervisor"], kind=HANDLER, title="测试", params={"a": 1}, steps=2,
                          back_url="/back/")
        again = start_job(actor=users["supervisor"], kind=HANDLER, title="测试", params={"a": 1}, steps=2)
        other = start_job(actor=users["admin"], kind=HANDLER, title="测试", params={"a": 1}, steps=2)
    assert again.pk == first.pk and other.pk != first.pk and first.result_url == "/back/"
    assert Job.objects.get(pk=first.pk).status == Job.Status.QUEUED and not seen
    for callback in callbacks:
        callback()
    assert set(Job.objects.values_list("status", flat=True)) == {Job.Status.DONE}
    assert len(seen) == 2


def test_a_job_working_past_any_job_s_time_is_ended_and_asking_again_starts_anew(users, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):
        lost = start_job(actor=users["supervisor"], kind=HANDLER, title="测试", params={"b": 1}, steps=2)
    Job.objects.filter(pk=lost.pk).update(status=Job.Status.RUNNING,
                                          created_at=timezone.now() - dt.timedelta(minutes=31))  # its worker died
    with django_capture_on_commit_callbacks(execute=False):
        again = start_job(actor=users["supervisor"], kind=HANDLER, title="测试", params={"b": 1}, steps=2)
    lost.refresh_from_db()
    assert again.pk != lost.pk and again.status == Job.Status.QUEUED
    assert lost.status == Job.Status.FAILED and "30分钟" in lost.error and lost.finished_at
