"""A lead's 来源地 becomes a province (full name) and a city, a company's headquarters province is
written in full, and leads and companies may name their chain node."""

import django.db.models.deletion
from django.db import migrations, models


def split_sources(apps, schema_editor):
    from yuanqu.investment.regions import RegionError, normalise_province, split_region

    Lead = apps.get_model("investment", "Lead")
    for lead in Lead.objects.exclude(source_region=""):
        lead.source_province, city = split_region(lead.source_region)
        lead.source_city = city[:30]
        lead.save(update_fields=["source_province", "source_city"])
    TargetCompany = apps.get_model("investment", "TargetCompany")
    for company in TargetCompany.objects.exclude(hq_province=""):
        try:
            province = normalise_province(company.hq_province)
        except RegionError:
            continue  # kept as written; the next edit asks for a proper name
        if province != company.hq_province:
            company.hq_province = province
            company.save(update_fields=["hq_province"])


def join_sources(apps, schema_editor):
    Lead = apps.get_model("investment", "Lead")
    for lead in Lead.objects.all():
        lead.source_region = " ".join(p for p in (lead.source_province, lead.source_city) if p)[:50]
        lead.save(update_fields=["source_region"])


class Migration(migrations.Migration):

    dependencies = [
        ("chains", "0001_initial"),
        ("investment", "0002_defaults"),
    ]

    operations = [
        migrations.AddField(
            model_name="lead",
            name="chain_node",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to="chains.chainnode", verbose_name="产业链节点"),
        ),
        migrations.AddField(
            model_name="lead",
            name="source_city",
            field=models.CharField(blank=True, help_text="境外来源只填城市或国家", max_length=30, verbose_name="来源城市"),
        ),
        migrations.AddField(
            model_name="lead",
            name="source_province",
            field=models.CharField(blank=True, max_length=30, verbose_name="来源省份"),
        ),
        migrations.AddField(
            model_name="targetcompany",
            name="chain_node",
            field=models.ForeignKey(blank=True, help_text="该企业在产业链上所处的环节（缺链时它就是招引对象）", null=True,
                                    on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                    to="chains.chainnode", verbose_name="产业链节点"),
        ),
        migrations.RunPython(split_sources, join_sources),
        migrations.RemoveField(
            model_name="lead",
            name="source_region",
        ),
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(fields=["source_province", "source_city"], name="investment__source__idx"),
        ),
    ]
