"""The cockpit tile: organisations 达标 / 示范 this year against the plan's bound goals, warnings and
the 两新 coverage rate, scoped to the viewer; its queries do not grow with the organisations."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from yuanqu.party import services
from yuanqu.party.models import Assessment, State

from ..factories import make_target
from .conftest import YEAR
from .test_access import _grow

TILE = Template('{% load panels %}{% panels "cockpit.tiles" None %}')


def _render(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return TILE.render(Context({"request": request}))


@pytest.fixture
def reviewed(zone, orgs, template, plan, units, firms):
    section = plan.sections.first()
    make_target(plan, section, units["committee"], "确保全区92个基层党组织全部达标", target_value=92,
                metric="party.standard_met", metric_params={"year": YEAR})
    make_target(plan, section, units["committee"], "7个基层党组织创建示范党组织", target_value=7,
                metric="party.exemplary", metric_params={"year": YEAR})
    for key, result in (("village", "exemplary"), ("dept", "met")):
        a = services.assessment_start(actor=zone["office"], organisation=orgs[key], year=YEAR)
        Assessment.objects.filter(pk=a.pk).update(state=State.REVIEWED, result=result, reviewed_on=f"{YEAR}-06-01")
    services.organisation_create(actor=zone["office"], data={"name": "企业1党支部", "form": "branch",
                                                             "unit": units["office"], "enterprise": firms[0].pk,
                                                             "full_members": 3, "committee": "甲", "term_start": "2026-01-01"})
    return orgs


def test_the_leader_reads_the_zone_against_the_goals_with_the_coverage(client, zone, reviewed):
    client.force_login(zone["leader"])
    page = client.get("/cockpit/").content.decode()
    assert 'data-testid="tile-party"' in page
    assert 'data-testid="tile-met">2<span class="fs-6 text-muted">/92<' in page
    assert 'data-testid="tile-exemplary">1<span class="fs-6 text-muted">/7<' in page
    assert 'data-testid="tile-warned">1<' in page  # the village's term has ended; the others fit
    assert 'data-testid="tile-coverage">12.5%<' in page and "两新组织覆盖率（1/8）" in page


@pytest.mark.parametrize(("role", "met", "exemplary", "warned"), [
    ("village", "1", "1", "1"), ("invest", "1", "0", "0")])
def test_a_unit_reads_its_own_organisations_without_the_zone_figures(zone, reviewed, role, met, exemplary, warned):
    html = _render(zone[role])
    assert f'data-testid="tile-met">{met}<' in html and f'data-testid="tile-exemplary">{exemplary}<' in html
    assert f'data-testid="tile-warned">{warned}<' in html
    assert "/92" not in html and "tile-coverage" not in html


def test_no_tile_for_who_reads_no_party_organisation(zone, reviewed):
    assert "tile-party" not in _render(zone["nounit"])


def test_the_tile_does_not_grow_its_queries(zone, reviewed, units, template):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert "tile-party" in _render(zone["leader"])
        return len(ctx)

    _grow(zone, units, template, 2)
    count()  # the first render warms the per-user caches (roles, scope)
    few = count()
    _grow(zone, units, template, 5)
    assert count() == few
