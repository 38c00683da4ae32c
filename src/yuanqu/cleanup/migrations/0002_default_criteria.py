"""Ship example identification criteria (the administrator edits them in the admin site)."""

from decimal import Decimal

from django.db import migrations

# (category, name, kind, indicator, comparator, threshold, years, field)
CRITERIA = (
    ("zombie", "连续两年亏损（工业增加值为负）", "figure", "value_added", "<", Decimal("0"), 2, ""),
    ("zombie", "连续两年未缴税（实缴税金为零）", "figure", "tax_paid", "<=", Decimal("0"), 2, ""),
    ("zombie", "停产（上年用电量低于 1 万千瓦时）", "figure", "electricity", "<", Decimal("1"), 1, ""),
    ("zombie", "连续两年未报送主营业务收入", "no_figure", "revenue", "", None, 2, ""),
    ("zombie", "名下地块闲置", "idle_land", "", "", None, 1, ""),
    ("scattered", "主要污染物排放超过 2 吨", "figure", "pollutants", ">", Decimal("2"), 1, ""),
    ("scattered", "未登记行业（手续不全）", "missing_field", "", "", None, 1, "industry"),
)


def load(apps, schema_editor):
    Criterion = apps.get_model("cleanup", "Criterion")
    if Criterion.objects.exists():
        return
    Criterion.objects.bulk_create(
        Criterion(category=c, name=n, kind=k, indicator=i, comparator=op, threshold=t, years=y, field=f, order=order)
        for order, (c, n, k, i, op, t, y, f) in enumerate(CRITERIA))


def unload(apps, schema_editor):
    apps.get_model("cleanup", "Criterion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cleanup", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
