"""The pages render for their readers and the forms go through the services."""

from django.urls import reverse

from yuanqu.investment.models import CompanyTag, Lead, Stage, TargetCompany


def test_the_board_counts_every_stage_in_its_column(client, users, make_lead):
    for i, stage in enumerate([Stage.INFO, Stage.INFO, Stage.VISIT, Stage.SIGNED, Stage.TERMINATED]):
        make_lead(f"项目{i}", stage=stage)
    client.force_login(users["invest"])
    page = client.get(reverse("investment:lead_board")).content.decode()
    counts = {}
    for stage in Stage:
        column = page.split(f'data-stage="{stage}"')[1]
        counts[stage.value] = int(column.split('data-testid="count">')[1].split("<")[0])
    assert counts == {"info": 2, "contact": 0, "visit": 1, "negotiate": 0, "signed": 1, "terminated": 1}


def test_the_form_registers_a_lead_and_shows_a_refusal_on_its_field(client, users, units):
    client.force_login(users["invest"])
    url = reverse("investment:lead_create")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "码头项目", "investor": "某港务", "unit": units["invest"].pk, "amount_text": "面议"})
    assert bad.status_code == 200 and "尚未确定时请留空" in bad.content.decode()
    assert not Lead.objects.exists()
    ok = client.post(url, {"name": "码头项目", "investor": "某港务", "unit": units["invest"].pk, "amount_text": "2亿元"})
    lead = Lead.objects.get()
    assert ok.status_code == 302 and lead.amount == 20000
    edit = client.post(reverse("investment:lead_edit", args=[lead.pk]), {
        "name": "码头项目", "investor": "某港务", "unit": units["invest"].pk, "amount_text": "3亿元", "expected_version": 1})
    assert edit.status_code == 302 and Lead.objects.get().amount == 30000
    client.force_login(users["leader"])
    assert client.get(url).status_code == 403
    assert client.get(reverse("investment:lead_edit", args=[lead.pk])).status_code == 403


def test_the_company_library_filters_by_kind(client, users):
    TargetCompany.objects.create(name="远洋重工", kind=TargetCompany.Kind.CENTRAL)
    TargetCompany.objects.create(name="博海智能", kind=TargetCompany.Kind.PRIVATE)
    client.force_login(users["village"])
    page = client.get(reverse("investment:company_list") + "?kind=central").content.decode()
    assert "远洋重工" in page and "博海智能" not in page


def test_the_company_form_adds_and_edits_with_tags_and_refuses_a_duplicate(client, users):
    leading, tech = CompanyTag.objects.get(name="龙头型"), CompanyTag.objects.get(name="科技型")
    client.force_login(users["invest"])
    url = reverse("investment:company_create")
    response = client.post(url, {"name": "远洋重工", "kind": "central", "tags": [leading.pk]})
    assert response.status_code == 302
    company = TargetCompany.objects.get()
    again = client.post(url, {"name": "远洋重工", "kind": "private"})
    assert "已在企业库中" in again.content.decode() and TargetCompany.objects.count() == 1
    client.post(reverse("investment:company_edit", args=[company.pk]),
                {"name": "远洋重工", "kind": "central", "tags": [leading.pk, tech.pk], "expected_version": 1})
    assert sorted(TargetCompany.objects.get().tags.values_list("name", flat=True)) == ["科技型", "龙头型"]
    client.force_login(users["leader"])
    assert client.get(url).status_code == 403


def test_an_edit_posted_without_the_version_it_was_opened_at_is_refused(client, users, units, make_lead):
    # A page from before an upgrade posts no `expected_version`: it must not skip the version check.
    lead = make_lead("码头项目")
    client.force_login(users["invest"])
    url = reverse("investment:lead_edit", args=[lead.pk])
    data = {"name": "码头项目改", "investor": "某港务", "unit": units["invest"].pk, "amount_text": ""}
    refused = client.post(url, {**data, "version": lead.version})
    assert refused.status_code == 200 and "页面已过期，请刷新页面后重新操作。" in refused.content.decode()
    assert Lead.objects.get().name == "码头项目"
    saved = client.post(url, {**data, "expected_version": lead.version})
    assert saved.status_code == 302 and Lead.objects.get().name == "码头项目改"
