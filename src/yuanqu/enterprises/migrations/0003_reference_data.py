"""Ship GB/T 4754-2017 (20 门类, 97 大类), the figure sources, indicators, tags and growth steps.

The lists live in `enterprises/gb4754.py` (the standard's codes, which do not change); later
edits are the administrator's, in the admin site."""

from django.db import migrations

from yuanqu.enterprises import gb4754


def load(apps, schema_editor):
    Section = apps.get_model("enterprises", "IndustrySection")
    Division = apps.get_model("enterprises", "IndustryDivision")
    for code, name, divisions in gb4754.SECTIONS:
        section = Section.objects.create(code=code, name=name)
        Division.objects.bulk_create(Division(code=f"{n:02d}", name=d, section=section) for n, d in divisions)
    Source = apps.get_model("enterprises", "FigureSource")
    Source.objects.bulk_create(Source(name=n, order=i) for i, n in enumerate(gb4754.SOURCES))
    Indicator = apps.get_model("enterprises", "Indicator")
    Indicator.objects.bulk_create(Indicator(key=k, name=n, unit=u, allow_negative=neg, order=i)
                                  for i, (k, n, u, neg) in enumerate(gb4754.INDICATORS))
    Tag = apps.get_model("enterprises", "EnterpriseTag")
    Tag.objects.bulk_create(Tag(group=g, name=n, order=i) for i, (g, n) in enumerate(gb4754.TAGS))
    Step = apps.get_model("enterprises", "TierStep")
    indicators = {i.key: i for i in Indicator.objects.all()}
    Step.objects.bulk_create(Step(ladder=ladder, name=name, kind=kind, indicator=indicators[key], threshold=threshold,
                                  rank=rank) for ladder, name, kind, key, threshold, rank in gb4754.TIER_STEPS)


def unload(apps, schema_editor):
    for name in ("TierStep", "EnterpriseTag", "Indicator", "FigureSource", "IndustryDivision", "IndustrySection"):
        apps.get_model("enterprises", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_register")]
    operations = [migrations.RunPython(load, unload)]
