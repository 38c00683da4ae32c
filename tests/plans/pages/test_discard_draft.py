"""Throwing away a draft plan (a wrong file, a trial import): drafts only, by the 督查室, with history."""

import pytest
from django.urls import reverse

from yuanqu.core.models import ChangeRecord
from yuanqu.plans.models import Plan, Target


def test_supervisor_discards_a_draft_and_the_history_keeps_its_text(client, users, draft):
    title, text, targets = draft.title, draft.source_text, draft.targets.alive().count()
    assert targets
    client.force_login(users["supervisor"])
    page = client.get(reverse("plans:plan_detail", args=[draft.pk])).content.decode()
    assert reverse("plans:plan_discard", args=[draft.pk]) in page
    response = client.post(reverse("plans:plan_discard", args=[draft.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("plans:plan_list")
    assert "已删除" in response.content.decode()
    assert not Plan.objects.filter(pk=draft.pk).exists()
    assert not Target.objects.filter(plan_id=draft.pk).exists()
    record = ChangeRecord.objects.get(object_id=draft.pk, action=ChangeRecord.Action.DELETE)
    assert record.actor == users["supervisor"]
    assert record.before["title"] == title and record.before["source_text"] == text
    assert record.before["targets"] == targets


def test_an_active_plan_is_not_discarded(client, users, plan):
    client.force_login(users["supervisor"])
    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert reverse("plans:plan_discard", args=[plan.pk]) not in page
    response = client.post(reverse("plans:plan_discard", args=[plan.pk]), follow=True)
    assert "只有草稿可以删除" in response.content.decode()
    assert Plan.objects.filter(pk=plan.pk).exists()
    assert not ChangeRecord.objects.filter(object_id=plan.pk, action=ChangeRecord.Action.DELETE).exists()


@pytest.mark.parametrize("role, status", [("admin", 204), ("supervisor", 204), ("leader", 403), ("invest", 403),
                                          ("anonymous", 403)])
def test_api_delete_of_a_draft_by_role(client_as, draft, role, status):
    response = client_as(role).delete(f"/api/plans/plans/{draft.pk}/")
    # Anonymous and reporters may not even see a draft of another unit: 403 or 404, never a deletion.
    assert response.status_code == status or (status == 403 and response.status_code in (401, 404))
    assert Plan.objects.filter(pk=draft.pk).exists() is (status != 204)


def test_api_delete_of_an_active_plan_is_refused_in_chinese(client_as, plan):
    response = client_as("supervisor").delete(f"/api/plans/plans/{plan.pk}/")
    assert response.status_code == 400
    assert "只有草稿可以删除" in response.json()["message"]
    assert Plan.objects.filter(pk=plan.pk).exists()
