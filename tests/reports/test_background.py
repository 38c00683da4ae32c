"""A large plan's bulletin is made by the background worker: the POST answers at once with a
progress page, the job checks the rights again when it runs, and ends on the draft or on a reason
in Chinese. Small plans are generated inside the request as before."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yuanqu.core.jobs.services import INTERNAL_ERROR
from yuanqu.core.models import Job
from yuanqu.org.models import RoleAssignment
from yuanqu.plans.models import Plan
from yuanqu.reports.bulletin import DATA_STEPS
from yuanqu.reports.models import Bulletin
from yuanqu.reports.services import SAVE_STEP, bulletin_generate

from .conftest import FILED_ON, JUNE

GENERATE = reverse("reports:bulletin_generate")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def large(settings):
    """june_plan's six targets count as a large plan."""
    settings.YUANQU_BULLETIN_BACKGROUND_TARGETS = 6


def queue(client, user, plan, django_capture_on_commit_callbacks):
    """POST the form as `user`; the job is queued, its task waits for the request's commit."""
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(GENERATE, {"plan": plan.pk, "month": "6"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job", args=[job.pk])
    return job, callbacks


def run(callbacks):
    for callback in callbacks:  # the request's transaction commits: the task is enqueued and runs
        callback()


def test_a_small_plan_is_still_generated_inside_the_request(client, users, june_plan):
    client.force_login(users["supervisor"])
    response = client.post(GENERATE, {"plan": june_plan.pk, "month": "6"})
    bulletin = Bulletin.objects.get()
    assert response["Location"] == reverse("reports:bulletin_edit", args=[bulletin.pk])
    assert not Job.objects.exists()


def test_a_large_plan_answers_at_once_and_the_page_follows_the_worker_to_the_draft(
        client, users, june_plan, large, django_capture_on_commit_callbacks):
    job, callbacks = queue(client, users["supervisor"], june_plan, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.QUEUED and not Bulletin.objects.exists()
    page = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert "生成2025年6月督查通报" in page and "排队" in page
    status_url = reverse("jobs:job_status", args=[job.pk])
    assert f'hx-get="{status_url}"' in page and "<script>" not in page
    status = client.get(status_url, headers=HTMX)
    assert 'hx-trigger="every 1s"' in status.content.decode() and "HX-Refresh" not in status

    run(callbacks)
    job.refresh_from_db()
    bulletin = Bulletin.objects.get()
    assert job.status == Job.Status.DONE and job.done == job.total == len(DATA_STEPS) + 1 and job.task_id
    assert (bulletin.month, bulletin.version, bulletin.created_by) == (JUNE, 1, users["supervisor"])
    status = client.get(status_url, headers=HTMX)
    assert status["HX-Refresh"] == "true" and "every 1s" not in status.content.decode()
    done = client.get(reverse("jobs:job", args=[job.pk]), follow=True)
    assert done.redirect_chain[-1][0] == reverse("reports:bulletin_edit", args=[bulletin.pk])
    assert "已生成2025年6月督查通报 第1版" in done.content.decode()


def test_the_steps_are_reported_as_they_start(june_plan, users):
    steps = []
    bulletin_generate(actor=users["supervisor"], plan=june_plan, month=JUNE, today=FILED_ON, progress=steps.append)
    assert steps == [*DATA_STEPS, SAVE_STEP]


def test_a_second_request_while_the_first_waits_is_the_same_job_and_one_version(
        client, users, june_plan, large, django_capture_on_commit_callbacks):
    job, callbacks = queue(client, users["supervisor"], june_plan, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False) as again:
        response = client.post(GENERATE, {"plan": june_plan.pk, "month": "6"})
    assert response["Location"] == reverse("jobs:job", args=[job.pk]) and Job.objects.count() == 1
    run([*callbacks, *again])
    assert Bulletin.objects.get().version == 1
    # Asked again once it is done: a new job and a second version, as in the request.
    job2, callbacks = queue_more(client, june_plan, django_capture_on_commit_callbacks)
    run(callbacks)
    assert job2.pk != job.pk and sorted(Bulletin.objects.values_list("version", flat=True)) == [1, 2]


@pytest.mark.parametrize("role,code", [("admin", 404), ("leader", 404), ("invest", 404)])
def test_only_whoever_started_a_job_sees_its_progress(client, users, june_plan, large, role, code,
                                                      django_capture_on_commit_callbacks):
    job, _ = queue(client, users["supervisor"], june_plan, django_capture_on_commit_callbacks)
    client.force_login(users[role])
    assert client.get(reverse("jobs:job", args=[job.pk])).status_code == code
    assert client.get(reverse("jobs:job_status", args=[job.pk]), headers=HTMX).status_code == code
    client.logout()
    assert "login" in client.get(reverse("jobs:job", args=[job.pk]))["Location"]


def test_the_job_checks_the_rights_again_when_it_runs(client, users, june_plan, large,
                                                      django_capture_on_commit_callbacks):
    job, callbacks = queue(client, users["supervisor"], june_plan, django_capture_on_commit_callbacks)
    RoleAssignment.objects.filter(user=users["supervisor"]).delete()  # no longer 督查室 when the worker runs
    run(callbacks)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "只有督查室或系统管理员可以生成督查通报" in job.error
    assert not Bulletin.objects.exists()


def test_a_refusal_found_by_the_worker_is_shown_in_chinese(client, users, june_plan, large,
                                                           django_capture_on_commit_callbacks):
    job, callbacks = queue(client, users["supervisor"], june_plan, django_capture_on_commit_callbacks)
    Plan.objects.filter(pk=june_plan.pk).update(status=Plan.Status.DRAFT)
    run(callbacks)
    page = client.get(reverse("jobs:job", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "未能完成：计划尚未启用，无法生成通报。" in html
    assert f'href="{GENERATE}"' in html and "every 1s" not in html and not Bulletin.objects.exists()


def test_an_internal_error_is_a_message_not_a_traceback_and_writes_nothing(
        client, users, june_plan, large, monkeypatch, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise RuntimeError("database exploded at line 42")

    job, callbacks = queue(client, users["supervisor"], june_plan, django_capture_on_commit_callbacks)
    monkeypatch.setattr("yuanqu.reports.services.summary_counts", broken)  # after the figures, before saving
    run(callbacks)  # the task fails (the worker logs the traceback); the job says so
    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, INTERNAL_ERROR) and job.finished_at
    html = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert INTERNAL_ERROR in html and "exploded" not in html and "Traceback" not in html
    assert not Bulletin.objects.exists()


def test_the_progress_poll_reads_the_same_whatever_the_jobs(client, users, june_plan, large,
                                                            django_capture_on_commit_callbacks):
    job, callbacks = queue(client, users["supervisor"], june_plan, django_capture_on_commit_callbacks)
    url = reverse("jobs:job_status", args=[job.pk])
    client.get(url, headers=HTMX)
    with CaptureQueriesContext(connection) as waiting:
        client.get(url, headers=HTMX)
    run(callbacks)
    for _ in range(3):  # more jobs, more versions
        again, more = queue_more(client, june_plan, django_capture_on_commit_callbacks)
        run(more)
    with CaptureQueriesContext(connection) as done:
        client.get(url, headers=HTMX)
    assert len(done) == len(waiting)


def queue_more(client, plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(GENERATE, {"plan": plan.pk, "month": "6"})
    return Job.objects.order_by("-pk").first(), callbacks


def test_the_database_queue_and_its_worker_make_the_bulletin(client, users, june_plan, large, settings,
                                                             monkeypatch, django_capture_on_commit_callbacks):
    # The worker closes "old" connections on waking, which inside the test's transaction means ours.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(users["supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(GENERATE, {"plan": june_plan.pk, "month": "6"})
    assert Job.objects.get().status == Job.Status.QUEUED and not Bulletin.objects.exists()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert Job.objects.get().status == Job.Status.DONE and Bulletin.objects.get().version == 1
