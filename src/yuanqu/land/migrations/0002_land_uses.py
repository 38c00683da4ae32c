"""The common planned-use classes (国土空间用途分类 at the level a zone plans by); the administrator
edits the list in the admin site."""

from django.db import migrations

USES = ["工业用地", "仓储用地", "商业服务业用地", "居住用地", "公共管理与公共服务用地", "交通运输用地",
        "公用设施用地", "绿地与开敞空间用地", "物流用地", "科研用地"]


def seed(apps, schema_editor):
    LandUse = apps.get_model("land", "LandUse")
    for order, name in enumerate(USES):
        LandUse.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("land", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
