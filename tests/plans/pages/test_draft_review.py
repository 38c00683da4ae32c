"""The draft review page: reading the extracted plan, correcting targets, putting the plan in force."""

from django.urls import reverse

from tests.factories import target
from yuanqu.core.history import history_for
from yuanqu.core.models import ChangeRecord
from yuanqu.plans import services
from yuanqu.plans.models import Plan, Target

HX = {"HTTP_HX_REQUEST": "true"}


def _edit_data(t: Target, **changes) -> dict:
    data = {
        "title": t.title, "indicator": t.indicator, "kind": t.kind, "comparator": t.comparator,
        "target_value": str(t.target_value or ""), "target_value_max": "", "unit": t.unit, "deadline": "",
        "weight": "1", "lead_unit": t.lead_unit_id or "", "expected_version": t.version,
    }
    data.update(changes)
    return data


def test_review_page_shows_the_text_with_marks_and_the_tree(client, users, draft):
    client.force_login(users["supervisor"])
    response = client.get(reverse("plans:plan_review", args=[draft.pk]))
    html = response.content.decode()
    roads = target(draft, "新建农村公路")
    assert f'<mark class="src" data-targets="{roads.pk}">新建农村公路10公里</mark>' in html
    assert "一是 招大引强" in html and f'id="tcard-{roads.pk}"' in html
    assert response.context["missing_lead"] == 2
    assert 'id="bulk-form"' in html


def test_overlapping_spans_become_one_mark_listing_both_targets(client, users, draft):
    first = target(draft, "全年招引")
    twin = Target.objects.create(plan=draft, section=first.section, title="同一句中的第二个目标",
                                 source_start=first.source_start, source_end=first.source_end)
    client.force_login(users["supervisor"])
    html = client.get(reverse("plans:plan_review", args=[draft.pk])).content.decode()
    assert f'data-targets="{first.pk} {twin.pk}"' in html
    assert html.count("全年招引亿元以上项目20个以上</mark>") == 1


def test_inline_edit_saves_through_the_service_and_returns_the_card(client, users, units, draft):
    roads = target(draft, "新建农村公路")
    client.force_login(users["supervisor"])
    form = client.get(reverse("plans:target_edit", args=[roads.pk]), **HX)
    assert f'name="expected_version" value="{roads.version}"' in form.content.decode()
    response = client.post(
        reverse("plans:target_edit", args=[roads.pk]),
        _edit_data(roads, target_value="12", lead_unit=units["agri"].pk, cooperating_units=[units["village"].pk]),
        **HX,
    )
    html = response.content.decode()
    assert f'id="tcard-{roads.pk}"' in html and "已保存" in html and "农业农村局" in html
    roads.refresh_from_db()
    assert (roads.target_value, roads.lead_unit_id, roads.version) == (12, units["agri"].pk, 2)
    assert list(roads.cooperating_units.values_list("pk", flat=True)) == [units["village"].pk]
    assert history_for(roads).filter(action=ChangeRecord.Action.UPDATE).count() == 1


def test_an_edit_over_a_stale_version_is_refused_with_a_clear_message(client, users, draft):
    roads = target(draft, "新建农村公路")
    seen = roads.version
    services.target_update(actor=users["admin"], target=roads, data={"unit": "千米"})
    client.force_login(users["supervisor"])
    response = client.post(reverse("plans:target_edit", args=[roads.pk]),
                           _edit_data(roads, title="被覆盖的标题", expected_version=seen), **HX)
    html = response.content.decode()
    assert "已被他人修改" in html and "载入最新版本" in html
    roads.refresh_from_db()
    assert roads.title == "新建农村公路10公里" and roads.unit == "千米"


def test_a_bad_number_in_the_edit_form_names_the_field(client, users, draft):
    roads = target(draft, "新建农村公路")
    client.force_login(users["supervisor"])
    response = client.post(reverse("plans:target_edit", args=[roads.pk]),
                           _edit_data(roads, target_value="十公里"), **HX)
    assert any("目标值" in e for e in response.context["form"].errors["target_value"])
    roads.refresh_from_db()
    assert roads.version == 1


def test_delete_is_soft_and_keeps_history(client, users, draft):
    roads = target(draft, "新建农村公路")
    client.force_login(users["supervisor"])
    response = client.post(reverse("plans:target_delete", args=[roads.pk]),
                           {"expected_version": roads.version}, **HX)
    # The card disappears (nothing but the out-of-band counts comes back).
    assert response.status_code == 200 and "tcard-" not in response.content.decode()
    roads = Target.objects.get(pk=roads.pk)
    assert roads.deleted_at is not None
    assert history_for(roads).filter(action=ChangeRecord.Action.DELETE).exists()
    page = client.get(reverse("plans:plan_review", args=[draft.pk])).content.decode()
    assert f'id="tcard-{roads.pk}"' not in page
    assert client.get(reverse("plans:target_detail", args=[roads.pk])).status_code == 404


def test_delete_over_a_stale_version_keeps_the_target(client, users, draft):
    roads = target(draft, "新建农村公路")
    client.force_login(users["supervisor"])
    response = client.post(reverse("plans:target_delete", args=[roads.pk]), {"expected_version": 99}, **HX)
    assert "已被他人修改" in response.content.decode()
    assert Target.objects.get(pk=roads.pk).deleted_at is None


def test_add_a_target_to_a_section(client, users, units, draft):
    section = draft.sections.get(no="二")
    client.force_login(users["supervisor"])
    url = reverse("plans:target_create", args=[draft.pk, section.pk])
    assert 'name="title"' in client.get(url, **HX).content.decode()
    response = client.post(url, {"title": "建成村级污水处理设施5座", "kind": "quantity", "comparator": ">=",
                                 "target_value": "5", "unit": "座", "weight": "1", "lead_unit": units["agri"].pk},
                           **HX)
    html = response.content.decode()
    created = draft.targets.get(title="建成村级污水处理设施5座")
    assert f'hx-swap-oob="beforeend:#sec-{section.pk}-loose"' in html and f'id="tcard-{created.pk}"' in html
    assert created.section == section and created.lead_unit == units["agri"]


def test_activate_is_refused_while_a_target_has_no_lead_unit_then_succeeds(client, users, units, draft):
    client.force_login(users["supervisor"])
    review = reverse("plans:plan_review", args=[draft.pk])
    response = client.post(reverse("plans:plan_activate", args=[draft.pk]), {"next": review}, follow=True)
    html = response.content.decode()
    assert "还有2个目标未指定牵头单位" in html and "新建农村公路10公里" in html
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT

    picks = [f"{t.pk}:{t.version}" for t in draft.targets.filter(lead_unit__isnull=True)]
    response = client.post(reverse("plans:plan_bulk", args=[draft.pk]),
                           {"pick": picks, "action": "assign", "lead_unit": units["invest"].pk}, follow=True)
    assert "已为2个目标指定牵头单位" in response.content.decode()
    assert not draft.targets.filter(lead_unit__isnull=True).exists()

    client.post(reverse("plans:plan_activate", args=[draft.pk]), {"next": review})
    draft.refresh_from_db()
    assert draft.status == Plan.Status.ACTIVE
    page = client.get(review)
    assert page.status_code == 200 and not page.context["editable"]
    assert 'id="bulk-form"' not in page.content.decode()
    roads = target(draft, "新建农村公路")
    assert client.post(reverse("plans:target_edit", args=[roads.pk]), _edit_data(roads), **HX).status_code == 403


def test_bulk_assign_over_a_stale_selection_changes_nothing(client, users, units, draft):
    roads = target(draft, "新建农村公路")
    client.force_login(users["supervisor"])
    response = client.post(reverse("plans:plan_bulk", args=[draft.pk]),
                           {"pick": [f"{roads.pk}:{roads.version + 1}"], "action": "assign",
                            "lead_unit": units["invest"].pk}, follow=True)
    assert "已被他人修改" in response.content.decode()
    roads.refresh_from_db()
    assert roads.lead_unit is None


def test_merge_selected_targets(client, users, draft):
    a, b = target(draft, "新建农村公路"), target(draft, "完成农房改造")
    client.force_login(users["supervisor"])
    response = client.post(reverse("plans:plan_bulk", args=[draft.pk]),
                           {"pick": [f"{a.pk}:{a.version}", f"{b.pk}:{b.version}"], "action": "merge"},
                           follow=True)
    assert "已将2个目标合并" in response.content.decode()
    kept = Target.objects.get(pk=a.pk)
    assert kept.deleted_at is None and kept.title == "新建农村公路10公里，完成农房改造300户"
    assert Target.objects.get(pk=b.pk).deleted_at is not None


def test_merge_needs_two_targets(client, users, draft):
    a = target(draft, "新建农村公路")
    client.force_login(users["supervisor"])
    response = client.post(reverse("plans:plan_bulk", args=[draft.pk]),
                           {"pick": [f"{a.pk}:{a.version}"], "action": "merge"}, follow=True)
    assert "请至少选择两个目标" in response.content.decode()


def test_leaders_cannot_edit_drafts(client, users, draft):
    roads = target(draft, "新建农村公路")
    client.force_login(users["leader"])
    assert client.post(reverse("plans:target_edit", args=[roads.pk]), _edit_data(roads)).status_code == 403
    assert client.post(reverse("plans:target_delete", args=[roads.pk]), {}).status_code == 403
    assert Target.objects.get(pk=roads.pk).deleted_at is None
