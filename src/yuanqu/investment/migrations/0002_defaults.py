"""The starting lists of company tags and attraction modes (the office edits them in the admin site)."""

from django.db import migrations

TAGS = ["龙头型", "基地型", "科技型", "品牌型"]
MODES = ["产业链招商", "以商招商", "驻点招商", "基金招商", "平台招商", "展会招商", "委托招商", "网络招商"]


def add(apps, schema_editor):
    tag = apps.get_model("investment", "CompanyTag")
    mode = apps.get_model("investment", "AttractionMode")
    for order, name in enumerate(TAGS, start=1):
        tag.objects.get_or_create(name=name, defaults={"order": order})
    for order, name in enumerate(MODES, start=1):
        mode.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("investment", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
