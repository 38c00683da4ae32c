"""The seed's amount bands (10/50/100/200 亿元) and the usual problem categories; both are data the
administrator keeps afterwards in the admin site."""

from decimal import Decimal

from django.db import migrations

BANDS = [("10亿元", Decimal("10")), ("50亿元", Decimal("50")), ("100亿元", Decimal("100")), ("200亿元", Decimal("200"))]
CATEGORIES = ["用地", "资金", "审批", "拆迁", "配套"]


def seed(apps, schema_editor):
    AmountBand = apps.get_model("projects", "AmountBand")
    ProblemCategory = apps.get_model("projects", "ProblemCategory")
    for name, amount in BANDS:
        AmountBand.objects.get_or_create(min_amount=amount, defaults={"name": name})
    for order, name in enumerate(CATEGORIES):
        ProblemCategory.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
