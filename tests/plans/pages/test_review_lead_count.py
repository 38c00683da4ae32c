"""The draft review page's count of targets without a lead unit follows the edits (an out-of-band
swap with the changed card), so the office sees when the plan is ready to put in force."""

import re

from django.urls import reverse

from tests.factories import target
from tests.plans.pages.test_draft_review import HX, _edit_data


def _oob_count(html: str) -> str:
    match = re.search(r'<span class="text-muted small" id="lead-count" hx-swap-oob="true">(.*?)</span>\s*$', html, re.S)
    assert match, html
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_assigning_a_lead_unit_updates_the_count(client, users, units, draft):
    client.force_login(users["supervisor"])
    page = client.get(reverse("plans:plan_review", args=[draft.pk])).content.decode()
    assert 'id="lead-count"' in page and "2 个未指定牵头单位" in page
    roads = target(draft, "新建农村公路")
    html = client.post(reverse("plans:target_edit", args=[roads.pk]), _edit_data(roads, lead_unit=units["agri"].pk),
                       **HX).content.decode()
    assert f'id="tcard-{roads.pk}"' in html
    assert _oob_count(html) == "目标 4 个，1 个未指定牵头单位"
    fast = target(draft, "企业开办")
    html = client.post(reverse("plans:target_edit", args=[fast.pk]), _edit_data(fast, lead_unit=units["invest"].pk),
                       **HX).content.decode()
    assert _oob_count(html) == "目标 4 个，均已指定牵头单位"


def test_a_refused_edit_sends_no_count(client, users, draft):
    roads = target(draft, "新建农村公路")
    client.force_login(users["supervisor"])
    html = client.post(reverse("plans:target_edit", args=[roads.pk]), _edit_data(roads, target_value="十"),
                       **HX).content.decode()
    assert "hx-swap-oob" not in html


def test_deleting_or_adding_a_target_without_a_lead_unit_updates_the_count(client, users, draft):
    client.force_login(users["supervisor"])
    roads = target(draft, "新建农村公路")
    html = client.post(reverse("plans:target_delete", args=[roads.pk]), {"expected_version": roads.version},
                       **HX).content.decode()
    assert _oob_count(html) == "目标 3 个，1 个未指定牵头单位"
    section = draft.sections.get(no="二")
    html = client.post(reverse("plans:target_create", args=[draft.pk, section.pk]),
                       {"title": "新建污水处理设施5座", "kind": "quantity", "comparator": ">=", "target_value": "5",
                        "unit": "座", "weight": "1", "lead_unit": ""}, **HX).content.decode()
    assert _oob_count(html) == "目标 4 个，2 个未指定牵头单位"
