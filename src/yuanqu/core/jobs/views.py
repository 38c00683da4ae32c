"""A job's progress page and the fragment it polls; only the person who started the job sees them
(anyone else gets 404, as if it did not exist)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from yuanqu.core.models import Job

FIELDS = ("pk", "title", "status", "step", "done", "total", "result_url", "message", "error")


def _own_job(request, pk: int) -> Job:
    return get_object_or_404(Job.objects.only(*FIELDS), pk=pk, created_by=request.user)


@login_required
def job_detail(request, pk: int):
    """While the job works: its progress. Done: on to its result. Failed: why, in Chinese."""
    job = _own_job(request, pk)
    if job.status == Job.Status.DONE and job.result_url:
        if job.message:
            messages.success(request, job.message)
        return redirect(job.result_url)
    return render(request, "core/jobs/job.html", {"job": job})


@login_required
def job_status(request, pk: int):
    """The fragment htmx polls; once the job is over the page reloads (to the result, or the reason)."""
    job = _own_job(request, pk)
    response = render(request, "core/jobs/_status.html", {"job": job})
    if not job.is_working and request.htmx:
        response["HX-Refresh"] = "true"
    return response
