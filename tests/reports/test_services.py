"""bulletin_generate: versions, rights, months with nothing to report, and nothing left on failure."""

import datetime as dt

import pytest

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.plans.models import Plan, Section
from yuanqu.reports.models import Bulletin
from yuanqu.reports.services import bulletin_edit, bulletin_generate

from ..factories import make_target
from .conftest import FILED_ON, JUNE, YEAR
from .helpers import open_docx, paragraphs


def generate(plan, actor, month=JUNE, today=FILED_ON):
    return bulletin_generate(actor=actor, plan=plan, month=month, today=today)


def stored_files(media_root) -> list:
    root = media_root / "bulletins"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def issue(bulletin, actor, signer="周建国"):
    return bulletin_edit(actor=actor, bulletin=bulletin, changes={"signer": signer}, issue=True, today=FILED_ON)


def test_generating_stores_a_draft_with_its_summary_and_issuing_writes_the_file(june_plan, users, media_root):
    bulletin = generate(june_plan, users["supervisor"])
    assert (bulletin.version, bulletin.month, bulletin.created_by) == (1, JUNE, users["supervisor"])
    assert bulletin.summary == {"total": 6, "done": 1, "green": 1, "yellow": 1, "red": 2, "not_started": 1,
                                "red_in_time": 1, "overdue_unmet": 1, "supervision_overdue": 0}
    assert bulletin.is_draft and stored_files(media_root) == []
    bulletin = issue(bulletin, users["supervisor"])
    assert stored_files(media_root) == [media_root / bulletin.file.name]
    with bulletin.file.open("rb") as f:
        assert paragraphs(open_docx(f.read()))[1] == "2025年第6期"


def test_generating_again_makes_version_2_and_keeps_version_1s_file(june_plan, users, media_root):
    first = issue(generate(june_plan, users["supervisor"]), users["supervisor"])
    first_bytes = (media_root / first.file.name).read_bytes()
    second = issue(generate(june_plan, users["admin"]), users["admin"])
    assert second.version == 2 and second.file.name != first.file.name
    assert (media_root / first.file.name).read_bytes() == first_bytes
    assert len(stored_files(media_root)) == 2
    assert list(Bulletin.objects.filter(plan=june_plan).values_list("version", flat=True)) == [2, 1]
    # Another month starts again at version 1.
    assert generate(june_plan, users["supervisor"], month=dt.date(YEAR, 7, 1)).version == 1


@pytest.mark.parametrize("role", ["leader", "invest", "nounit"])
def test_only_supervisors_and_admins_generate(june_plan, users, media_root, role):
    with pytest.raises(PermissionDeniedError, match="只有督查室或系统管理员"):
        generate(june_plan, users[role])
    assert not Bulletin.objects.exists() and stored_files(media_root) == []


@pytest.mark.parametrize(
    "month,message",
    [
        (dt.date(YEAR, 3, 1), "2025年3月没有任何已填报的进度，无法生成通报"),
        (dt.date(YEAR - 1, 12, 1), "2024年12月不在计划年度（2025年）内，无法生成通报"),
        (dt.date(YEAR + 1, 1, 1), "2026年1月不在计划年度（2025年）内，无法生成通报"),
        (dt.date(YEAR, 8, 1), "2025年8月尚未到来，无法生成通报"),
    ],
)
def test_a_month_without_data_is_refused_in_chinese_and_nothing_is_written(
    june_plan, users, media_root, month, message
):
    with pytest.raises(ApplicationError, match=message) as exc:
        generate(june_plan, users["supervisor"], month=month)
    assert exc.value.field == "month"
    assert not Bulletin.objects.exists() and stored_files(media_root) == []


def test_a_plan_without_targets_is_refused(users, media_root):
    plan = Plan.objects.create(year=YEAR, title="空计划", source_text="一、", status=Plan.Status.CLOSED)
    with pytest.raises(ApplicationError, match="该计划没有任何目标，无法生成通报"):
        generate(plan, users["supervisor"])
    assert not Bulletin.objects.exists() and stored_files(media_root) == []


def test_a_plan_whose_targets_have_no_report_is_refused(units, users, media_root):
    plan = Plan.objects.create(year=YEAR, title="无填报计划", source_text="一、", status=Plan.Status.ACTIVE)
    make_target(plan, Section.objects.create(plan=plan, no="一", title="招商"), units["invest"], "招引项目10个")
    with pytest.raises(ApplicationError, match="2025年6月没有任何已填报的进度"):
        generate(plan, users["supervisor"])
    assert stored_files(media_root) == []


def test_a_failure_after_the_file_is_written_leaves_neither_file_nor_row(june_plan, users, media_root, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Bulletin, "save", broken_save)
    with pytest.raises(RuntimeError):
        generate(june_plan, users["supervisor"])
    monkeypatch.undo()
    assert not Bulletin.objects.exists()
    assert stored_files(media_root) == []


def test_a_row_that_fails_validation_is_a_message_naming_the_field_and_leaves_no_file(
    june_plan, users, media_root, monkeypatch
):
    # A summary that is not JSON (a date) fails the model's validation after the file is written.
    monkeypatch.setattr("yuanqu.reports.services.summary_counts", lambda data: {"cutoff": data["cutoff"]})
    with pytest.raises(ApplicationError) as exc:
        generate(june_plan, users["supervisor"])
    assert exc.value.field == "summary" and exc.value.message.startswith("统计摘要：")
    assert not Bulletin.objects.exists() and stored_files(media_root) == []


def test_deleting_a_plan_removes_its_bulletins_files(june_plan, users, media_root, django_capture_on_commit_callbacks):
    generate(june_plan, users["supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        for bulletin in Bulletin.objects.all():
            bulletin.delete()
    assert stored_files(media_root) == []
