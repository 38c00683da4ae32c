"""Builders for leads in any stage, driven through the services (so events and history are real)."""

import pytest

from yuanqu.investment import services
from yuanqu.investment.models import PIPELINE, Lead, Stage


@pytest.fixture
def make_lead(units):
    """make_lead(name, unit="invest", stage=Stage.INFO, **data) → Lead, moved there step by step."""

    def make(name="船舶配套项目", *, unit="invest", stage=Stage.INFO, **data) -> Lead:
        lead = services.lead_create(actor=None, data={"name": name, "investor": "某某集团", "unit": units[unit],
                                                      **data})
        for step in PIPELINE[1:PIPELINE.index(stage) + 1] if stage in PIPELINE else []:
            lead = services.lead_transition(actor=None, lead=lead, action=services.STEP_INTO[step])
        if stage == Stage.TERMINATED:
            lead = services.lead_transition(actor=None, lead=lead, action="terminate", comment="企业放弃")
        return Lead.objects.get(pk=lead.pk)

    return make


from ..chains.conftest import chain  # noqa: E402, F401  (the small 豪华邮轮 chain: U1.1, M1, D1 …)
