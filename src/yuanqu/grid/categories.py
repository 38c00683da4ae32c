"""The shipped category tree, routing defaults and time limits. The migration loads the categories
and limits; the demo reloads them into a database flushed since migrating (a transactional test's).

The five classes are those of a Nantong township grid centre (domain.md §4: 社会治安, 公共安全,
城市管理, 环境保护, 民生服务); the items under them and the negative list are defaults [K] for
the zone's command centre to edit. Time limits follow the Fengxian example (same day for what is
resolvable on the spot, a few days otherwise, 7 days for hard matters) until the zone sets its own.
"""

# (code, name, negative list basis or "", [(code, name, basis), ...])
TREE = [
    ("security", "社会治安", "", [
        ("dispute", "矛盾纠纷", ""),
        ("public_order", "治安隐患", ""),
        ("special_people", "重点人员动态", ""),
        ("crime", "违法犯罪线索", "刑事案件侦查属公安机关职责，不得交网格办理"),
    ]),
    ("safety", "公共安全", "", [
        ("fire", "消防隐患", ""),
        ("production", "安全生产隐患", ""),
        ("gas", "燃气安全", ""),
        ("enforcement", "安全生产行政执法", "行政执法事项不得交网格办理"),
    ]),
    ("city", "城市管理", "", [
        ("road", "道路设施损坏", ""),
        ("illegal_building", "违法建设", ""),
        ("street_stall", "占道经营", ""),
        ("demolition", "违建拆除执法", "行政强制执行不得交网格办理"),
    ]),
    ("environment", "环境保护", "", [
        ("garbage", "垃圾乱堆", ""),
        ("water", "河道水体污染", ""),
        ("dust", "扬尘污染", ""),
        ("monitoring", "污染源监测", "专业检测监测不得交网格办理"),
    ]),
    ("livelihood", "民生服务", "", [
        ("elderly", "独居老人关爱", ""),
        ("assistance", "困难群众救助", ""),
        ("facility", "公共设施报修", ""),
    ]),
]

# (category code or None for all, severity or "", stage, amount, day type)
SLA = [
    (None, "", "sign", 1, "working"),
    (None, "critical", "sign", 2, "hours"),
    (None, "", "resolve", 3, "working"),
    (None, "serious", "resolve", 2, "working"),
    (None, "critical", "resolve", 24, "hours"),
    ("dispute", "", "resolve", 7, "calendar"),
    ("illegal_building", "", "resolve", 7, "working"),
    ("elderly", "", "resolve", 1, "working"),
]


def load(get_model) -> None:
    """Insert what is missing (by code); an edited category or limit is left as the zone set it."""
    category = get_model("grid", "EventCategory")
    rule = get_model("grid", "SlaRule")
    found = {c.code: c for c in category.objects.all()}
    for order, (code, name, basis, children) in enumerate(TREE, start=1):
        top = found.get(code)
        if top is None:
            top = category(code=code, name=name, order=order, negative_list=bool(basis), negative_basis=basis)
            _save(category, top, None)
        for sub, (child_code, child_name, child_basis) in enumerate(children, start=1):
            if child_code not in found:
                child = category(code=child_code, name=child_name, parent=top, order=sub,
                                 negative_list=bool(child_basis), negative_basis=child_basis)
                _save(category, child, top)
    if rule.objects.exists():
        return
    codes = {c.code: c for c in category.objects.all()}
    for code, severity, stage, amount, day_type in SLA:
        rule.objects.create(category=codes.get(code) if code else None, severity=severity, stage=stage,
                            amount=amount, day_type=day_type)


def _save(model, obj, parent) -> None:
    # The migration's historical model has no save() override: keep the path as the model does.
    obj.save()
    path = (parent.path if parent else "") + f"{obj.pk:06d}."
    model.objects.filter(pk=obj.pk).update(path=path)
    obj.path = path
