from django.db import migrations

from yuanqu.visits import categories


def load(apps, schema_editor):
    categories.load(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
