"""What the app ships as data (a data migration loads it; the administrator edits it afterwards):
checklists per domain, the 回头看 intervals, and the pollution works' kinds with their stages."""

from __future__ import annotations

CHECKLISTS = [
    ("safety", "企业安全生产检查表", [
        "安全生产责任制和管理制度建立落实", "特种作业人员持证上岗", "消防设施、疏散通道和安全出口完好畅通",
        "危险化学品储存、使用符合规定", "有限空间作业审批和防护", "用电线路和设备安全", "应急预案和演练",
    ]),
    ("pollution", "企业环境污染检查表", [
        "环评和排污许可手续齐全", "污染防治设施正常运行", "废水接管或达标排放", "废气收集处理和达标排放",
        "危险废物规范贮存、转移", "雨污分流、无偷排漏排",
    ]),
    ("urban", "城乡环境检查表", [
        "道路和公共场所保洁", "河道水面无漂浮物、岸坡无垃圾", "无乱堆乱放、乱搭乱建", "生活垃圾分类收运",
        "违法建设已拆除或整改", "户外广告和店招规范",
    ]),
]

REVISITS = [("safety", 90, 2), ("pollution", 60, 3), ("urban", 30, 2)]

WORK_KINDS = [
    ("黑臭水体治理", ["排查溯源", "控源截污", "清淤疏浚", "生态修复", "长效管护验收"]),
    ("雨污分流", ["排查设计", "管网施工", "接管通水", "验收"]),
]


def load(get_model) -> None:
    """Create what is missing (a rerun, or a test database flushed since migrating, adds it back)."""
    Template = get_model("inspections", "ChecklistTemplate")
    Rule = get_model("inspections", "RevisitRule")
    Kind = get_model("inspections", "WorkKind")
    for domain, name, items in CHECKLISTS:
        Template.objects.get_or_create(name=name, defaults={"domain": domain, "items": "\n".join(items)})
    for domain, days, rounds in REVISITS:
        Rule.objects.get_or_create(domain=domain, defaults={"interval_days": days, "rounds": rounds})
    for name, stages in WORK_KINDS:
        Kind.objects.get_or_create(name=name, defaults={"stages": "\n".join(stages)})
