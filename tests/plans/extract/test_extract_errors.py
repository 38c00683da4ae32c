"""Errors users see: empty text, no sections, files that are not UTF-8."""

import pytest

from yuanqu.plans.extract import PlanTextError, extract, read_plan_file


@pytest.mark.parametrize("text", ["", "   ", "\n\t\u3000\n"])
def test_empty_text(text):
    with pytest.raises(PlanTextError, match="计划文本为空"):
        extract(text)


def test_text_without_sections_or_targets():
    with pytest.raises(PlanTextError, match="未识别到任何章节"):
        extract("我们要坚持稳中求进，推动经济社会持续健康发展。")


def test_targets_without_sections_are_kept_in_the_preamble():
    """A notice or a short text states its goals before (or without) any numbered heading."""
    got = extract("主要预期目标为：全年新增规上企业20家，地区生产总值增长6%。")
    assert got["sections"] == []
    assert [(t["section"], t["value"]) for t in got["targets"]] == [(None, 20), (None, 6)]


def test_plan_text_error_is_a_value_error():
    assert issubclass(PlanTextError, ValueError)


def test_read_plan_file_strips_bom(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes("\ufeff一、加快发展。新增规上企业20家。".encode("utf-8"))
    text = read_plan_file(path)
    assert text.startswith("一、")
    assert extract(text)["targets"][0]["value"] == 20


def test_read_plan_file_rejects_other_encodings(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes("一、加快发展。新增规上企业20家。".encode("gb18030"))
    with pytest.raises(PlanTextError, match="文件不是 UTF-8 编码的文本"):
        read_plan_file(path)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf"])
def test_read_plan_file_empty(tmp_path, data):
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    with pytest.raises(PlanTextError, match="计划文件为空"):
        read_plan_file(path)


def test_extract_wants_str():
    with pytest.raises(TypeError):
        extract(b"\xe4\xb8\x80")  # type: ignore[arg-type]


def test_no_django_import():
    """The extractor is pure Python: importing it must not pull Django in."""
    import subprocess
    import sys

    code = ("import sys, yuanqu.plans.extract as e; "
            "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_read_plan_file_missing(tmp_path):
    with pytest.raises(PlanTextError, match="找不到计划文件"):
        read_plan_file(tmp_path / "nope.txt")
