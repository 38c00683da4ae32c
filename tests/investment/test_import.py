"""Spreadsheet import of target companies and leads (core.imports): enums, look-ups by name,
amounts as written, errors naming row and column, idempotent re-import, revert."""

from decimal import Decimal

from tests.org.import_helpers import assert_errors, preview, run
from yuanqu.core.imports.services import import_revert
from yuanqu.core.models import ChangeRecord
from yuanqu.investment.models import Lead, LeadEvent, Stage, TargetCompany

COMPANY_HEADER = ["企业名称", "企业类别", "企业标签", "总部所在省份", "总部所在城市", "所属行业", "招引价值"]
LEAD_HEADER = ["项目名称", "投资方", "目标企业", "产业类别", "意向投资额", "招商方式", "来源省份", "责任单位", "阶段",
               "终止原因", "下一步日期"]


def _companies(admin):
    return run(admin, "investment.companies", [
        COMPANY_HEADER,
        ["远洋重工集团", "大型央企", "龙头型、基地型", "北京市", "北京市", "船舶海工", "链主"],
        ["博海智能装备", "实力民企", "科技型", "江苏省", "苏州市", "高端装备", ""],
    ])


def _leads():
    return [
        LEAD_HEADER,
        ["海工配套基地", "远洋重工集团", "远洋重工集团", "船舶海工", "2.5亿元", "产业链招商", "北京", "招商局", "洽谈", "",
         "2026-10-01"],
        ["智能产线项目", "博海智能装备", "", "高端装备", "3000万美元", "以商招商", "江苏", "农业农村局", "信息", "", ""],
        ["文旅综合体", "某文旅公司", "", "文化旅游", "约五千万", "", "", "招商局", "终止", "选址他处", ""],
    ]


def test_companies_are_imported_with_their_tags(users, units):
    batch = _companies(users["admin"])
    assert batch.created_count == 2
    company = TargetCompany.objects.get(name="远洋重工集团")
    assert company.kind == TargetCompany.Kind.CENTRAL
    assert sorted(company.tags.values_list("name", flat=True)) == ["基地型", "龙头型"]


def test_leads_are_imported_at_their_stage_through_the_steps(users, units):
    admin = users["admin"]
    _companies(admin)
    batch = run(admin, "investment.leads", _leads())
    assert batch.created_count == 3
    lead = Lead.objects.get(name="海工配套基地")
    assert (lead.stage, lead.company.name, lead.unit, lead.mode.name) == (
        Stage.NEGOTIATE, "远洋重工集团", units["invest"], "产业链招商")
    assert (lead.amount, lead.currency) == (Decimal("25000"), "CNY")
    assert list(lead.events.values_list("action", flat=True)) == ["contact", "visit", "negotiate"]
    usd = Lead.objects.get(name="智能产线项目")
    assert (usd.amount, usd.currency, usd.unit) == (Decimal("3000"), "USD", units["agri"])
    ended = Lead.objects.get(name="文旅综合体")
    assert (ended.stage, ended.termination_reason, ended.amount_approximate) == (Stage.TERMINATED, "选址他处", True)
    assert ChangeRecord.objects.filter(batch=batch.uuid).exists()


def test_the_same_file_twice_changes_nothing(users, units):
    admin = users["admin"]
    _companies(admin)
    run(admin, "investment.leads", _leads())
    versions = dict(Lead.objects.values_list("name", "version"))
    records = ChangeRecord.objects.count()
    rows = _leads()
    rows[1][4] = "25000万元"  # the same amount written otherwise
    again = run(admin, "investment.leads", rows)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert dict(Lead.objects.values_list("name", "version")) == versions
    assert ChangeRecord.objects.count() == records


def test_each_bad_cell_is_named_by_row_and_column_and_nothing_is_written(users, units):
    rows = _leads()
    rows[1][4] = "面议"
    rows[2][7] = "不存在局"
    rows[3][9] = ""  # 终止 without a reason
    rows.append(["海工配套基地", "重复", "", "", "", "", "", "招商局", "信息", "", ""])
    rows.append(["新项目", "某公司", "", "", "", "不存在的方式", "", "招商局", "签字", "", ""])
    batch = preview(users["admin"], "investment.leads", rows)
    errors = batch.errors
    assert_errors(errors,
                  "第2行「意向投资额」：“面议”不是金额…",
                  "第3行「责任单位」：未找到单位“不存在局”",
                  "第4行「终止原因」：阶段为“终止”时请填写终止原因",
                  "第2行「项目名称」：“海工配套基地”与第5行重复",
                  "第6行「招商方式」：未找到招商方式“不存在的方式”",
                  "第6行「阶段」：“签字”不是可选值…")
    assert not Lead.objects.exists()


def test_an_import_does_not_move_a_registered_leads_stage(users, units, make_lead):
    make_lead("海工配套基地", stage=Stage.CONTACT)
    batch = preview(users["admin"], "investment.leads", [
        LEAD_HEADER, ["海工配套基地", "远洋重工集团", "", "", "", "", "", "招商局", "签约", "", ""]])
    assert any("第2行「阶段」：该线索当前阶段为“接触”" in e for e in batch.errors)


def test_revert_removes_the_leads_and_their_steps(users, units):
    admin = users["admin"]
    batch = run(admin, "investment.leads", _leads()[:1] + _leads()[2:])
    assert Lead.objects.count() == 2
    import_revert(actor=admin, batch=batch)
    assert not Lead.objects.exists() and not LeadEvent.objects.exists()


def test_a_chain_node_is_named_by_chain_and_code_or_by_its_name_and_an_unknown_one_is_named(users, units, chain):
    header = ["项目名称", "投资方", "责任单位", "产业链节点"]
    batch = preview(users["admin"], "investment.leads", [
        header,
        ["分段项目", "某公司", "招商局", "豪华邮轮 › M1"],
        ["设计项目", "某公司", "招商局", "概念设计"],
        ["租赁项目", "某公司", "招商局", "豪华邮轮>D1"],
        ["不明项目", "某公司", "招商局", "豪华邮轮 › X9"],
    ])
    assert batch.errors == ["第5行「产业链节点」：未找到产业链节点“豪华邮轮 › X9”"]
    assert not Lead.objects.exists()
    run(users["admin"], "investment.leads", [header, *[r for r in [
        ["分段项目", "某公司", "招商局", "豪华邮轮 › M1"], ["设计项目", "某公司", "招商局", "概念设计"],
        ["租赁项目", "某公司", "招商局", "豪华邮轮>D1"]]]])
    assert dict(Lead.objects.values_list("name", "chain_node")) == {
        "分段项目": chain.n["M1"].pk, "设计项目": chain.n["U1.1"].pk, "租赁项目": chain.n["D1"].pk}
    company = run(users["admin"], "investment.companies", [
        ["企业名称", "企业类别", "产业链节点"], ["船舶设计集团", "世界名企", "豪华邮轮 › U1.2"]])
    assert company.created_count == 1
    assert TargetCompany.objects.get().chain_node == chain.n["U1.2"]
