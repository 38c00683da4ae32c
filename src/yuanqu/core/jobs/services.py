"""Queue a Job, run it on the worker, keep its progress where the progress page reads it.

A job's handler is a function `handler(*, actor, params, progress) -> (url, message)`: it runs
later, as `actor`, so it checks the actor's rights and scope itself (they may have changed since
the request). `progress(label)` starts the next of the job's declared steps; each is written at
once, outside the handler's transactions, so the page sees it while the work goes on.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from yuanqu.core.errors import ApplicationError
from yuanqu.core.models import Job

Status = Job.Status
STALE_AFTER = dt.timedelta(minutes=30)
STALE_ERROR = "任务超过30分钟仍未完成（后台进程可能已中断），已视为失败。请重新发起。"
INTERNAL_ERROR = "后台任务执行时发生内部错误，未保存任何结果。请稍后重试；如仍失败，请联系系统管理员。"


def start_job(*, actor, kind: str, title: str, params: dict, steps: int, back_url: str = "") -> Job:
    """Queue `kind` (the handler's dotted path) for `actor`; the worker starts it once the
    caller's transaction commits. `back_url` is where the page offers to go back if it fails. The same work already waiting or running for the same person
    is that job, not a second one (a double click does the work once)."""
    working = Job.objects.filter(kind=kind, created_by=actor, params=params, status__in=[Status.QUEUED, Status.RUNNING])
    # A job working for longer than any job takes lost its worker (killed, restarted) or its queue
    # entry: it is ended as failed, so asking again starts the work again instead of waiting on it.
    stale = timezone.now() - STALE_AFTER
    working.filter(created_at__lt=stale).update(status=Status.FAILED, error=STALE_ERROR, finished_at=timezone.now())
    running = working.filter(created_at__gte=stale).order_by("pk").first()
    if running is not None:
        return running
    job = Job.objects.create(kind=kind, title=title[:200], params=params, created_by=actor, total=steps,
                             result_url=back_url[:300])
    from .tasks import run_job_task

    def enqueue():
        result = run_job_task.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)
    return job


class Progress:
    """What a handler calls at the start of each step: the page shows the label and the share done."""

    def __init__(self, job: Job):
        self.job = job
        self.started = 0

    def __call__(self, label: str) -> None:
        Job.objects.filter(pk=self.job.pk).update(step=label[:200], done=min(self.started, self.job.total))
        self.started += 1


def run_job(job_id: int) -> None:
    """Run a queued job once; whatever happens it ends DONE or FAILED (with a Chinese reason),
    never stuck as running. An unexpected error is re-raised so the worker logs its traceback;
    the person sees only the message."""
    job = Job.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or not Job.objects.filter(pk=job_id, status=Status.QUEUED).update(status=Status.RUNNING):
        return  # gone, or already taken by another worker
    try:
        actor = job.created_by
        if not actor.is_active:
            raise ApplicationError("发起人的账号已停用，任务未执行。")
        handler = import_string(job.kind)
        url, message = handler(actor=actor, params=job.params, progress=Progress(job))
    except Exception as exc:
        error = exc.message if isinstance(exc, ApplicationError) else INTERNAL_ERROR
        Job.objects.filter(pk=job.pk).update(status=Status.FAILED, error=error, finished_at=timezone.now())
        if not isinstance(exc, ApplicationError):
            raise
        return
    Job.objects.filter(pk=job.pk).update(status=Status.DONE, done=job.total, result_url=url[:300],
                                         message=message[:300], finished_at=timezone.now())
