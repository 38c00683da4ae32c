"""Supervision papers: 佐证材料 with a feedback, the 督办通知单 (.docx), titles made from a target,
and the target picker of the 立项 form."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from yuanqu.core.errors import ApplicationError
from yuanqu.core.text import CLAUSE_END, shorten
from yuanqu.plans.models import Plan, Section
from yuanqu.supervision import services
from yuanqu.supervision.models import State, SupervisionAttachment, SupervisionItem

from ..factories import make_target, target
from .conftest import TODAY, db_state

# Who reads an item led by 三南村 with 招商局 assisting: the office, leaders, the lead unit and the
# units above it, the assisting unit; anyone else gets the 404 of an item they cannot see.
READERS = {"admin": 200, "supervisor": 200, "leader": 200, "village": 200, "agri": 200, "invest": 200,
           "nounit": 404, "invest_village": 200, "leader_invest": 200}


def upload(name="现场照片.jpg", size=10, content=None):
    return SimpleUploadedFile(name, content if content is not None else b"x" * size)


def feedback(users, item, files, result="已完成整改。"):
    return services.item_feedback(actor=users["village"], item=item, result=result, files=files,
                                  expected_version=item.version)


# ---------------------------------------------------------------- 佐证材料


def test_feedback_keeps_its_evidence_with_the_event(make_item, users):
    item = make_item(State.IN_PROGRESS)
    feedback(users, item, [upload("验收单.pdf"), upload("现场照片.jpg")])
    item.refresh_from_db()
    assert item.state == State.FEEDBACK
    files = list(SupervisionAttachment.objects.filter(item=item).order_by("name"))
    assert [f.name for f in files] == ["现场照片.jpg", "验收单.pdf"]
    assert {f.event.action for f in files} == {"feedback"} and {f.uploaded_by for f in files} == {users["village"]}


@pytest.mark.parametrize(("files", "message"), [
    ([upload("脚本.exe")], "佐证材料“脚本.exe”的类型不支持"),
    ([upload(f"照片{i}.jpg") for i in range(11)], "佐证材料最多10个"),
])
def test_evidence_outside_the_one_rule_is_refused_and_nothing_is_written(make_item, users, files, message):
    item = make_item(State.IN_PROGRESS)
    before = db_state(item)
    with pytest.raises(ApplicationError, match=message) as caught:
        feedback(users, item, files)
    assert caught.value.field == "files"
    assert db_state(item) == before and not SupervisionAttachment.objects.exists()


def test_only_a_feedback_takes_evidence(make_item, users):
    item = make_item(State.ASSIGNED)
    with pytest.raises(ApplicationError, match="只有反馈办理结果时"):
        services.transition(actor=users["village"], item=item, action="start", files=[upload()])
    assert SupervisionItem.objects.get(pk=item.pk).state == State.ASSIGNED


def test_evidence_through_the_page_and_who_may_download_it(client, make_item, users):
    item = make_item(State.IN_PROGRESS, assisting=["invest"])
    client.force_login(users["village"])
    response = client.post(reverse("supervision:act", args=[item.pk, "feedback"]),
                           {"comment": "已办结", "expected_version": item.version,
                            "files": [upload("整改报告.docx", content=b"report")]})
    assert response.status_code == 302
    attachment = SupervisionAttachment.objects.get()
    page = client.get(reverse("supervision:detail", args=[item.pk])).content.decode()
    url = reverse("supervision:attachment_download", args=[attachment.pk])
    assert url in page and "整改报告.docx" in page
    for role, code in READERS.items():
        client.force_login(users[role])
        response = client.get(url)
        assert response.status_code == code, role
        if code == 200:
            assert b"".join(response.streaming_content) == b"report"


def test_the_feedback_form_uploads_files(client, make_item, users):
    item = make_item(State.IN_PROGRESS)
    client.force_login(users["village"])
    page = client.get(reverse("supervision:detail", args=[item.pk])).content.decode()
    action = f'action="{reverse("supervision:act", args=[item.pk, "feedback"])}"'
    form = page.split(action)[1].split("</form>")[0]
    assert 'enctype="multipart/form-data"' in form and 'type="file" name="files" multiple' in form


# ---------------------------------------------------------------- 督办通知单


def notice_parts(response) -> tuple[list[str], str]:
    """The document's paragraphs (non-empty, in order) and its table's text."""
    doc = Document(io.BytesIO(response.content))
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    return [p.text for p in doc.paragraphs if p.text.strip()], cells


@pytest.mark.parametrize(("role", "code"), [*READERS.items(), ("anonymous", 302)])
def test_the_notice_is_for_whoever_may_read_the_item(client, make_item, users, role, code):
    item = make_item(State.ASSIGNED, assisting=["invest"])
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(reverse("supervision:notice", args=[item.pk]))
    assert response.status_code == code
    if code == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
        assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_the_notice_holds_the_official_parts(client, plan, make_item, users, units):
    t = target(plan, "培育新型农民")
    item = make_item(State.ASSIGNED, lead="agri", source_kind="target", target=t, title="关于推进培育新型农民的督办",
                     requirement="九月底前完成培训。", assisting=["invest"], time_limit=15, day_type="working")
    client.force_login(users["supervisor"])
    page = client.get(reverse("supervision:detail", args=[item.pk])).content.decode()
    assert reverse("supervision:notice", args=[item.pk]) in page
    lines, table = notice_parts(client.get(reverse("supervision:notice", args=[item.pk])))
    assert lines[0] == "督办通知单" and lines[1] == item.number  # masthead, 文号
    assert item.title in lines and "农业农村局：" in lines  # 标题, 主送单位
    for part in ("督办事项", "办理要求", "九月底前完成培训。", "办理时限", "15个工作日",
                 f"{item.deadline.year}年{item.deadline.month}月{item.deadline.day}日前",
                 f"测试计划 › 二、乡村 › {t.title}", "招商局"):
        assert part in table, part
    # 落款: the issuing office and the day of 交办, last.
    assert lines[-2:] == ["管委会", f"{TODAY.year}年{TODAY.month}月{TODAY.day}日"]


# ---------------------------------------------------------------- titles from a target

LONG = ("加快推进园区基础设施提档升级，完成主干道路改造提升10公里，新建雨污分流管网5.6公里，"
        "确保年底前全部投入使用")


def test_a_long_target_is_cut_at_a_clause_boundary():
    assert shorten(LONG, 40) == "加快推进园区基础设施提档升级，完成主干道路改造提升10公里"
    assert shorten("短目标", 40) == "短目标"
    # One long clause: kept whole up to twice the limit, never cut inside a word.
    clause = "推进" + "、".join(["智慧园区综合管理平台建设"] * 4)
    # Else a list cut at a 、 with 等, the whole within twice the limit (three items + 等 would be 41).
    assert shorten(clause, 20) == "推进" + "、".join(["智慧园区综合管理平台建设"] * 2) + "等"
    assert len(shorten(clause, 20)) <= 40
    # A cut never leaves a bracket or quote open.
    assert shorten("建成“五园一中心，一廊一带”项目，完成投资3亿元", 14) == "建成“五园一中心，一廊一带”项目"


def test_a_list_head_with_its_deng_stays_within_the_hard_limit():
    # Found by the property below: a 10-character head + 等 made 11 for a hard limit of 10.
    short = shorten("0000000000、00000000000", 5)
    assert len(short) <= 10 and short.endswith("…")
    assert shorten("园区企业、完成推进、建设", 5) == "园区企业、完成推进等"


@given(st.text(alphabet="园区建设推进完成企业10个，。；、“”（）", max_size=200), st.integers(5, 60))
def test_a_shortened_text_is_a_head_ending_where_a_clause_ends(text, limit):
    text = " ".join(text.split())
    short = shorten(text, limit)
    assert len(short) <= 2 * limit
    clean = text.rstrip("，。；：,;:、 ")
    if short == clean:
        return
    if short.endswith("…"):
        assert clean.startswith(short[:-1])
    elif short.endswith("等") and not clean.startswith(short):
        assert clean[len(short) - 1] == "、"
    else:
        assert clean.startswith(short) and CLAUSE_END.match(clean[len(short)])


def test_the_create_form_title_from_a_target_is_cut_at_a_clause(client, plan, users, units):
    t = make_target(plan, plan.sections.first(), units["invest"], LONG, target_value=Decimal("10"), unit="公里")
    client.force_login(users["supervisor"])
    form = client.get(reverse("supervision:create") + f"?target={t.pk}").context["form"]
    assert form.initial["title"] == "关于推进“加快推进园区基础设施提档升级，完成主干道路改造提升10公里”的督办"


# ---------------------------------------------------------------- the target picker


def picker(client, **params):
    return client.get(reverse("supervision:target_picker"), params)


@pytest.mark.parametrize(("role", "code"), [("admin", 200), ("supervisor", 200), ("leader", 403), ("invest", 403),
                                            ("agri", 403), ("village", 403), ("nounit", 403),
                                            ("invest_village", 403), ("leader_invest", 403), ("anonymous", 302)])
def test_the_picker_is_for_those_who_raise_items(client, plan, users, role, code):
    if role != "anonymous":
        client.force_login(users[role])
    assert picker(client, q="农民").status_code == code
    assert picker(client, pick=target(plan, "招引项目").pk).status_code == code


def test_the_picker_searches_targets_plans_sections_and_units_and_shows_plan_and_section(client, plan, users):
    client.force_login(users["supervisor"])
    response = picker(client, q="农民")
    ids = {t.pk for t in response.context["rows"]}
    assert ids == {target(plan, "培育新型农民").pk, target(plan, "农民收入").pk}
    page = response.content.decode()
    assert "测试计划 › 二、乡村" in page and "测试计划 › 一、招商" in page
    by_section = {t.pk for t in picker(client, q="乡村 三南").context["rows"]}  # every word must match
    assert by_section == {target(plan, "三南村").pk}
    by_unit = {t.pk for t in picker(client, q="招商局").context["rows"]}
    assert by_unit == {target(plan, "招引项目").pk, target(plan, "农民收入").pk}


def test_draft_plans_are_not_offered_nor_pickable(client, plan, users, units):
    draft = Plan.objects.create(year=plan.year + 1, title="草稿计划", source_text="", status=Plan.Status.DRAFT)
    section = Section.objects.create(plan=draft, no="一", title="农民", order=0)
    hidden = make_target(draft, section, units["agri"], "农民增收草稿目标")
    client.force_login(users["supervisor"])
    assert hidden.pk not in {t.pk for t in picker(client, q="农民").context["rows"]}
    assert picker(client, pick=hidden.pk).status_code == 404


def test_a_pick_fills_the_form_and_the_item_is_raised_on_it(client, plan, users, units):
    t = target(plan, "三南村")
    client.force_login(users["supervisor"])
    chosen = picker(client, pick=t.pk).content.decode()
    assert f'name="target" value="{t.pk}"' in chosen and "测试计划 › 二、乡村" in chosen
    response = client.post(reverse("supervision:create"), {
        "title": "督办三南村", "source_kind": "target", "target": t.pk, "source_text": "",
        "lead_unit": units["village"].pk, "day_type": "calendar",
        "deadline": f"{TODAY + dt.timedelta(days=5):%Y-%m-%d}",
    })
    assert response.status_code == 302 and SupervisionItem.objects.get().target == t


def test_the_form_shows_the_picked_target_again_after_an_error(client, plan, users):
    t = target(plan, "三南村")
    client.force_login(users["supervisor"])
    response = client.post(reverse("supervision:create"), {"title": "", "source_kind": "target", "target": t.pk,
                                                            "day_type": "calendar"})
    assert response.status_code == 200 and response.context["picked"] == t
    assert f'name="target" value="{t.pk}"' in response.content.decode()


def test_the_picker_costs_the_same_queries_for_few_or_many_matches(client, plan, users, units):
    client.force_login(users["supervisor"])
    section = plan.sections.first()

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = picker(client, q="督办候选")
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["rows"])

    for i in range(2):
        make_target(plan, section, units["invest"], f"督办候选目标{i}")
    few, shown = count()
    assert shown == 2
    for i in range(2, 40):
        make_target(plan, section, units[("invest", "agri", "village")[i % 3]], f"督办候选目标{i}")
    many, shown = count()
    assert shown == 20 and many == few


def test_evidence_through_the_api_multipart_and_listed_on_the_event(client_as, make_item):
    item = make_item(State.IN_PROGRESS)
    client = client_as("village")
    response = client.post(f"/api/supervision/items/{item.pk}/feedback/",
                           {"result": "已办结", "version": item.version, "files": [upload("台账.xlsx")]},
                           format="multipart")
    assert response.status_code == 200, response.json()
    event = next(e for e in response.json()["events"] if e["action"] == "feedback")
    [evidence] = event["attachments"]
    assert evidence["name"] == "台账.xlsx"
    assert evidence["url"] == reverse("supervision:attachment_download",
                                      args=[SupervisionAttachment.objects.get().pk])
    bad = client_as("supervisor").post(f"/api/supervision/items/{item.pk}/return/",
                                       {"comment": "补充", "version": item.version + 1}, format="json")
    assert bad.status_code == 200
    refused = client.post(f"/api/supervision/items/{item.pk}/feedback/",
                          {"result": "再报", "version": item.version + 2, "files": [upload("病毒.exe")]},
                          format="multipart")
    assert refused.status_code == 400 and refused.json()["field"] == "files"
    assert SupervisionAttachment.objects.count() == 1
