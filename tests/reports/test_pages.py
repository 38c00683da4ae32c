"""Bulletin pages: who may list, generate and download; the generate form's messages."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yuanqu.reports.forms import BulletinGenerateForm
from yuanqu.reports.models import Bulletin
from yuanqu.reports.services import bulletin_edit, bulletin_generate

from .conftest import FILED_ON, JUNE, YEAR
from .helpers import open_docx, paragraphs

LIST = reverse("reports:bulletin_list")
GENERATE = reverse("reports:bulletin_generate")


@pytest.fixture
def bulletin(june_plan, users):
    """An issued bulletin (its file written)."""
    draft = bulletin_generate(actor=users["supervisor"], plan=june_plan, month=JUNE, today=FILED_ON)
    return bulletin_edit(actor=users["supervisor"], bulletin=draft, changes={"signer": "周建国"}, issue=True,
                         today=FILED_ON)


def as_user(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    return client


@pytest.mark.parametrize(
    "role,list_code,generate_code,download_code",
    [
        ("admin", 200, 200, 200),
        ("supervisor", 200, 200, 200),
        ("leader", 200, 403, 200),
        ("invest", 403, 403, 403),
        ("village", 403, 403, 403),
        ("nounit", 403, 403, 403),
    ],
)
def test_role_matrix(client, users, bulletin, role, list_code, generate_code, download_code):
    client = as_user(client, users, role)
    assert client.get(LIST).status_code == list_code
    assert client.get(GENERATE).status_code == generate_code
    posted = client.post(GENERATE, {"plan": bulletin.plan_id, "month": "6"})
    assert posted.status_code == (302 if generate_code == 200 else 403)
    response = client.get(reverse("reports:bulletin_download", args=[bulletin.pk]))
    assert response.status_code == download_code
    if download_code == 200:
        content = b"".join(response.streaming_content)
        assert paragraphs(open_docx(content))[:2] == ["督查通报", "2025年第6期"]
        disposition = response["Content-Disposition"]
        assert disposition.startswith(f'attachment; filename="bulletin-2025-06-v{bulletin.version}.docx";')
        assert "filename*=UTF-8''%E7%9D%A3%E6%9F%A5%E9%80%9A%E6%8A%A5" in disposition  # 督查通报
    expected_versions = 2 if generate_code == 200 else 1
    assert Bulletin.objects.count() == expected_versions


def test_anonymous_is_sent_to_login(client, bulletin):
    for url in (LIST, GENERATE, reverse("reports:bulletin_download", args=[bulletin.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_list_shows_versions_with_the_latest_marked_and_download_links(client, users, june_plan, bulletin):
    second = bulletin_generate(actor=users["admin"], plan=june_plan, month=JUNE, today=FILED_ON)
    client.force_login(users["leader"])
    html = client.get(LIST).content.decode()
    assert html.count("2025年第6期") == 2
    assert "第2版" in html and "第1版" in html and html.count("最新") == 1
    assert reverse("reports:bulletin_download", args=[bulletin.pk]) in html
    assert reverse("reports:bulletin_download", args=[second.pk]) in html
    assert GENERATE not in html  # leaders read, they do not generate


def test_generate_form_creates_a_version_and_redirects_to_the_list(client, users, june_plan):
    client.force_login(users["supervisor"])
    response = client.post(GENERATE, {"plan": june_plan.pk, "month": "6"}, follow=True)
    bulletin = Bulletin.objects.get()
    assert (bulletin.month, bulletin.version, bulletin.created_by) == (JUNE, 1, users["supervisor"])
    assert "已生成2025年6月督查通报 第1版" in response.content.decode()


def test_generate_form_shows_the_services_message_and_writes_nothing(client, users, june_plan, media_root):
    client.force_login(users["supervisor"])
    response = client.post(GENERATE, {"plan": june_plan.pk, "month": "2"})
    assert response.status_code == 200
    assert "2025年2月没有任何已填报的进度，无法生成通报" in response.content.decode()
    assert not Bulletin.objects.exists()
    assert not (media_root / "bulletins").exists() or not any((media_root / "bulletins").rglob("*.docx"))


@pytest.mark.parametrize(
    "data,message",
    [
        ({"month": "6"}, "请选择计划"),
        ({"plan": "999", "month": "6"}, "请选择一个已启用的计划"),
        ({"plan": "PLAN", "month": "13"}, "请选择 1–12 月中的一个月份"),
    ],
)
def test_generate_form_names_bad_fields(client, users, june_plan, data, message):
    client.force_login(users["supervisor"])
    data = {k: june_plan.pk if v == "PLAN" else v for k, v in data.items()}
    response = client.post(GENERATE, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Bulletin.objects.exists()


def test_a_missing_file_is_a_404_not_a_500(client, users, bulletin, media_root):
    (media_root / bulletin.file.name).unlink()
    client.force_login(users["supervisor"])
    assert client.get(reverse("reports:bulletin_download", args=[bulletin.pk])).status_code == 404


def test_list_query_count_does_not_grow_with_bulletins(client, users, june_plan):
    client.force_login(users["leader"])
    bulletin_generate(actor=users["supervisor"], plan=june_plan, month=JUNE, today=FILED_ON)
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST).status_code == 200
    for _ in range(4):
        bulletin_generate(actor=users["admin"], plan=june_plan, month=JUNE, today=FILED_ON)
    with CaptureQueriesContext(connection) as large:
        assert client.get(LIST).status_code == 200
    assert len(large) == len(small)


@pytest.mark.parametrize(
    "today,month",
    [
        (dt.date(YEAR, 7, 5), 6),  # the month just ended
        (dt.date(YEAR, 1, 20), 1),  # January: the plan year has no earlier month
        (dt.date(YEAR + 1, 3, 10), 12),  # the plan's year is over: its last month
    ],
)
def test_generate_form_proposes_the_month_reports_are_filed_for(users, june_plan, today, month):
    form = BulletinGenerateForm(user=users["supervisor"], today=today)
    assert form.fields["plan"].initial == june_plan.pk
    assert form.fields["month"].initial == month
