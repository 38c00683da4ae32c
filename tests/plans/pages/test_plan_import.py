"""Importing a plan's text from the page: a draft for review, or a clear message and nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yuanqu.plans.models import Plan

from ...factories import PASSWORD

TEXT = "一、招商引资。一是招大引强。全年招引亿元以上项目20个以上。二、乡村振兴。一是农民增收。培育新型农民不少于150人。"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_a_pasted_plan_becomes_a_draft_and_opens_for_review(client, users):
    login(client, users["supervisor"])
    response = client.post(reverse("plans:plan_import"), {"year": 2031, "text": TEXT})
    plan = Plan.objects.get(year=2031)
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan_review", args=[plan.pk])
    assert plan.status == Plan.Status.DRAFT and plan.sections.count() == 2
    assert {t.target_value for t in plan.targets.all()} >= {20, 150}


def test_an_uploaded_utf8_file_with_a_bom_is_read(client, users):
    login(client, users["supervisor"])
    upload = SimpleUploadedFile("计划.txt", b"\xef\xbb\xbf" + TEXT.encode())
    client.post(reverse("plans:plan_import"), {"year": 2031, "file": upload})
    assert Plan.objects.get(year=2031).source_text == TEXT


def test_a_gbk_file_is_read_and_its_encoding_shown(client, users):
    login(client, users["supervisor"])
    upload = SimpleUploadedFile("旧.txt", TEXT.encode("gbk"))
    response = client.post(reverse("plans:plan_import"), {"year": 2031, "file": upload}, follow=True)
    assert Plan.objects.get(year=2031).source_text == TEXT
    assert "编码 GB18030" in response.content.decode()


@pytest.mark.parametrize(
    "data,message",
    [
        ({"year": 2031, "file": SimpleUploadedFile("图.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}, "不是可识别编码的文本"),
        ({"year": 2031, "file": SimpleUploadedFile("空.txt", b"")}, "提交的是空文件"),
        ({"year": 2031, "text": "   "}, "请上传计划文件，或粘贴计划原文"),
        ({"year": 2031, "text": "没有任何编号的一段话。"}, "未识别到任何章节"),
        ({"year": 1999, "text": TEXT}, "2000"),
        # a task list with a date no calendar has, or a score not in figures: named, nothing written
        ({"year": 2031, "text": "一、招商\n1. 引进项目5个（招商局牵头），13月底前完成。\n"},
         "第1项的完成时限“13月底前完成”不是有效日期"),
        ({"year": 2031, "text": "一、招商\n1. 引进项目5个（招商局牵头）（2分）\n2. 举办推介会3场（招商局负责）（两分）\n"},
         "第2项的分值“两分”不是数字"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(client, users, data, message):
    login(client, users["supervisor"])
    response = client.post(reverse("plans:plan_import"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Plan.objects.exists()


@pytest.mark.parametrize("role,status", [("leader", 403), ("agri", 403), ("admin", 200), ("supervisor", 200)])
def test_only_supervisors_and_administrators_import(client, users, role, status):
    login(client, users[role])
    assert client.get(reverse("plans:plan_import")).status_code == status
    client.post(reverse("plans:plan_import"), {"year": 2031, "text": TEXT})
    assert Plan.objects.exists() is (status == 200)


def _docx(paragraphs) -> bytes:
    import io

    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_document_is_read_paragraph_by_paragraph(client, users):
    login(client, users["supervisor"])
    upload = SimpleUploadedFile("2031年工作计划.docx", _docx(["一、招商引资。一是招大引强。全年招引亿元以上项目20个以上。",
                                                          "二、乡村振兴。一是农民增收。培育新型农民不少于150人。"]))
    response = client.post(reverse("plans:plan_import"), {"year": 2031, "file": upload})
    plan = Plan.objects.get(year=2031)
    assert response.status_code == 302 and plan.sections.count() == 2
    assert {t.target_value for t in plan.targets.all()} >= {20, 150}


def test_a_file_named_docx_that_is_not_one_is_refused(client, users):
    login(client, users["supervisor"])
    upload = SimpleUploadedFile("计划.docx", TEXT.encode())
    response = client.post(reverse("plans:plan_import"), {"year": 2031, "file": upload})
    assert "不是有效的 Word" in response.content.decode()
    assert not Plan.objects.exists()


def test_without_a_year_the_texts_own_year_is_taken_and_without_either_the_form_says_so(client, users):
    login(client, users["supervisor"])
    titled = "三和片区2032年重点工作安排\n" + TEXT
    client.post(reverse("plans:plan_import"), {"text": titled})
    plan = Plan.objects.get()
    assert (plan.year, plan.title) == (2032, "三和片区2032年重点工作安排")
    response = client.post(reverse("plans:plan_import"), {"text": TEXT})
    assert response.status_code == 200 and "计划原文中没有写明年度" in response.content.decode()
    assert Plan.objects.count() == 1
