"""A whole zone as two spreadsheets (60 units, 500 users), with or without planted mistakes.
Used by the scale test and by bench/imports.py."""

from yuanqu.org.models import OrgUnit

UNIT_HEADER = ["单位名称", "简称", "类型", "上级单位", "排序", "启用"]
USER_HEADER = ["登录名", "姓名", "单位", "角色", "电话", "邮箱", "启用"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
KIND = {k: str(v) for k, v in OrgUnit.Kind.choices}
ROLE = {"admin": "系统管理员", "supervisor": "督查室", "leader": "领导", "reporter": "单位填报员"}


def unit_rows() -> list[list]:
    """管委会, 15 departments, 4 areas, 40 villages and communities (10 per area): 60 units.
    Villages are listed before their area and name it by short name."""
    rows = [["园区管委会", "管委会", KIND["committee"], "", 0, "是"]]
    rows += [[f"第{i}局", f"{i}局", KIND["department"], "管委会", i, "是"] for i in range(1, 16)]
    villages = []
    for a in range(1, 5):
        for v in range(1, 11):
            kind = "village" if v <= 6 else "community"
            villages.append([f"{a}区{v}{'村' if kind == 'village' else '社区'}", "", KIND[kind], f"{a}区", v, "是"])
    areas = [[f"第{a}片区", f"{a}区", KIND["area"], "园区管委会", 20 + a, "是"] for a in range(1, 5)]
    return [UNIT_HEADER, *rows, *villages, *areas]


def user_rows(n: int = 500) -> list[list]:
    units = [r[0] for r in unit_rows()[1:]]
    rows = [USER_HEADER]
    for i in range(n):
        role = "admin" if i < 2 else "supervisor" if i < 10 else "leader" if i < 20 else "reporter"
        unit = units[i % len(units)]
        rows.append([f"user{i:03d}", SURNAMES[i % 20] + GIVEN[(i // 20) % 20], unit, ROLE[role],
                     13800000000 + i, f"user{i:03d}@zone.example", "是"])
    return rows


def with_mistakes(units: list[list], users: list[list]) -> tuple[list[list], list[list], list[str]]:
    """Copies with five planted mistakes, and the messages the preview must give for them."""
    units = [list(r) for r in units]
    users = [list(r) for r in users]
    units[5][3] = "不存在的局"                       # row 6: unknown parent
    units[30][0] = units[31][0]                      # rows 31 and 32: the same name twice
    users[100][2] = "火星办"                         # row 101: unknown unit
    users[200][0] = users[201][0]                    # rows 201 and 202: the same login
    users[300][3] = "超级管理员"                      # row 301: no such role
    users[400][2] = ""                               # row 401: a reporter without unit
    expected_units = ["第6行「上级单位」：未找到单位“不存在的局”",
                      f"第31行「单位名称」：“{units[31][0]}”与第32行重复"]
    expected_users = ["第101行「单位」：未找到单位“火星办”", f"第201行「登录名」：“{users[201][0]}”与第202行重复",
                      "第301行「角色」：“超级管理员”不是可选值", "第401行「单位」：“单位填报员”须填写单位"]
    return units, users, expected_units + expected_users
