from django.db import migrations

from yuanqu.disputes import limits


def load(apps, schema_editor):
    limits.load(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
