from django.db import migrations

from yuanqu.inspections import shipped


def load(apps, schema_editor):
    shipped.load(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
