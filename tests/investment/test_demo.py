"""The demo: about a hundred leads across the stages, marked, rebuilt without piling up."""

from collections import Counter

from django.contrib.contenttypes.models import ContentType

from tests.conftest import TEST_TODAY
from yuanqu.core.models import ChangeRecord
from yuanqu.investment import demo
from yuanqu.investment.models import FollowUp, Lead, TargetCompany
from yuanqu.org.models import OrgUnit


def test_the_demo_spreads_leads_over_the_stages_and_clears_itself(units):
    OrgUnit.objects.filter(pk=units["invest"].pk).update(is_demo=True)
    demo.build_demo(today=TEST_TODAY)
    demo.build_demo(today=TEST_TODAY)  # again: replaced, not doubled
    assert Counter(Lead.objects.values_list("stage", flat=True)) == demo.SPREAD
    assert not Lead.objects.filter(is_demo=False).exists()
    assert FollowUp.objects.filter(date__gt=TEST_TODAY).count() == 0  # no follow-up in the future
    lead_type = ContentType.objects.get_for_model(Lead)
    assert ChangeRecord.objects.filter(content_type=lead_type).exists()
    demo.clear_demo()
    assert not Lead.objects.exists() and not TargetCompany.objects.exists()
    assert not ChangeRecord.objects.filter(content_type=lead_type).exists()
