"""The plan import page's column-mapping step: a file or pasted text holding a task table shows the
guessed mapping and its first rows; the office's changes decide the draft; bad mappings write nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yuanqu.plans.models import Plan

from ..factories import PASSWORD
from .test_documents_formats import task_sheet

pytestmark = pytest.mark.django_db
URL = reverse("plans:plan_import")


@pytest.fixture
def office(client, users):
    assert client.login(username=users["supervisor"].username, password=PASSWORD)
    return client


def upload(client, name: str, data: bytes):
    return client.post(URL, {"year": 2027, "title": "重点工作", "file": SimpleUploadedFile(name, data)})


def step_data(response, **changes) -> dict:
    """What the mapping step posts back: the signed document and each column's select as shown."""
    form = response.context["form"]
    data = {"year": form["year"].value(), "title": form["title"].value(), "document": form["document"].value()}
    data.update({name: form[name].value() or "" for name in form.fields if name.startswith("col_")})
    data.update(changes)
    return data


def test_an_xlsx_task_sheet_shows_the_guess_then_imports_with_the_offices_change(office):
    response = upload(office, "任务分解.xlsx", task_sheet())
    assert response.status_code == 200 and not Plan.objects.exists()
    page = response.content.decode()
    assert "核对任务表的列" in page and "工作表“任务分解”" in page
    assert '<option value="lead" selected>牵头单位</option>' in page
    assert "推进一网通办" in page  # the first rows are previewed
    # The office does not want the scores: column 7 (分值) is not imported.
    response = office.post(URL, step_data(response, col_0_6=""))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan_review", args=[plan.pk])
    assert (plan.year, plan.title) == (2027, "重点工作")
    lines = plan.source_text.splitlines()
    assert lines[0] == "2027年重点工作任务分解表"  # the sheet's title row names the plan's year
    assert lines[1] == "一、营商环境"
    assert lines[2] == "1．推进一网通办（完成时限：2027年6月30日）（牵头单位：政务服务局；配合单位：大数据中心）"
    assert "分）" not in plan.source_text


def test_a_column_mapped_twice_is_named_and_nothing_is_written(office):
    response = upload(office, "任务分解.xlsx", task_sheet())
    response = office.post(URL, step_data(response, col_0_5="lead"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "第5列“牵头部门”和第6列“配合部门”都设成了“牵头单位”" in page
    assert not Plan.objects.exists()
    # The step is shown again with the office's choice kept, ready to be corrected.
    assert response.context["form"]["col_0_5"].value() == "lead"


def test_a_tampered_document_is_refused_and_nothing_is_written(office):
    response = upload(office, "任务分解.xlsx", task_sheet())
    data = step_data(response)
    data["document"] = data["document"][:-3] + "abc"
    response = office.post(URL, data, follow=True)
    assert "已失效，请重新上传" in response.content.decode()
    assert not Plan.objects.exists()


def test_a_gbk_text_with_a_pasted_table_shows_its_encoding_in_the_step(office):
    text = "一、营商环境\n序号\t工作任务\t牵头单位\n1\t推进一网通办\t政务服务局\n2\t优化审批\t\n"
    response = upload(office, "任务.txt", text.encode("gbk"))
    assert "编码 <strong>GB18030</strong>" in response.content.decode()
    office.post(URL, step_data(response))
    assert Plan.objects.get().source_text.splitlines() == [
        "一、营商环境", "1．推进一网通办（牵头单位：政务服务局）", "2．优化审批（牵头单位：政务服务局）",
    ]


def test_an_xlsx_without_a_header_is_refused_on_the_upload_step(office):
    from tests.core.spreadsheets import xlsx

    response = upload(office, "清单.xlsx", xlsx([["A", "B"], ["推进一网通办", "政务服务局"]]))
    assert response.status_code == 200 and "没有找到任务表的表头" in response.content.decode()
    assert not Plan.objects.exists()


def test_the_api_and_the_command_read_a_task_sheet_with_the_guessed_mapping(client_as, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    response = client_as("supervisor").post(
        "/api/plans/plans/import/", {"file": SimpleUploadedFile("任务.xlsx", task_sheet()), "year": 2027},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    via_api = Plan.objects.get(year=2027).source_text
    assert "（牵头单位：政务服务局；配合单位：大数据中心）（0.5分）" in via_api
    path = tmp_path / "任务.xlsx"
    path.write_bytes(task_sheet())
    call_command("plan", "import", str(path), "--year", "2028", stdout=StringIO())
    assert Plan.objects.get(year=2028).source_text == via_api
