"""Leaders' 批示 on a target or a 督办单, and the 督查室 raising a 督办单 from one."""

import pytest
from django.urls import reverse

from tests.factories import target
from tests.plans.api.conftest import count_queries
from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.models import ChangeRecord, Notification
from yuanqu.supervision import services
from yuanqu.supervision.models import Instruction, SupervisionItem

HX = {"HTTP_HX_REQUEST": "true"}
# Writing a 批示 on 招引项目 (led by 招商局): leaders only; those who do not see the target get 404.
WRITE = {"leader": 302, "leader_invest": 302, "supervisor": 403, "admin": 403, "invest": 403, "agri": 404,
         "village": 404, "nounit": 404, "anon": 302}
# Raising a 督办单 from a 批示: the 督查室 and administrators.
RAISE = {"supervisor": 200, "admin": 200, "leader": 403, "leader_invest": 403, "invest": 403, "agri": 403,
         "village": 403, "nounit": 403}
# Reading the 批示 panel of 招引项目: whoever reads the target.
READ = {"leader": 200, "supervisor": 200, "admin": 200, "invest": 200, "invest_village": 200, "agri": 404,
        "village": 404, "nounit": 404}


def _instruct(users, plan, text="请加快进度，月底前报进展。", **kw):
    return services.instruction_create(actor=users["leader"], target=target(plan, "招引项目"), text=text, **kw)


@pytest.mark.parametrize("role", WRITE)
def test_who_may_write_a_instruction_on_a_target(client, users, plan, role):
    if role != "anon":
        client.force_login(users[role])
    t = target(plan, "招引项目")
    before = (Instruction.objects.count(), ChangeRecord.objects.count(), Notification.objects.count())
    response = client.post(reverse("supervision:instruction_create"), {"target": t.pk, "text": "抓紧推进"})
    assert response.status_code == WRITE[role], role
    if role in {"leader", "leader_invest"}:
        (ins,) = Instruction.objects.all()
        assert (ins.target, ins.author, ins.text) == (t, users[role], "抓紧推进")
        assert response["Location"] == reverse("plans:target_detail", args=[t.pk]) + "#instructions"
    else:
        assert (Instruction.objects.count(), ChangeRecord.objects.count(), Notification.objects.count()) == before


@pytest.mark.parametrize("role", RAISE)
def test_who_may_raise_a_supervision_item_from_a_instruction(client, users, plan, role):
    ins = _instruct(users, plan, wants_item=True)
    client.force_login(users[role])
    response = client.get(reverse("supervision:create"), {"instruction": ins.pk})
    assert response.status_code == RAISE[role]


@pytest.mark.parametrize("role", READ)
def test_the_instruction_panel_is_read_by_whoever_reads_the_target(client, users, plan, role):
    _instruct(users, plan)
    client.force_login(users[role])
    response = client.get(reverse("supervision:target_instructions", args=[target(plan, "招引项目").pk]))
    assert response.status_code == READ[role]
    if READ[role] == 200:
        html = response.content.decode()
        assert "请加快进度，月底前报进展。" in html and str(users["leader"]) in html
        assert ('name="text"' in html) == (role == "leader")  # only a leader gets the form
        assert ("据此立项督办" in html) == (role in {"supervisor", "admin"})


def test_a_instruction_is_recorded_with_who_and_when_and_the_office_hears_of_it(users, plan):
    ins = _instruct(users, plan, wants_item=True)
    record = ChangeRecord.objects.get(object_id=ins.pk, action="create", content_type__model="instruction")
    assert record.actor == users["leader"] and record.after["text"] == "请加快进度，月底前报进展。"
    notice = Notification.objects.get(recipient=users["supervisor"])
    assert "批示" in notice.title and "请立项督办" in notice.title and "招引项目" in notice.title
    assert notice.url.endswith("#instructions") and "请加快进度" in notice.body
    assert not Notification.objects.filter(recipient__in=[users["invest"], users["admin"]]).exists()


def test_a_later_instruction_adds_to_the_record_and_the_page_shows_both_newest_first(client, users, plan):
    first = _instruct(users, plan, text="第一次批示")
    second = _instruct(users, plan, text="第二次批示：请再提速")
    client.force_login(users["supervisor"])
    response = client.get(reverse("supervision:target_instructions", args=[target(plan, "招引项目").pk]))
    html = response.content.decode()
    assert html.index("第二次批示") < html.index("第一次批示")
    assert [i.pk for i in response.context["instructions"]] == [second.pk, first.pk]


@pytest.mark.parametrize(("text", "message"), [("", "请填写批示内容。"), ("   ", "请填写批示内容。"),
                                               ("批" * 2001, "不能超过2000字")])
def test_an_empty_or_overlong_instruction_is_refused_and_nothing_is_written(users, plan, text, message):
    with pytest.raises(ApplicationError, match=message):
        _instruct(users, plan, text=text)
    assert not Instruction.objects.exists() and not Notification.objects.exists()


def test_a_refused_instruction_through_the_page_keeps_what_was_typed(client, users, plan):
    client.force_login(users["leader"])
    t = target(plan, "招引项目")
    response = client.post(reverse("supervision:instruction_create"), {"target": t.pk, "text": "", "wants_item": "on"},
                           **HX)
    html = response.content.decode()
    assert response.status_code == 200 and "请填写批示内容。" in html and "checked" in html
    response = client.post(reverse("supervision:instruction_create"), {"target": t.pk, "text": "请研究"}, **HX)
    assert "请研究" in response.content.decode() and "批示已记录" in response.content.decode()


def test_a_target_in_a_draft_plan_cannot_be_instructed(users, plan):
    plan.status = "draft"
    plan.save()
    with pytest.raises(ApplicationError, match="草稿计划"):
        _instruct(users, plan)


def test_only_leaders_write_instructions_in_the_service(users, plan):
    with pytest.raises(PermissionDeniedError, match="只有领导"):
        services.instruction_create(actor=users["supervisor"], target=target(plan, "招引项目"), text="x")


def test_the_office_raises_a_supervision_item_from_a_instruction_in_one_form(client, users, units, plan):
    ins = _instruct(users, plan, wants_item=True)
    client.force_login(users["supervisor"])
    form = client.get(reverse("supervision:create"), {"instruction": ins.pk}).context["form"]
    assert form.initial["source_kind"] == "leader_instruction" and form.initial["lead_unit"] == units["invest"].pk
    assert "请加快进度，月底前报进展。" in form.initial["source_text"] and str(users["leader"]) in form.initial["source_text"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["assisting_units"] = data.get("assisting_units") or []
    response = client.post(reverse("supervision:create"), {**data, "from_instruction": ins.pk})
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    item = SupervisionItem.objects.get()
    ins.refresh_from_db()
    assert ins.raised_item == item and item.source_kind == "leader_instruction" and item.target == ins.target
    assert item.lead_unit == units["invest"]
    # The 批示 now links to its 督办单, and no second one can be raised from it.
    panel = client.get(reverse("supervision:target_instructions", args=[ins.target_id])).content.decode()
    assert item.number in panel and "据此立项督办" not in panel
    with pytest.raises(ConflictError, match="已立项为"):
        services.instruction_raise(actor=users["supervisor"], instruction=ins, data=data)
    assert SupervisionItem.objects.count() == 1


def test_a_leader_cannot_raise_a_supervision_item_through_the_service(users, plan):
    ins = _instruct(users, plan, wants_item=True)
    with pytest.raises(PermissionDeniedError, match="只有督查室"):
        services.instruction_raise(actor=users["leader"], instruction=ins, data={"title": "x"})
    assert not SupervisionItem.objects.exists()


def test_a_instruction_on_a_supervision_item_shows_on_its_page_and_raises_a_follow_up(client, users, units, make_item):
    item = make_item(lead="agri")
    client.force_login(users["leader"])
    client.post(reverse("supervision:instruction_create"), {"item": item.pk, "text": "请督查室跟踪问效", "wants_item": "on"})
    ins = Instruction.objects.get()
    assert ins.item == item and ins.target is None
    page = client.get(reverse("supervision:detail", args=[item.pk])).content.decode()
    assert "请督查室跟踪问效" in page and 'id="instructions"' in page
    client.force_login(users["supervisor"])
    form = client.get(reverse("supervision:create"), {"instruction": ins.pk}).context["form"]
    assert form.initial["lead_unit"] == units["agri"].pk and item.number in form.initial["title"]


def test_the_office_list_of_instructions_to_raise(client, users, plan, units):
    client.force_login(users["supervisor"])
    url = reverse("supervision:instruction_list")

    def grow(n):
        for i in range(n):
            _instruct(users, plan, text=f"批示{i}", wants_item=True)

    grow(2)
    small = count_queries(lambda: client.get(url))
    grow(6)
    response = []
    assert count_queries(lambda: response.append(client.get(url))) == small
    assert len(response[0].context["pending"]) == 8
    _instruct(users, plan, text="仅作批示")  # not asking for an item: not on the office's list
    assert len(client.get(url).context["pending"]) == 8
    client.force_login(users["invest"])
    assert client.get(url).status_code == 403


def test_the_target_page_loads_the_instruction_panel(client, users, plan):
    client.force_login(users["leader"])
    t = target(plan, "招引项目")
    html = client.get(reverse("plans:target_detail", args=[t.pk])).content.decode()
    assert f'hx-get="{reverse("supervision:target_instructions", args=[t.pk])}"' in html
