"""Ship GB/T 4754-2017 (20 门类, 97 大类), the figure sources, indicators, tags and growth steps.

The lists live in `enterprises/gb4754.py` (the standard's codes, which do not change); later
edits are the administrator's, in the admin site."""

from django.db import migrations

from yuanqu.enterprises import gb4754


def load(apps, schema_editor):
    gb4754.load(apps.get_model)


def unload(apps, schema_editor):
    for name in ("TierStep", "EnterpriseTag", "Indicator", "FigureSource", "IndustryDivision", "IndustrySection"):
        apps.get_model("enterprises", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_register")]
    operations = [migrations.RunPython(load, unload)]
