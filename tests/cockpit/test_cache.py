"""The cockpit's figures are kept per reader for YUANQU_COCKPIT_CACHE_SECONDS: a second visit reads
no target, another reader or a changed light rule reads afresh, and the page says when it read."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yuanqu.plans import services
from yuanqu.plans.models import Plan


def _target_reads(client) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("cockpit:data"))
    assert response.status_code == 200
    return response.json(), sum(1 for q in ctx.captured_queries if 'FROM "plans_target"' in q["sql"])


def test_a_second_visit_within_the_pause_reads_no_target(client, users, plan, on, settings):
    settings.YUANQU_COCKPIT_CACHE_SECONDS = 60
    cache.clear()
    client.force_login(users["supervisor"])
    first, reads = _target_reads(client)
    assert reads > 0 and first["as_of"]
    again, reads = _target_reads(client)
    assert reads == 0 and again == first
    client.force_login(users["leader"])  # another reader: their own figures
    assert _target_reads(client)[1] > 0
    # The plan's light rule edited: its version moves, the figures are read afresh.
    client.force_login(users["supervisor"])
    services.plan_update_settings(actor=users["supervisor"], plan=Plan.objects.get(pk=plan.pk),
                                  data={"green_band": "1", "yellow_band": "40"})
    assert _target_reads(client)[1] > 0
    cache.clear()
