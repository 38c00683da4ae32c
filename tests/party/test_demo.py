"""The demo (one full `yuanqu demo`, the costly part, shared by the checks of one test): an
organisation for every village and community the seed names, two checklist versions, assessments
in every state, coverage, 两委换届, all marked demo; section 五's two targets read the party metrics."""

import datetime as dt
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from yuanqu.core.metrics import get_metric
from yuanqu.org.models import OrgUnit, User
from yuanqu.party import selectors
from yuanqu.party.models import Assessment, ChecklistTemplate, Election, PartyOrganisation
from yuanqu.plans.models import Target
from yuanqu.plans.selectors import target_facts

TODAY = dt.date(2026, 8, 15)


def test_the_demo_party_register_and_its_bound_targets(db, clock, client):
    clock.set_today(TODAY)
    call_command("demo", "--year", "2026", "--today", TODAY.isoformat(), stdout=StringIO(), stderr=StringIO())
    rural = list(OrgUnit.objects.filter(kind__in=("village", "community")))
    assert len(rural) == 10
    assert set(PartyOrganisation.objects.filter(enterprise=None, unit__in=rural).values_list("unit", flat=True)) == {
        u.pk for u in rural}
    assert not PartyOrganisation.objects.filter(is_demo=False).exists()
    assert set(Election.objects.filter(year=2026).values_list("unit", flat=True)) == {u.pk for u in rural}
    assert list(ChecklistTemplate.objects.order_by("version").values_list("version", "year")) == [(1, 2025), (2, 2026)]
    states = set(Assessment.objects.filter(year=2026).values_list("state", flat=True))
    assert states == {"self", "submitted", "reviewed"}
    assert set(Assessment.objects.filter(year=2026).values_list("result", flat=True)) >= {"met", "exemplary",
                                                                                          "not_met"}
    # warnings the register raises on demo data: a joint branch over 6 units, a branch of 2 full members
    warned = {w.code for org in PartyOrganisation.objects.select_related("unit") for w in org.warnings(TODAY)}
    assert {"joint_too_wide", "too_few", "term_over", "term_due"} <= warned
    c = selectors.coverage()
    assert 0 < c.own < c.operating and c.joint > 0 and c.instructed > 0
    # section 五: 92 organisations 达标, 7 示范 — read from the reviewed assessments
    bound = {t.metric: t for t in Target.objects.filter(metric__startswith="party.").select_related("plan")}
    assert set(bound) == {"party.standard_met", "party.exemplary"}
    assert "92" in bound["party.standard_met"].title and "示范" in bound["party.exemplary"].title
    met = Assessment.objects.filter(year=2026, state="reviewed", result__in=("met", "exemplary")).count()
    assert get_metric("party.standard_met").func([{"year": 2026}], TODAY) == [Decimal(met)]
    facts = target_facts([bound["party.standard_met"]], TODAY)[bound["party.standard_met"].pk]
    assert facts.metric_value == Decimal(met) and not facts.metric_unavailable
    # the 党建办's demo login runs the register
    office = User.objects.get(username="dj")
    assert office.can("party.manage")
    client.force_login(office)
    assert client.get("/party/assessments/").status_code == 200
    village = OrgUnit.objects.get(name="三南村")
    client.force_login(User.objects.get(username="pq"))  # the 片区's reporter, before a visit
    page = client.get(f"/villages/{village.pk}/").content.decode()
    assert "中共三南村" in page and 'data-testid="village-indicators-panel"' in page
