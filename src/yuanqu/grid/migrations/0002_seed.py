from django.db import migrations


def seed(apps, schema_editor):
    from yuanqu.grid import categories

    categories.load(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("grid", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
