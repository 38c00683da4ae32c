from django.db import migrations

from yuanqu.party import stages


def load(apps, schema_editor):
    stages.load(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("party", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
