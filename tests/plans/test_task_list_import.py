"""A task list imported into assigned, dated, scored draft targets; its unit names mapped once
on review; the plan then activates without retyping."""

import datetime as dt
from decimal import Decimal

import pytest

from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.history import history_for
from yuanqu.core.models import ChangeRecord
from yuanqu.org.models import OrgUnit, OrgUnitAlias
from yuanqu.plans import selectors, services
from yuanqu.plans.models import Plan, Target

from .task_lists import task, task_list

TASKS = [
    task("1", "推进政务服务一网通办", lead=["市政务服务局"], deadline="2027-06-30", deadline_text="6月底完成",
         points=0.5, leader="张三"),
    task("2", "新签约亿元以上项目", lead=["招商局", "经济发展局"], coop=["社会事业局"], deadline="2027-09-30",
         deadline_text="三季度末"),
    task("3", "推进托育服务", lead=["社事局"], ongoing=True, deadline_text="持续推进", points=1),
    task("4", "完成跨年度改造工程", lead=["农业农村局"], deadline="2028-03-31", deadline_text="2028年3月底"),
    task("5", "举办投资推介会", lead=["投资促进局"], coop=["区招商局"], deadline="2027-12-31"),
    task("6", "建设招商服务平台", coop=["投资促进局", "各有关单位"]),
]


def by_item(plan: Plan) -> dict[str, Target]:
    return {t.as_written["item"]: t for t in plan.targets.prefetch_related("cooperating_units")}


def names(units) -> list[str]:
    return [u.name for u in units]


@pytest.fixture
def imported(zone, users, extracted):
    extracted(task_list(*TASKS, year=2027, title="三和片区2027年重点工作安排"))
    return services.plan_import_text(actor=users["supervisor"], text="（任务清单原文）")


def test_a_task_list_becomes_assigned_dated_scored_targets(imported, zone):
    plan = imported
    assert (plan.year, plan.title, plan.status) == (2027, "三和片区2027年重点工作安排", Plan.Status.DRAFT)
    t = by_item(plan)
    assert (t["1"].lead_unit, t["1"].deadline, t["1"].points) == (zone["gov"], dt.date(2027, 6, 30), Decimal("0.5"))
    assert t["1"].as_written == {"item": "1", "deadline_text": "6月底完成", "leader": "张三",
                                 "lead_units": ["市政务服务局"]}
    # Two leads: the first leads, the second cooperates beside the cooperating unit; names kept as written.
    assert t["2"].lead_unit == zone["invest"]
    assert names(t["2"].cooperating_units.all()) == ["经济发展局", "社会事业局"]
    assert t["2"].as_written["lead_units"] == ["招商局", "经济发展局"]
    # 持续推进: no date, the period ends with the plan year, shown as ongoing.
    assert (t["3"].deadline, t["3"].period_end, t["3"].as_written["ongoing"]) == (None, dt.date(2027, 12, 31), True)
    assert t["3"].lead_unit == zone["social"] and t["3"].points == 1
    # A deadline in another year is kept, and flagged.
    assert t["4"].deadline == dt.date(2028, 3, 31) and t["4"].deadline_outside_year
    assert not t["1"].deadline_outside_year and not t["3"].deadline_outside_year


def test_unmatched_names_stay_on_the_targets_for_mapping_and_nothing_is_guessed(imported, zone):
    t = by_item(imported)
    assert t["5"].lead_unit is None and t["5"].unmapped_units == ["投资促进局"]
    assert names(t["5"].cooperating_units.all()) == ["招商局"]  # 区招商局, resolved without its prefix
    assert t["6"].lead_unit is None and t["6"].unmapped_units == ["投资促进局", "各有关单位"]
    rows = selectors.unmapped_unit_names(imported.targets.all())
    assert [(r.name, r.targets, r.as_lead, r.candidates) for r in rows] == [
        ("投资促进局", 2, 1, ()), ("各有关单位", 1, 0, ())]


def test_the_import_is_recorded_with_the_filled_fields(imported, zone):
    first = by_item(imported)["1"]
    record = history_for(first).get()
    assert record.action == ChangeRecord.Action.IMPORT
    assert record.after["deadline"] == "2027-06-30"
    assert (record.after["points"], record.after["lead_unit"]) == ("0.5", zone["gov"].pk)


def test_a_name_matching_two_units_is_offered_for_mapping_and_nothing_is_assigned(zone, users, extracted):
    city = OrgUnit.objects.create(name="市招商中心", parent=zone["committee"])
    extracted(task_list(task("1", "招商引资", lead=["区招商局"], coop=["区招商局"]), year=2027))
    plan = services.plan_import_text(actor=users["supervisor"], text="…")
    target = plan.targets.get()
    assert target.lead_unit is None and not target.cooperating_units.exists()
    (row,) = selectors.unmapped_unit_names([target])
    assert row.name == "区招商局" and set(row.candidates) == {zone["invest"], city}


def test_the_year_and_title_given_win_over_the_texts(zone, users, extracted):
    extracted(task_list(task("1", "任务", lead=["招商局"]), year=2027, title="原文标题"))
    plan = services.plan_import_text(actor=users["supervisor"], text="…", year=2028, title="督查室的标题")
    assert (plan.year, plan.title) == (2028, "督查室的标题")


@pytest.mark.parametrize(("draft", "kwargs", "message"), [
    (task_list(task("1", "任务")), {}, "计划原文中没有写明年度，请填写计划年度（如 2026）。"),
    (task_list(task("1", "任务"), year=2027), {"year": 1999}, "年度“1999”不在 2000–2100 之间。"),
    (task_list(task("1", "任务", deadline="2027-13-31", deadline_text="13月底"), year=2027), {},
     "第1个目标的完成期限“13月底”不是有效日期"),
    (task_list(task("1", "任务", points="半分"), year=2027), {}, "第1个目标的分值"),
])
def test_bad_input_gets_a_chinese_message_and_nothing_is_written(zone, users, extracted, draft, kwargs, message):
    extracted(draft)
    with pytest.raises(ApplicationError) as exc:
        services.plan_import_text(actor=users["supervisor"], text="…", **kwargs)
    assert message in exc.value.message
    assert not Plan.objects.exists() and not Target.objects.exists() and not ChangeRecord.objects.exists()


# ---------------------------------------------------------------- mapping


def test_mapping_a_name_fills_every_target_carrying_it_in_its_place(imported, zone, users):
    result = services.plan_map_unit_name(actor=users["supervisor"], plan=imported, name="投资促进局",
                                         unit=zone["invest"].pk, expected_version=imported.version)
    assert (result["unit"], result["targets"]) == (zone["invest"], 2)
    t = by_item(imported)
    assert t["5"].lead_unit == zone["invest"] and t["5"].unmapped_units == []  # it was the lead as written
    assert "unmapped" not in t["5"].as_written
    assert t["6"].lead_unit is None and names(t["6"].cooperating_units.all()) == ["招商局"]  # it cooperated
    assert t["6"].unmapped_units == ["各有关单位"]
    assert t["2"].version == 1  # targets without the name are untouched
    record = history_for(t["5"]).filter(action=ChangeRecord.Action.UPDATE).get()
    assert record.note == "单位名称“投资促进局”对应为“招商局”" and record.after["lead_unit"] == zone["invest"].pk
    imported.refresh_from_db()
    assert imported.version == 2
    assert history_for(imported).filter(action=ChangeRecord.Action.UPDATE).get().note.endswith("2个目标")
    assert not OrgUnitAlias.objects.exists()


def test_a_mapping_kept_as_alias_resolves_on_the_next_import(imported, zone, users, extracted):
    services.plan_map_unit_name(actor=users["supervisor"], plan=imported, name="投资促进局",
                                unit=zone["invest"].pk, keep_alias=True)
    assert OrgUnitAlias.objects.get().unit == zone["invest"]
    extracted(task_list(*TASKS, year=2028))
    again = by_item(services.plan_import_text(actor=users["supervisor"], text="…"))
    assert again["5"].lead_unit == zone["invest"] and again["5"].unmapped_units == []
    assert again["6"].unmapped_units == ["各有关单位"]


def test_an_ignored_name_is_dropped_without_a_unit(imported, users):
    services.plan_map_unit_name(actor=users["supervisor"], plan=imported, name="各有关单位", ignore=True)
    t = by_item(imported)["6"]
    assert t.unmapped_units == ["投资促进局"] and not t.cooperating_units.exists()


def test_the_administrator_creates_the_unit_while_mapping(imported, zone, users):
    services.plan_map_unit_name(actor=users["admin"], plan=imported, name="投资促进局",
                                new_unit={"name": "投资促进局", "parent": zone["committee"].pk})
    unit = OrgUnit.objects.get(name="投资促进局")
    assert unit.parent == zone["committee"] and by_item(imported)["5"].lead_unit == unit


def _untouched(plan: Plan) -> tuple:
    return (Plan.objects.get(pk=plan.pk).version, sorted(plan.targets.values_list("pk", "version", "as_written")),
            OrgUnit.objects.count(), OrgUnitAlias.objects.count(), ChangeRecord.objects.count())


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"unit": 99999}, ApplicationError, "单位“99999”不存在。"),
    ({"unit": "abc"}, ApplicationError, "单位“abc”不存在。"),
    ({}, ApplicationError, "请为“投资促进局”选择对应的单位。"),
    ({"unit": "invest", "expected_version": 7}, ConflictError, "已被他人修改（当前为第1版，您提交的是第7版）"),
    ({"unit": "invest", "name": "财政局"}, ApplicationError, "本计划中没有待对应的单位名称“财政局”"),
    ({"unit": "gone"}, ApplicationError, "单位“旧单位”已停用"),
    ({"new_unit": {"name": "投资促进局"}}, PermissionDeniedError, "只有系统管理员可以新增单位。"),
    ({"new_unit": {"name": "招商局"}, "actor": "admin"}, ApplicationError, "单位名称“招商局”已存在。"),
    ({"unit": "invest", "keep_alias": True, "name": "各有关单位", "actor": "admin"}, None, None),
])
def test_bad_mappings_get_a_chinese_message_and_write_nothing(imported, zone, users, kwargs, error, message):
    kwargs = {"name": "投资促进局", "actor": "supervisor", **kwargs}
    if kwargs.get("unit") == "invest":
        kwargs["unit"] = zone["invest"].pk
    if kwargs.get("unit") == "gone":
        kwargs["unit"] = OrgUnit.objects.create(name="旧单位", is_active=False).pk
    before = _untouched(imported)
    if error is None:  # the control: the same call with good input writes
        services.plan_map_unit_name(plan=imported, **{**kwargs, "actor": users[kwargs["actor"]]})
        assert _untouched(imported) != before and OrgUnitAlias.objects.get().name == "各有关单位"
        return
    with pytest.raises(error) as exc:
        services.plan_map_unit_name(plan=imported, **{**kwargs, "actor": users[kwargs["actor"]]})
    assert message in exc.value.message
    assert _untouched(imported) == before


def test_an_alias_that_would_clash_undoes_the_whole_mapping(imported, zone, users):
    services.plan_map_unit_name(actor=users["supervisor"], plan=imported, name="投资促进局",
                                unit=zone["econ"].pk, keep_alias=False)
    OrgUnitAlias.objects.create(unit=zone["econ"], name="各有关单位")
    before = _untouched(imported)
    with pytest.raises(ApplicationError, match="已是单位“经济发展局”的别名"):
        services.plan_map_unit_name(actor=users["supervisor"], plan=imported, name="各有关单位",
                                    unit=zone["invest"].pk, keep_alias=True)
    assert _untouched(imported) == before


@pytest.mark.parametrize(("role", "allowed"), [
    ("admin", True), ("supervisor", True), ("leader", False), ("invest", False), ("agri", False),
    ("village", False), ("nounit", False), ("invest_village", False), ("leader_invest", False),
])
def test_only_those_who_may_edit_the_plan_map_names(imported, zone, users, role, allowed):
    call = {"actor": users[role], "plan": imported, "name": "投资促进局", "unit": zone["invest"].pk}
    if allowed:
        assert services.plan_map_unit_name(**call)["targets"] == 2
    else:
        before = _untouched(imported)
        with pytest.raises(PermissionDeniedError, match="只有督查室或管理员可以对应单位名称"):
            services.plan_map_unit_name(**call)
        assert _untouched(imported) == before


# ---------------------------------------------------------------- activation and bulk corrections


def test_a_fully_mapped_task_list_activates_without_retyping(imported, zone, users):
    with pytest.raises(ApplicationError) as exc:
        services.plan_activate(actor=users["supervisor"], plan=imported)
    assert "还有2个目标未指定牵头单位（其中2个的单位名称尚待对应" in exc.value.message
    services.plan_map_unit_name(actor=users["supervisor"], plan=imported, name="投资促进局", unit=zone["invest"].pk)
    services.plan_map_unit_name(actor=users["supervisor"], plan=imported, name="各有关单位", ignore=True)
    # Task 6 named no lead at all: the office gives it one, as for any target.
    six = by_item(imported)["6"]
    services.target_bulk_assign(actor=users["supervisor"], plan=imported, versions={six.pk: six.version},
                                lead_unit=zone["econ"].pk)
    plan = services.plan_activate(actor=users["supervisor"], plan=imported)
    assert plan.status == Plan.Status.ACTIVE
    assert by_item(plan)["1"].deadline == dt.date(2027, 6, 30)


def test_bulk_correction_sets_deadline_and_points_and_leaves_the_rest(imported, zone, users):
    t = by_item(imported)
    picked = {t["1"].pk: t["1"].version, t["3"].pk: None}
    services.target_bulk_assign(actor=users["supervisor"], plan=imported, versions=picked,
                                deadline="2027-10-31", points="2")
    t = by_item(imported)
    assert (t["1"].deadline, t["1"].points, t["1"].lead_unit) == (dt.date(2027, 10, 31), 2, zone["gov"])
    assert (t["3"].deadline, t["3"].points, t["3"].lead_unit) == (dt.date(2027, 10, 31), 2, zone["social"])
    assert t["2"].deadline == dt.date(2027, 9, 30)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "请选择牵头单位，或填写完成期限、分值。"),
    ({"deadline": "2027-13-01"}, "完成期限"),
    ({"points": "-1"}, "分值不能为负数。"),
    ({"deadline": "2026-06-30"}, "完成期限（2026-06-30）不能早于起始日期（2027-01-01）。"),
    ({"lead_unit": 99999}, "牵头单位“99999”不存在。"),
])
def test_bad_bulk_corrections_write_nothing(imported, users, kwargs, message):
    t = by_item(imported)
    before = _untouched(imported)
    with pytest.raises(ApplicationError) as exc:
        services.target_bulk_assign(actor=users["supervisor"], plan=imported,
                                    versions={t["1"].pk: 1, t["2"].pk: 1}, **kwargs)
    assert message in exc.value.message
    assert _untouched(imported) == before


# ---------------------------------------------------------------- the year: command and API


def test_the_command_takes_the_year_from_the_text_or_says_it_is_missing(zone, extracted, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    path = tmp_path / "任务清单.txt"
    path.write_text("（任务清单原文）", encoding="utf-8")
    extracted(task_list(task("1", "任务", lead=["投资促进局"]), year=2027, title="三和片区2027年重点工作安排"))
    out = StringIO()
    call_command("plan", "import", str(path), stdout=out)
    assert "2027年 三和片区2027年重点工作安排" in out.getvalue()
    assert "有 1 个单位名称未能对应到单位（如“投资促进局”），请在审阅页对应。" in out.getvalue()
    extracted(task_list(task("1", "任务")))
    with pytest.raises(CommandError, match="计划原文中没有写明年度，请填写计划年度"):
        call_command("plan", "import", str(path), stdout=StringIO())
    assert Plan.objects.count() == 1


def test_the_api_import_takes_the_year_from_the_text_or_says_it_is_missing(zone, client_as, extracted):
    client = client_as("supervisor")
    extracted(task_list(task("1", "任务", lead=["招商局"], deadline="2027-06-30", points=2), year=2027))
    created = client.post("/api/plans/plans/import/", {"text": "（任务清单原文）"}, format="json")
    assert created.status_code == 201 and created.json()["year"] == 2027
    extracted(task_list(task("1", "任务")))
    refused = client.post("/api/plans/plans/import/", {"text": "（任务清单原文）"}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"message": "计划原文中没有写明年度，请填写计划年度（如 2026）。", "field": "year", "extra": {}}
    assert Plan.objects.count() == 1
