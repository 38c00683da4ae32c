"""Monthly returns (versioned, cumulative figures that add up, photos, late ones flagged) and the
problem list (raised to a 督办单 linked both ways; solved, also when its 督办单 is 办结)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.projects import selectors, services
from yuanqu.projects.models import MonthlyReturn, Problem, ProblemCategory, Stage
from yuanqu.supervision import services as supervision
from yuanqu.supervision.models import SupervisionItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(make_project):
    return make_project(reached={Stage.SIGNED: dt.date(2026, 1, 5)})


def file_return(project, month, in_month, total, actor=None, **extra):
    return services.return_submit(actor=actor, project=project, data={
        "month": month, "completed_month": in_month, "completed_total": total, "progress": "主体施工", **extra})


def test_a_correction_is_a_new_version_and_the_first_one_stays(project):
    first = file_return(project, "2026-07", "2", "2")
    second = file_return(project, "2026-07", "2.5", "2.5")
    assert (first.version, second.version) == (1, 2)
    assert MonthlyReturn.objects.get(pk=first.pk).completed_month == Decimal("2")
    assert services.current_returns(project)[dt.date(2026, 7, 1)].pk == second.pk
    shown = selectors.returns_of(project)
    assert [(r.version, r.current) for r in shown] == [(2, True), (1, False)]


def test_the_cumulative_figure_must_add_up_with_the_previous_months(project):
    file_return(project, "2026-07", "2", "2")
    with pytest.raises(ApplicationError, match="累计完成投资应为2026年07月累计 2 亿元加当月 1 亿元，即 3 亿元") as exc:
        file_return(project, "2026-08", "1", "4")
    assert exc.value.field == "completed_total"
    file_return(project, "2026-08", "1", "3")
    with pytest.raises(ApplicationError, match="不能小于当月完成投资"):
        file_return(project, "2026-05", "3", "1")
    assert MonthlyReturn.objects.count() == 2


def test_no_return_for_a_future_month_and_blank_fields_are_named(project):
    with pytest.raises(ApplicationError, match="不能填报未来月份") as exc:
        file_return(project, "2026-10", "1", "1")
    assert exc.value.field == "month"
    with pytest.raises(ApplicationError, match="请填写形象进度"):
        file_return(project, "2026-08", "1", "1", progress=" ")
    with pytest.raises(ApplicationError, match="“abc”"):
        file_return(project, "2026-08", "abc", "1")


def test_photos_are_kept_and_only_pictures_are_taken(project):
    photo = SimpleUploadedFile("工地.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    report = services.return_submit(actor=None, project=project, photos=[photo], data={
        "month": "2026-08", "completed_month": "1", "completed_total": "1", "progress": "基础施工"})
    assert [p.name for p in report.photos.all()] == ["工地.jpg"]
    with pytest.raises(ApplicationError, match="不是图片"):
        services.return_submit(actor=None, project=project, photos=[SimpleUploadedFile("说明.pdf", b"%PDF")], data={
            "month": "2026-08", "completed_month": "1", "completed_total": "1", "progress": "基础施工"})


def test_only_the_lead_unit_files_returns(project, users):
    with pytest.raises(PermissionDeniedError):
        file_return(project, "2026-08", "1", "1", actor=users["agri"])
    with pytest.raises(PermissionDeniedError):
        file_return(project, "2026-08", "1", "1", actor=users["leader"])
    assert file_return(project, "2026-08", "1", "1", actor=users["invest"]).submitted_by == users["invest"]


def test_a_missing_return_is_late_after_the_due_day(project, make_project):
    waiting = make_project("待签约项目")  # not signed yet: no returns asked for
    assert selectors.late_return_ids([project, waiting], dt.date(2026, 9, 10)) == set()  # due by the 10th
    assert selectors.late_return_ids([project, waiting], dt.date(2026, 9, 11)) == {project.pk}
    file_return(project, "2026-08", "1", "1")
    assert selectors.late_return_ids([project], dt.date(2026, 9, 11)) == set()


def test_the_page_flags_a_late_return(client, users, project):
    client.force_login(users["leader"])
    assert 'data-testid="late-return"' in client.get(f"/projects/{project.pk}/").content.decode()
    listing = client.get("/projects/").content.decode()
    assert "未报" in listing


# ---------------------------------------------------------------- problems


@pytest.fixture
def problem(project, units):
    return services.problem_create(actor=None, project=project, data={
        "category": ProblemCategory.objects.get(name="拆迁"), "description": "三户居民未签拆迁协议",
        "assigned_unit": units["agri"]})


def test_raising_a_problem_makes_a_supervision_item_linked_both_ways(problem, users, client):
    raised = services.problem_raise(actor=users["invest"], problem=problem, data={
        "deadline": dt.date(2026, 10, 15), "requirement": "请协调完成签约"}, expected_version=problem.version)
    item = raised.item
    assert raised.status == Problem.Status.RAISED
    assert item.source_kind == SupervisionItem.SourceKind.PROJECT_PROBLEM
    assert item.lead_unit == problem.assigned_unit and item.state == "registered"
    assert "三户居民未签拆迁协议" in item.source_text
    assert item.source_url == f"/projects/{problem.project_id}/#problem-{problem.pk}"
    client.force_login(users["supervisor"])
    page = client.get(f"/supervision/{item.pk}/").content.decode()
    assert f'href="/projects/{problem.project_id}/#problem-{problem.pk}"' in page
    project_page = client.get(f"/projects/{problem.project_id}/").content.decode()
    assert item.number in project_page
    with pytest.raises(ConflictError, match="不能重复提请"):
        services.problem_raise(actor=users["invest"], problem=problem, data={"deadline": dt.date(2026, 10, 15)})


def test_a_raise_needs_a_deadline_and_writes_nothing_without_one(problem, users):
    with pytest.raises(ApplicationError, match="办理期限"):
        services.problem_raise(actor=users["invest"], problem=problem, data={})
    assert not SupervisionItem.objects.exists()
    assert Problem.objects.get(pk=problem.pk).status == Problem.Status.OPEN


def test_when_its_supervision_item_is_closed_the_problem_is_solved(problem, users):
    item = services.problem_raise(actor=users["invest"], problem=problem,
                                  data={"deadline": dt.date(2026, 10, 15)}).item
    supervision.item_assign(actor=users["supervisor"], item=item)
    supervision.item_start(actor=users["agri"], item=item)
    supervision.item_feedback(actor=users["agri"], item=item, result="三户已签协议，完成腾房")
    supervision.item_close(actor=users["supervisor"], item=item)
    solved = Problem.objects.get(pk=problem.pk)
    assert solved.status == Problem.Status.SOLVED and solved.solution == "三户已签协议，完成腾房"
    assert solved.solved_on == dt.date(2026, 9, 15)


def test_a_problem_is_solved_by_its_project_unit_with_a_note(problem, users):
    with pytest.raises(PermissionDeniedError):
        services.problem_solve(actor=users["leader"], problem=problem, solution="已解决")
    with pytest.raises(ApplicationError, match="请填写解决情况"):
        services.problem_solve(actor=users["invest"], problem=problem, solution="")
    services.problem_solve(actor=users["invest"], problem=problem, solution="已协调解决")
    with pytest.raises(ApplicationError, match="已解决"):
        services.problem_solve(actor=users["invest"], problem=problem, solution="再次")


def test_the_page_forms_add_a_problem_and_raise_it(client, users, project, units):
    client.force_login(users["invest"])
    category = ProblemCategory.objects.get(name="审批")
    bad = client.post(f"/projects/{project.pk}/problems/", {"category": category.pk, "description": "",
                                                            "assigned_unit": units["invest"].pk})
    assert bad.status_code == 400 and not Problem.objects.exists()
    client.post(f"/projects/{project.pk}/problems/", {"category": category.pk, "description": "环评审批慢",
                                                      "assigned_unit": units["invest"].pk})
    problem = Problem.objects.get()
    response = client.post(f"/projects/problems/{problem.pk}/raise/", {"deadline": "2026-10-30",
                                                                       "version": problem.version})
    assert response.status_code == 302
    assert Problem.objects.get().item.number.startswith("督办〔2026〕")
