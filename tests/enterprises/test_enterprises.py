"""The minimal enterprise record: the 统一社会信用代码 check character, rights, import errors."""

import pytest

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.imports.services import import_apply, import_preview
from yuanqu.enterprises import services
from yuanqu.enterprises.credit_code import credit_code_problem
from yuanqu.enterprises.models import Enterprise

from ..core.spreadsheets import xlsx

VALID = "91350100M000100Y43"  # the example code of GB 32100-2015 publicity material


def test_a_valid_code_passes_and_a_changed_character_is_caught_by_the_check_character():
    assert credit_code_problem(VALID) is None
    for i in (0, 5, 10, 16):  # any single wrong character before the check character
        swapped = VALID[:i] + ("1" if VALID[i] != "1" else "2") + VALID[i + 1:]
        assert "校验位不符" in credit_code_problem(swapped)
    problem = credit_code_problem(VALID[:17] + "4")
    assert "第18位应为“3”" in problem and "填写的是“4”" in problem


@pytest.mark.parametrize(("code", "words"), [
    ("9135010OM000100Y43", "不允许的字符“O”"),
    ("91350100M000100Y4", "应为18位"),
    ("91350100M000100Y433", "有19位"),
])
def test_malformed_codes_say_what_is_wrong(code, words):
    assert words in credit_code_problem(code)


def test_create_normalises_and_refuses_a_wrong_or_taken_code(users):
    admin = users["admin"]
    made = services.enterprise_create(actor=admin, name="甲公司", credit_code=" 91350100m000100y43 ")
    assert made.credit_code == VALID
    with pytest.raises(ApplicationError) as wrong:
        services.enterprise_create(actor=admin, name="乙公司", credit_code=VALID[:17] + "4")
    assert wrong.value.field == "credit_code" and "校验位不符" in wrong.value.message
    with pytest.raises(ApplicationError) as taken:
        services.enterprise_create(actor=admin, name="丙公司", credit_code=VALID)
    assert "已登记为“甲公司”" in taken.value.message
    assert Enterprise.objects.count() == 1


@pytest.mark.parametrize(("role", "allowed"), [("admin", True), ("economy", True), ("supervisor", False),
                                               ("leader", False), ("invest", False)])
def test_who_registers_enterprises(users, economy, role, allowed):
    actor = economy if role == "economy" else users[role]
    if allowed:
        services.enterprise_create(actor=actor, name="甲公司", credit_code=VALID)
    else:
        with pytest.raises(PermissionDeniedError):
            services.enterprise_create(actor=actor, name="甲公司", credit_code=VALID)


def test_import_names_the_row_and_column_of_a_wrong_code_and_writes_nothing(users):
    data = xlsx([["统一社会信用代码", "企业名称"], [VALID, "甲公司"], [VALID[:17] + "4", "乙公司"]])
    batch = import_preview(actor=users["admin"], importer_key="enterprises.enterprises", file_name="企业.xlsx",
                           data=data)
    assert len(batch.errors) == 1
    assert batch.errors[0].startswith("第3行「统一社会信用代码」：校验位不符")
    with pytest.raises(ApplicationError):
        import_apply(actor=users["admin"], batch=batch)
    assert not Enterprise.objects.exists()


def test_the_import_normalises_lower_case_codes_and_reads_the_register_columns(users, units):
    data = xlsx([["统一社会信用代码", "企业名称", "行业", "纳入规上日期", "用地面积（亩）", "挂钩单位", "标签"],
                 [VALID.lower(), "甲公司", 34, "2024-05-01", 12.5, "招商局", "高新技术企业、单项冠军"],
                 ["91350100M000100Y4", "乙公司", "通用设备制造业", None, None, None, None],
                 ["91320684MA1000000X", "丙公司", "99", None, -3, None, None]])
    batch = import_preview(actor=users["admin"], importer_key="enterprises.enterprises", file_name="企业.xlsx",
                           data=data)
    assert batch.errors == ["第3行「统一社会信用代码」：应为18位，“91350100M000100Y4”有17位。",
                            "第4行「行业」：未找到行业大类“99”",
                            "第4行「用地面积（亩）」：“-3”是负数，面积不能为负数"]
    fixed = xlsx([["统一社会信用代码", "企业名称", "行业", "纳入规上日期", "用地面积（亩）", "挂钩单位", "标签"],
                  [VALID.lower(), "甲公司", 34, "2024-05-01", 12.5, "招商局", "高新技术企业、单项冠军"]])
    batch = import_preview(actor=users["admin"], importer_key="enterprises.enterprises", file_name="企业.xlsx",
                           data=fixed)
    import_apply(actor=users["admin"], batch=batch)
    firm = Enterprise.objects.get()
    assert (firm.credit_code, firm.industry.code, firm.scale, str(firm.land_mu)) == (VALID, "34", "above", "12.50")
    assert firm.liaison_unit == units["invest"]
    assert sorted(t.name for t in firm.tags.all()) == ["单项冠军", "高新技术企业"]
    again = import_preview(actor=users["admin"], importer_key="enterprises.enterprises", file_name="企业.xlsx",
                           data=fixed)
    assert again.unchanged_count == 1 and again.updated_count == 0, again.preview["updates"]
