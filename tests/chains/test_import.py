"""Importing a chain's nodes from an indented sheet: levels by column or by a 层级 column, or a
上级编码 column; errors named by row and column; re-import changes nothing; revert."""

import io

import pytest
from python_calamine import CalamineWorkbook

from yuanqu.chains import services
from yuanqu.chains.models import ChainNode
from yuanqu.core.errors import ApplicationError
from yuanqu.core.imports.services import import_apply, import_preview, import_revert
from yuanqu.core.models import ChangeRecord, ImportBatch

from ..core.spreadsheets import xlsx
from ..org.import_helpers import assert_errors

KEY = "chains.nodes"


@pytest.fixture
def empty_chain(units):
    return services.chain_create(actor=None, data={"name": "智能制造", "lead_unit": units["invest"]})


def preview(user, rows):
    return import_preview(actor=user, importer_key=KEY, file_name="节点.xlsx", data=xlsx(rows))


def tree(chain):
    """code → parent code, segment."""
    return {n.code: (n.parent.code if n.parent else None, n.segment)
            for n in ChainNode.objects.filter(chain=chain).select_related("parent")}


INDENTED = [
    ["产业链", "编码", "一级", "二级", "三级", "环节"],
    ["智能制造", "U", "上游", None, None, "上游"],
    [None, "U1", None, "精密减速器", None, None],       # the chain is carried down from the row above
    [None, "U1.1", None, None, "RV减速器", None],
    [None, "U1.2", None, None, "谐波减速器", None],
    [None, "U2", None, "伺服电机与驱动", None, None],
    [None, "M", "中游", None, None, "中游"],
    [None, "M1", None, "工业机器人本体", None, None],
]


def test_an_indented_sheet_becomes_the_tree(users, empty_chain):
    batch = preview(users["admin"], INDENTED)
    assert batch.errors == []
    assert batch.created_count == 7
    import_apply(actor=users["admin"], batch=batch)
    assert tree(empty_chain) == {
        "U": (None, "up"), "U1": ("U", "up"), "U1.1": ("U1", "up"), "U1.2": ("U1", "up"),
        "U2": ("U", "up"), "M": (None, "mid"), "M1": ("M", "mid"),
    }
    u11 = ChainNode.objects.get(chain=empty_chain, code="U1.1")
    assert u11.path.startswith(ChainNode.objects.get(chain=empty_chain, code="U1").path)


def test_a_level_column_and_a_parent_code_column_read_the_same(users, empty_chain):
    rows = [["产业链", "编码", "节点名称", "层级", "环节"],
            ["智能制造", "U", "上游", 1, "上游"],
            ["智能制造", "U1", "精密减速器", 2, None],
            ["智能制造", "U1.1", "RV减速器", "3", None],
            ["智能制造", "M", "中游", 1, "中游"]]
    batch = preview(users["admin"], rows)
    assert batch.errors == []
    import_apply(actor=users["admin"], batch=batch)
    by_level = tree(empty_chain)
    by_parent = [["产业链", "编码", "节点名称", "上级编码", "环节"],
                 ["智能制造", "U1.1", "RV减速器", "U1", None],     # parents may come later in the file
                 ["智能制造", "U1.2", "谐波减速器", "U1", None]]
    batch = preview(users["admin"], by_parent)
    assert batch.errors == [] and (batch.created_count, batch.unchanged_count) == (1, 1)
    import_apply(actor=users["admin"], batch=batch)
    assert tree(empty_chain) == {**by_level, "U1.2": ("U1", "up")}


def test_the_same_file_twice_changes_nothing_and_revert_removes_the_nodes(users, empty_chain):
    first = import_apply(actor=users["admin"], batch=preview(users["admin"], INDENTED))
    assert first.status == ImportBatch.Status.APPLIED
    records = ChangeRecord.objects.count()
    second = preview(users["admin"], INDENTED)
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 7)
    assert ChangeRecord.objects.count() == records
    import_revert(actor=users["admin"], batch=first)
    assert not ChainNode.objects.filter(chain=empty_chain).exists()


def test_a_renamed_node_is_an_update_of_that_node_only(users, empty_chain):
    import_apply(actor=users["admin"], batch=preview(users["admin"], INDENTED))
    rows = [list(r) for r in INDENTED]
    rows[2][3] = "精密减速器（RV/谐波）"
    batch = preview(users["admin"], rows)
    assert (batch.updated_count, batch.unchanged_count) == (1, 6)
    assert batch.preview["updates"][0]["changes"] == [["节点名称", "精密减速器", "精密减速器（RV/谐波）"]]


def test_every_bad_row_is_named_and_nothing_is_written(users, empty_chain):
    rows = [
        ["产业链", "编码", "一级", "二级", "三级", "环节"],
        ["智能制造", "U", "上游", None, None, "上游"],
        [None, "U1", None, None, "跳了一级", None],             # row 3: level 3 right under level 1
        [None, "U2", None, "伺服", "也写了三级", None],          # row 4: two level cells
        [None, "X", "没写环节", None, None, None],               # row 5: top node without 环节
        ["不存在的链", "Z1", "某节点", None, None, "下游"],       # row 6: unknown chain
        ["智能制造", "U", "上游重复", None, None, "上游"],        # row 7: code used twice
    ]
    batch = preview(users["admin"], rows)
    errors = batch.errors
    assert_errors(errors,
                  "第3行「三级」：第3级节点上面没有第2级节点…",
                  "第4行「二级」：一行只写一个节点，本行填了二级、三级几列",
                  "第5行「环节」：一级节点请填写环节…",
                  "第6行「产业链」：未找到产业链“不存在的链”",
                  "第7行「编码」：“智能制造 › U”与第2行重复")
    with pytest.raises(ApplicationError):
        import_apply(actor=users["admin"], batch=batch)
    assert not ChainNode.objects.exists()


def test_an_unknown_parent_a_bad_level_and_a_loop_are_named(users, empty_chain):
    rows = [["产业链", "编码", "节点名称", "上级编码"],
            ["智能制造", "A", "甲", "B"],
            ["智能制造", "B", "乙", "A"],
            ["智能制造", "C", "丙", "Q9"]]
    errors = preview(users["admin"], rows).errors
    assert_errors(errors,
                  "第2行「上级编码」：上级节点形成循环…",
                  "第4行「上级编码」：未找到上级节点“Q9”…")
    levels = [["产业链", "编码", "节点名称", "层级", "环节"], ["智能制造", "U", "上游", "一", "上游"]]
    assert preview(users["admin"], levels).errors == ["第2行「层级」：“一”不是层级，请填写1、2、3等正整数"]
    both = [["产业链", "编码", "节点名称", "一级"], ["智能制造", "U", "上游", "上游"]]
    assert "不要再用「节点名称」列" in preview(users["admin"], both).errors[0]


def test_only_administrators_import(users, empty_chain):
    from yuanqu.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        preview(users["invest"], INDENTED)


def test_the_template_lists_the_columns_and_explains_the_indented_layouts(client, users):
    client.force_login(users["admin"])
    assert client.get("/imports/chains.nodes/").status_code == 200
    response = client.get("/imports/chains.nodes/template.xlsx")
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    header = workbook.get_sheet_by_index(0).to_python()[0]
    assert header[:4] == ["产业链", "编码", "节点名称", "上级编码"]
    notes = "\n".join(str(c) for row in workbook.get_sheet_by_name("填写说明").to_python() for c in row)
    assert "“层级”列" in notes and "分级列" in notes


def test_enterprises_are_placed_on_nodes_from_a_sheet(users, chain):
    from yuanqu.chains.models import NodeEnterprise

    from .conftest import make_enterprise

    a, b = make_enterprise("甲船厂"), make_enterprise("乙设计院")
    rows = [["产业链", "节点编码", "统一社会信用代码", "链上角色", "年产值（亿元）"],
            ["豪华邮轮", "M1", a.credit_code, "龙头", 12.5],
            [None, "U1.1", b.credit_code, None, None],          # chain carried down, role defaults to 配套
            [None, "Q9", b.credit_code, None, None],            # row 4: no such node in the chain
            ["豪华邮轮", "M1", "91350100M000100Y43", None, None]]  # row 5: enterprise not registered
    batch = import_preview(actor=users["admin"], importer_key="chains.placements", file_name="链上企业.xlsx",
                           data=xlsx(rows))
    assert batch.errors == ["第4行「节点编码」：未找到产业链节点“豪华邮轮 › Q9”",
                            "第5行「统一社会信用代码」：未找到企业“91350100M000100Y43”"]
    good = import_preview(actor=users["admin"], importer_key="chains.placements", file_name="链上企业.xlsx",
                          data=xlsx(rows[:3]))
    import_apply(actor=users["admin"], batch=good)
    placed = {(p.node.code, p.enterprise.name): (p.role, p.output) for p in NodeEnterprise.objects.all()}
    assert placed == {("M1", "甲船厂"): ("head", 12.5), ("U1.1", "乙设计院"): ("supporting", None)}
    rows[1][4] = 15
    again = import_preview(actor=users["admin"], importer_key="chains.placements", file_name="链上企业.xlsx",
                           data=xlsx(rows[:3]))
    assert (again.updated_count, again.unchanged_count) == (1, 1)
    assert again.preview["updates"][0]["changes"] == [["年产值（亿元）", "12.50", "15.0"]]
