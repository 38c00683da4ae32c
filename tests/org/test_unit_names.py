"""Unit names as plans write them: aliases kept by the administrator, and the resolver that reads
a name by exact name, by alias or short name, then without level prefixes and kind suffixes."""

import pytest
from django.urls import reverse

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import describe_changes, history_for
from yuanqu.org import services
from yuanqu.org.models import OrgUnit, OrgUnitAlias
from yuanqu.org.selectors import UnitResolver, name_key, unit_tree

from ..factories import PASSWORD


@pytest.fixture
def zone(zone):
    """With 党政办公室, which plans write 党政办 or 管委会党政办."""
    return {**zone, "office": OrgUnit.objects.create(name="党政办公室", parent=zone["committee"])}


def resolve(name):
    return UnitResolver().resolve(name)


@pytest.mark.parametrize(("name", "key"), [
    ("市政务服务局", "政务服务"), ("政务服务局", "政务服务"), ("区招商局", "招商"),
    ("园区管委会党政办公室", "党政"), ("开发区社会事业局", "社会事业"), ("县农业农村局", "农业农村"),
    ("区委办", "委办"), ("招商局", "招商"), ("投资促进中心", "投资促进"), ("区 招商局", "招商"),
])
def test_name_key_drops_level_prefixes_and_one_kind_suffix_keeping_two_characters(name, key):
    assert name_key(name) == key


def test_an_exact_name_resolves_first(zone):
    match = resolve("招商局")
    assert match.unit == zone["invest"] and match.how == "name" and not match.ambiguous


def test_an_alias_and_a_short_name_resolve(zone):
    services.unit_alias_add(actor=None, unit=zone["invest"], name="投资促进局")
    by_alias, by_short = resolve("投资促进局"), resolve("社事局")
    assert (by_alias.unit, by_alias.how) == (zone["invest"], "alias")
    assert (by_short.unit, by_short.how) == (zone["social"], "alias")


def test_prefixes_and_suffixes_are_dropped_on_both_sides(zone):
    for written, unit in [("市政务服务局", "gov"), ("区招商局", "invest"), ("管委会党政办", "office"),
                          ("园区社会事业局", "social")]:
        match = resolve(written)
        assert (match.unit, match.how) == (zone[unit], "normalised"), written


def test_an_abbreviation_resolves_only_through_an_alias(zone):
    assert resolve("经发局").units == ()
    services.unit_alias_add(actor=None, unit=zone["econ"], name="经发局")
    assert resolve("经发局").unit == zone["econ"]


def test_a_name_matching_two_units_is_ambiguous_and_names_both(zone):
    city = OrgUnit.objects.create(name="市招商中心", parent=zone["committee"])
    match = resolve("区招商局")  # 招商局 and 市招商中心 both read as 招商
    assert match.ambiguous and match.unit is None
    assert set(match.units) == {zone["invest"], city}


def test_an_unknown_or_empty_name_and_an_inactive_unit_resolve_to_nothing(zone):
    services.orgunit_update(actor=None, unit=zone["gov"], data={"is_active": False})
    assert resolve("不存在的单位").units == () and resolve("").units == ()
    assert resolve("政务服务局").units == ()


def test_the_resolver_reads_the_org_in_two_queries_for_any_number_of_names(zone, django_assert_num_queries):
    with django_assert_num_queries(2):
        resolver = UnitResolver()
    with django_assert_num_queries(0):
        for name in ["招商局", "市政务服务局", "经发局", "社事局"] * 20:
            resolver.resolve(name)


# ---------------------------------------------------------------- alias services


def test_an_alias_is_logged_on_the_unit_readably(zone, users):
    services.unit_alias_add(actor=users["admin"], unit=zone["invest"], name="区招商局")
    services.unit_alias_add(actor=users["supervisor"], unit=zone["invest"], name="投资促进局")
    first, second = history_for(zone["invest"]).order_by("pk")
    assert first.before == {"alias_names": []} and first.after == {"alias_names": ["区招商局"]}
    assert second.actor == users["supervisor"]
    assert second.after == {"alias_names": ["区招商局", "投资促进局"]}
    rows = describe_changes([second])
    assert rows[0]["changes"] == [{"label": "别名", "before": "区招商局", "after": "区招商局、投资促进局"}]


@pytest.mark.parametrize(("name", "message"), [
    ("农业农村局", "“农业农村局”已是单位“农业农村局”的名称，不能作为别名。"),
    ("招商局", "“招商局”已是本单位的名称，不能作为别名。"),
    ("  ", "请填写别名。"),
])
def test_an_alias_that_is_a_units_name_or_empty_is_refused(zone, name, message):
    with pytest.raises(ApplicationError) as exc:
        services.unit_alias_add(actor=None, unit=zone["invest"], name=name)
    assert message in exc.value.message
    assert not OrgUnitAlias.objects.exists() and not history_for(zone["invest"]).exists()


def test_an_alias_of_another_unit_is_refused_and_a_unit_cannot_take_an_aliass_name(zone):
    services.unit_alias_add(actor=None, unit=zone["econ"], name="经发局")
    with pytest.raises(ApplicationError, match="已是单位“经济发展局”的别名"):
        services.unit_alias_add(actor=None, unit=zone["invest"], name="经发局")
    with pytest.raises(ApplicationError, match="已是单位“经济发展局”的别名，不能再作为单位名称"):
        services.orgunit_create(actor=None, name="经发局")


@pytest.mark.parametrize(("role", "allowed"), [
    ("admin", True), ("supervisor", True), ("leader", False), ("invest", False), ("nounit", False),
    ("invest_village", False), ("leader_invest", False),
])
def test_who_may_keep_aliases(zone, users, role, allowed):
    if allowed:
        services.unit_alias_add(actor=users[role], unit=zone["invest"], name="区招商局")
        assert OrgUnitAlias.objects.filter(unit=zone["invest"], name="区招商局").exists()
    else:
        with pytest.raises(PermissionDeniedError):
            services.unit_alias_add(actor=users[role], unit=zone["invest"], name="区招商局")
        assert not OrgUnitAlias.objects.exists()


def test_setting_aliases_replaces_them_in_one_record(zone):
    services.unit_aliases_set(actor=None, unit=zone["invest"], names=["区招商局", "投资促进局"])
    services.unit_aliases_set(actor=None, unit=zone["invest"], names=["投资促进局", "招商服务中心", "投资促进局"])
    assert services.alias_names(zone["invest"]) == ["投资促进局", "招商服务中心"]
    last = history_for(zone["invest"]).order_by("-pk").first()
    assert last.before == {"alias_names": ["区招商局", "投资促进局"]}
    assert history_for(zone["invest"]).count() == 2


# ---------------------------------------------------------------- admin


def test_the_administrator_adds_an_alias_in_the_units_admin_page_and_it_is_logged(client, users, zone):
    users["admin"].is_staff = True
    users["admin"].save()
    client.login(username=users["admin"].username, password=PASSWORD)
    unit = zone["invest"]
    data = {"name": unit.name, "short_name": "", "kind": unit.kind, "parent": unit.parent_id, "order": 0,
            "is_active": "on", "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "0", "aliases-0-name": "投资促进局"}
    response = client.post(reverse("admin:org_orgunit_change", args=[unit.pk]), data)
    assert response.status_code == 302
    assert services.alias_names(unit) == ["投资促进局"]
    record = history_for(unit).get()
    assert record.after == {"alias_names": ["投资促进局"]} and record.note == "管理后台"
    # Another unit's name as an alias is refused on the form, nothing saved.
    data.update({"aliases-TOTAL_FORMS": "2", "aliases-INITIAL_FORMS": "1",
                 "aliases-0-id": OrgUnitAlias.objects.get().pk, "aliases-0-unit": unit.pk,
                 "aliases-1-name": "农业农村局"})
    response = client.post(reverse("admin:org_orgunit_change", args=[unit.pk]), data)
    assert response.status_code == 200 and "已是单位“农业农村局”的名称" in response.content.decode()
    assert services.alias_names(unit) == ["投资促进局"]


def test_the_unit_tree_lists_each_unit_under_its_parent(zone):
    rows = [(u.name, depth) for u, depth in unit_tree()]
    assert rows.index(("三和片区", 2)) == rows.index(("农业农村局", 1)) + 1
    assert rows.index(("三南村", 3)) == rows.index(("三和片区", 2)) + 1
    assert rows[0] == ("管委会", 0) and len(rows) == OrgUnit.objects.count()
