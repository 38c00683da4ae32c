"""`yuanqu bulletin`: writes the file and stores a version; bad input → Chinese message, exit 2, no file."""

import io

import pytest
from django.core.management import CommandError, call_command

from yuanqu.plans.models import Plan
from yuanqu.reports.models import Bulletin

from .conftest import YEAR
from .helpers import open_docx, paragraphs


def run(*args):
    out = io.StringIO()
    call_command("bulletin", *args, stdout=out)
    return out.getvalue()


def test_command_writes_the_file_and_stores_the_version(june_plan, tmp_path):
    target = tmp_path / "通报.docx"
    output = run("--plan", str(YEAR), "--month", "2025-06", "--out", str(target))
    texts = paragraphs(open_docx(target.read_bytes()))
    assert texts[:2] == ["督查通报", "2025年第6期（草稿）"]  # a draft: the office issues it on the page
    bulletin = Bulletin.objects.get()
    assert (bulletin.plan, bulletin.version, bulletin.created_by) == (june_plan, 1, None)
    assert bulletin.is_draft and not bulletin.file
    assert "红灯2项" in output and str(target) in output
    run("--plan", str(YEAR), "--month", "2025-06", "--out", str(tmp_path / "again.docx"))
    assert list(Bulletin.objects.values_list("version", flat=True)) == [2, 1]


def test_command_uses_the_closed_plan_when_the_year_has_no_active_one(june_plan, tmp_path):
    Plan.objects.filter(pk=june_plan.pk).update(status=Plan.Status.CLOSED)
    run("--plan", str(YEAR), "--month", "2025-06", "--out", str(tmp_path / "b.docx"))
    assert Bulletin.objects.get().plan == june_plan


def test_command_as_a_named_supervisor(june_plan, users, tmp_path):
    run("--plan", str(YEAR), "--month", "2025-06", "--out", str(tmp_path / "b.docx"), "--user", "super1")
    assert Bulletin.objects.get().created_by == users["supervisor"]


@pytest.mark.parametrize(
    "args,message",
    [
        (["--plan", "2025", "--month", "2025-6"], "--month 应为 YYYY-MM 格式的月份"),
        (["--plan", "2019", "--month", "2019-06"], "2019年没有已启用或已关闭的计划"),
        (["--plan", "2025", "--month", "2025-02"], "2025年2月没有任何已填报的进度，无法生成通报"),
        (["--plan", "2025", "--month", "2024-12"], "不在计划年度"),
        (["--plan", "2025", "--month", "2025-06", "--user", "nobody"], "用户“nobody”不存在或已停用"),
        (["--plan", "2025", "--month", "2025-06", "--user", "invest1"], "只有督查室或系统管理员可以生成督查通报"),
    ],
)
def test_bad_input_exits_2_with_a_chinese_message_and_writes_nothing(june_plan, users, tmp_path, media_root,
                                                                      args, message):
    target = tmp_path / "out.docx"
    with pytest.raises(CommandError, match=message) as exc:
        run(*args, "--out", str(target))
    assert exc.value.returncode == 2
    assert not target.exists()
    assert not Bulletin.objects.exists()
    assert not (media_root / "bulletins").exists() or not any((media_root / "bulletins").rglob("*.docx"))


@pytest.mark.parametrize("name", ["out.pdf", "missing-dir/out.docx"])
def test_a_bad_output_path_is_refused_before_anything_is_generated(june_plan, tmp_path, name):
    with pytest.raises(CommandError, match="输出") as exc:
        run("--plan", str(YEAR), "--month", "2025-06", "--out", str(tmp_path / name))
    assert exc.value.returncode == 2
    assert not Bulletin.objects.exists()
