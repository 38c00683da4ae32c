"""Ship Huangyan District's published 2022 scheme (mujun/fixtures/huangyan_2022.json) as the
first 亩均评价方案: the administrator copies it for the zone's own year and edits the parts the
published text leaves open (class shares and labels)."""

from django.db import migrations

from yuanqu.enterprises.mujun import load_fixture

# The fixture's figure names that differ from the register's indicator names.
SOURCES = {"主要污染物排放量": "pollutants", "R&D经费支出": "rnd"}


def load(apps, schema_editor):
    Scheme = apps.get_model("enterprises", "MujunScheme")
    parsed = load_fixture("huangyan_2022")
    Scheme.objects.get_or_create(year=parsed.year, jurisdiction=parsed.jurisdiction, name=parsed.name,
                                 defaults={"definition": parsed.to_dict(), "sources": SOURCES})


def unload(apps, schema_editor):
    parsed = load_fixture("huangyan_2022")
    apps.get_model("enterprises", "MujunScheme").objects.filter(
        year=parsed.year, jurisdiction=parsed.jurisdiction, name=parsed.name).delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0004_mujun_runs")]
    operations = [migrations.RunPython(load, unload)]
