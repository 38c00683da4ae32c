"""`yuanqu plan extract` and `yuanqu plan import`."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yuanqu.core.errors import ApplicationError
from yuanqu.core.models import ChangeRecord
from yuanqu.plans.demo import SEED_PLAN
from yuanqu.plans.extract import PlanTextError, extract, read_plan_file
from yuanqu.plans.models import Measure, Plan
from yuanqu.plans.services import plan_file_text

SECTION_KEYS = ["no", "title"]
MEASURE_KEYS = ["section", "no", "head"]
TARGET_KEYS = ["section", "measure", "text", "indicator", "comparator", "value", "value_max", "unit", "deadline",
               "kind", "item", "deadline_text", "ongoing", "lead_units", "cooperating_units", "points", "leader",
               "steps"]

SMALL_PLAN = (
    "一、扩大有效投资。一是抓招商。全年新招引亿元以上项目不少于12个，签约总额突破80亿元。"
    "二是抓建设。完成道路改造3公里。\n"
    "二、改善民生福祉。一是办实事。新增就业岗位2000个以上，城镇登记失业率控制在3%以内。\n"
)


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def assert_shape(data: dict, extra: list[str] = ()) -> None:
    assert list(data) == ["sections", "measures", "targets", "title", "year", "problems"]
    assert all(list(s) == SECTION_KEYS + list(extra) for s in data["sections"])
    assert all(list(m) == MEASURE_KEYS + list(extra) for m in data["measures"])
    assert all(list(t) == TARGET_KEYS + list(extra) for t in data["targets"])


@pytest.fixture
def bad_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return {"empty": empty, "binary": binary}


def test_extract_prints_the_documented_json_for_the_seed_plan():
    stdout, stderr = run("extract", str(SEED_PLAN))
    data = json.loads(stdout)
    assert_shape(data)
    draft = extract(SEED_PLAN.read_text(encoding="utf-8"))
    assert [s["no"] for s in data["sections"]] == ["一", "二", "三", "四", "五", "六", "七"]
    assert len(data["measures"]) == len(draft["measures"])
    assert [t["text"] for t in data["targets"]] == [t["text"] for t in draft["targets"]]
    # UTF-8 with Chinese as is, indent 1.
    assert "高层次推进开发开放" in stdout and "\\u" not in stdout
    assert stdout.splitlines()[1] == ' "sections": ['
    assert stderr == ""


def test_extract_reads_a_small_plan(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(SMALL_PLAN, encoding="utf-8")
    data = json.loads(run("extract", str(path), "--format", "json")[0])
    assert_shape(data)
    assert [(s["no"], s["title"]) for s in data["sections"]] == [("一", "扩大有效投资"), ("二", "改善民生福祉")]
    assert {m["section"] for m in data["measures"]} == {"一", "二"}
    jobs = [t for t in data["targets"] if t["value"] == 2000]
    assert jobs and jobs[0]["section"] == "二" and jobs[0]["unit"] == "个"


def test_extract_with_spans_keeps_offsets_into_the_text(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(SMALL_PLAN, encoding="utf-8")
    data = json.loads(run("extract", str(path), "--with-spans")[0])
    assert_shape(data, extra=["start", "end"])
    assert data["targets"]
    for target in data["targets"]:
        assert SMALL_PLAN[target["start"]:target["end"]] == target["text"]


@pytest.mark.parametrize("name", ["empty", "binary"])
def test_extract_refuses_unreadable_files_with_status_2(bad_files, name):
    """The command reads a file under the plan page's upload rules: the same refusal, word for word."""
    path = bad_files[name]
    with pytest.raises(PlanTextError):
        read_plan_file(path)
    with pytest.raises(ApplicationError) as expected:
        plan_file_text(path.read_bytes(), path.name)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("plan", "extract", str(path), stdout=out, stderr=err)
    assert exc.value.returncode == 2
    assert str(exc.value) == expected.value.message
    assert any("\u4e00" <= c <= "\u9fff" for c in str(exc.value))
    assert out.getvalue() == ""


@pytest.mark.parametrize("name, message", [("missing.txt", "找不到计划文件"), (".", "是目录")])
def test_extract_names_a_path_it_cannot_open(tmp_path, name, message):
    out = StringIO()
    with pytest.raises(CommandError, match=message) as exc:
        call_command("plan", "extract", str(tmp_path / name), stdout=out)
    assert exc.value.returncode == 2 and out.getvalue() == ""


def test_extract_from_the_shell_exits_2_without_a_database(bad_files, tmp_path):
    """The real console script: Chinese on stderr, nothing on stdout, and no database needed."""
    env = {**os.environ, "YUANQU_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
           "DJANGO_SETTINGS_MODULE": "yuanqu.settings", "PYTHONIOENCODING": "utf-8"}
    script = "from yuanqu.manage import main; main()"
    bad = subprocess.run([sys.executable, "-c", script, "plan", "extract", str(bad_files["binary"])],
                         capture_output=True, env=env, timeout=60)
    assert bad.returncode == 2
    assert bad.stdout == b""
    assert "UTF-8" in bad.stderr.decode("utf-8") and "编码" in bad.stderr.decode("utf-8")
    good = subprocess.run([sys.executable, "-c", script, "plan", "extract", str(SEED_PLAN)],
                          capture_output=True, env=env, timeout=60)
    assert good.returncode == 0, good.stderr.decode("utf-8")
    assert json.loads(good.stdout.decode("utf-8"))["sections"][0]["no"] == "一"


@pytest.mark.django_db
def test_import_makes_a_draft_plan_for_review():
    stdout, _ = run("import", str(SEED_PLAN), "--year", "2026", "--title", "园区2026年工作要点")
    plan = Plan.objects.get()
    assert (plan.year, plan.title, plan.status) == (2026, "园区2026年工作要点", Plan.Status.DRAFT)
    draft = extract(SEED_PLAN.read_text(encoding="utf-8"))
    assert plan.sections.count() == 7
    assert plan.targets.count() == len(draft["targets"]) > 0
    assert Measure.objects.filter(section__plan=plan).count() == len(draft["measures"])
    assert f"/plans/{plan.pk}/review/" in stdout
    assert f"目标 {len(draft['targets'])} 个" in stdout
    assert ChangeRecord.objects.filter(action=ChangeRecord.Action.IMPORT).count() == 1 + len(draft["targets"])


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["empty", "binary", "bad_year"])
def test_import_of_bad_input_writes_nothing(bad_files, case):
    Plan.objects.create(year=2025, title="已有计划", source_text="一、旧。")
    before = (Plan.objects.count(), ChangeRecord.objects.count())
    path, year = (SEED_PLAN, "1999") if case == "bad_year" else (bad_files[case], "2026")
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("plan", "import", str(path), "--year", year, stdout=out)
    assert exc.value.returncode == 2
    assert any("\u4e00" <= c <= "\u9fff" for c in str(exc.value))
    assert out.getvalue() == ""
    assert (Plan.objects.count(), ChangeRecord.objects.count()) == before


def test_extract_reads_a_word_document(tmp_path):
    import json as _json

    from docx import Document

    document = Document()
    document.add_paragraph("一、招商引资。一是招大引强。全年招引亿元以上项目20个以上。")
    path = tmp_path / "计划.docx"
    document.save(path)
    out = StringIO()
    call_command("plan", "extract", str(path), stdout=out)
    data = _json.loads(out.getvalue())
    assert [s["no"] for s in data["sections"]] == ["一"] and data["targets"][0]["value"] == 20
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="不是有效的 Word") as exc:
        call_command("plan", "extract", str(bad), stdout=StringIO())
    assert exc.value.returncode == 2


def test_the_command_refuses_an_oversized_file_like_the_page(tmp_path, db):
    from yuanqu.plans.services import MAX_PLAN_BYTES

    path = tmp_path / "huge.txt"
    path.write_text("一、招商引资\n" + "全年招引项目100个。" * (MAX_PLAN_BYTES // 20), encoding="utf-8")
    with pytest.raises(CommandError, match="过大") as exc:
        call_command("plan", "import", str(path), "--year", "2027", stdout=StringIO())
    assert exc.value.returncode == 2
    assert not Plan.objects.filter(year=2027).exists()
