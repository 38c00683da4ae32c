"""The unit import's 别名 column: aliases created, replaced, checked before writing, reverted."""

from yuanqu.core.imports.services import import_revert
from yuanqu.org import services
from yuanqu.org.models import OrgUnit, OrgUnitAlias
from yuanqu.org.selectors import UnitResolver

from .import_helpers import UNIT_HEADER, history_count, preview, run


def aliases() -> dict[str, str]:
    return dict(OrgUnitAlias.objects.values_list("name", "unit__name"))


def test_aliases_are_imported_shown_in_the_preview_and_resolve(users, units):
    services.unit_alias_add(actor=None, unit=units["agri"], name="农业局")
    rows = [UNIT_HEADER,
            ["招商局", "", "局/办/中心", "", "", "", "区招商局、投资促进局"],
            ["经济发展局", "", "局/办/中心", "管委会", "", "", "经发局，经济局"],
            ["农业农村局", "", "局/办/中心", "", "", "", ""]]  # blank: its alias stays
    shown = preview(users["admin"], "org.units", rows)
    assert shown.preview["updates"] == [{"row": 2, "key": "招商局", "changes": [
        ["别名", "（空）", "区招商局、投资促进局"]]}]
    batch = run(users["admin"], "org.units", rows)
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (1, 1, 1)
    assert aliases() == {"区招商局": "招商局", "投资促进局": "招商局", "经发局": "经济发展局", "经济局": "经济发展局",
                         "农业局": "农业农村局"}
    assert UnitResolver().resolve("经发局").unit.name == "经济发展局"
    count = history_count()
    assert run(users["admin"], "org.units", rows).unchanged_count == 3  # the same file again changes nothing
    assert history_count() == count


def test_a_filled_cell_replaces_the_aliases(users, units):
    services.unit_aliases_set(actor=None, unit=units["invest"], names=["区招商局", "投资促进局"])
    run(users["admin"], "org.units", [UNIT_HEADER, ["招商局", "", "局/办/中心", "", "", "", "投资促进局"]])
    assert aliases() == {"投资促进局": "招商局"}


def test_bad_aliases_are_named_by_row_and_nothing_is_written(users, units):
    services.unit_alias_add(actor=None, unit=units["agri"], name="农业局")
    batch = preview(users["admin"], "org.units", [
        UNIT_HEADER,
        ["招商局", "", "局/办/中心", "", "", "", "农业农村局"],
        ["经济发展局", "", "局/办/中心", "", "", "", "农业局、三和片区"],
        ["新局", "", "局/办/中心", "", "", "", "综合局"],
        ["另一新局", "", "局/办/中心", "", "", "", "综合局、新局"],
    ])
    assert batch.errors == [
        "第2行「别名」：别名“农业农村局”是单位名称，不能作为别名",
        "第3行「别名」：别名“三和片区”是单位名称，不能作为别名",
        "第3行「别名」：别名“农业局”已属于单位“农业农村局”",
        "第5行「别名」：别名“新局”是单位名称，不能作为别名",
        "第5行「别名」：别名“综合局”在本表中也写给了“新局”",
    ]
    assert aliases() == {"农业局": "农业农村局"} and not OrgUnit.objects.filter(name="新局").exists()


def test_revert_removes_imported_aliases_and_the_units_created_with_them(users, units):
    services.unit_alias_add(actor=None, unit=units["invest"], name="区招商局")
    batch = run(users["admin"], "org.units", [
        UNIT_HEADER,
        ["招商局", "", "局/办/中心", "", "", "", "投资促进局"],
        ["经济发展局", "", "局/办/中心", "管委会", "", "", "经发局"],
    ])
    import_revert(actor=users["admin"], batch=batch)
    assert aliases() == {"区招商局": "招商局"}
    assert not OrgUnit.objects.filter(name="经济发展局").exists()
