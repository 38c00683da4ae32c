"""The shipped request categories and their time limits (working days). The migration loads them;
the demo reloads them into a database flushed since migrating (a transactional test's)."""

CATEGORIES = [
    ("labour", "用工", 10),
    ("finance", "融资", 15),
    ("land", "用地", 20),
    ("approval", "审批", 10),
    ("policy", "政策", 10),
    ("infrastructure", "基础设施", 20),
]


def load(get_model) -> None:
    category = get_model("visits", "RequestCategory")
    for order, (code, name, days) in enumerate(CATEGORIES, start=1):
        category.objects.get_or_create(code=code, defaults={"name": name, "time_limit_days": days, "order": order})
