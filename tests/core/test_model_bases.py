"""The model bases the registers stand on: a workflow's timeline (`WorkflowEvent.of`), a kept file
(`core.attachments.Attachment`), a short list kept as data (`core.models.ListedItem`), a request and
its decision (`core.models.DecidedRequest`) and the one rule of 逾期 for a record with a due day and a done day (`core.deadlines`)."""

import datetime as dt

import pytest
from django.db import models

from yuanqu.core.attachments import Attachment
from yuanqu.core.deadlines import late, late_q
from yuanqu.core.models import DecidedRequest, ListedItem
from yuanqu.core.workflow import WorkflowEvent
from yuanqu.enterprises.models import Enterprise
from yuanqu.grid.models import EventPhoto, EventStep, GridEvent
from yuanqu.inspections.models import Hazard, HazardEvent
from yuanqu.inspections.models import State as HazardState
from yuanqu.land.models import LandUse
from yuanqu.plans.models import AdjustmentEvent, TargetAdjustment
from yuanqu.projects.models import StageEvidence
from yuanqu.supervision.models import ExtensionRequest, SupervisionAttachment
from yuanqu.visits.models import EnterpriseRequest, RequestCategory

DAY = dt.date(2026, 3, 10)


def test_a_timeline_declared_with_of_has_its_key_and_choices():
    key = HazardEvent._meta.get_field("hazard")
    assert key.related_model is Hazard and key.remote_field.related_name == "events"
    assert key.remote_field.on_delete is models.CASCADE
    assert HazardEvent._meta.get_field("to_state").choices == HazardState.choices
    assert HazardEvent._meta.get_field("from_state").blank
    assert str(HazardEvent._meta.get_field("action").verbose_name) == "操作"
    assert HazardEvent._meta.ordering == ["time", "id"]
    assert issubclass(HazardEvent, WorkflowEvent) and not HazardEvent._meta.abstract


def test_a_timeline_may_name_its_rows_and_keep_the_plain_fields():
    assert EventStep._meta.get_field("grid_event").related_model is GridEvent
    assert GridEvent._meta.get_field("steps").related_model is EventStep
    key = AdjustmentEvent._meta.get_field("adjustment")
    assert str(key.verbose_name) == "目标调整"
    assert AdjustmentEvent._meta.get_field("action").choices is None  # WorkflowEvent's own field


def test_kept_files_share_name_uploader_and_time():
    for model in (StageEvidence, EventPhoto, SupervisionAttachment):
        assert issubclass(model, Attachment)
        assert str(model._meta.get_field("uploaded_by").verbose_name) == "上传人"
    assert str(StageEvidence(name="开工许可证.pdf")) == "开工许可证.pdf"
    # 督办 attachments take the feedback's time, given by the service, not the save's.
    assert not SupervisionAttachment._meta.get_field("uploaded_at").auto_now_add
    assert StageEvidence._meta.get_field("uploaded_at").auto_now_add


def test_a_listed_item_is_named_and_ordered():
    assert issubclass(LandUse, ListedItem)
    assert LandUse._meta.ordering == ["order", "id"]
    assert str(LandUse(name="工业用地")) == "工业用地"


def test_a_decided_request_keeps_who_asked_and_who_decided():
    for model in (TargetAdjustment, ExtensionRequest):
        assert issubclass(model, DecidedRequest)
        assert str(model._meta.get_field("decided_by").verbose_name) == "审批人"
        assert model._meta.get_field("requested_by").remote_field.on_delete is models.PROTECT
        assert model._meta.ordering == ["-requested_at", "-id"]
    # An extension request takes the step's time, given by the service.
    assert not ExtensionRequest._meta.get_field("requested_at").auto_now_add
    assert TargetAdjustment._meta.get_field("requested_at").auto_now_add


@pytest.mark.parametrize(("done", "due", "expected"), [
    (None, None, False),                      # no due day: never late
    (None, DAY, False),                       # due today, not done: not yet
    (None, DAY - dt.timedelta(days=1), True),  # not done and past it
    (DAY, DAY - dt.timedelta(days=1), True),   # done after it
    (DAY - dt.timedelta(days=1), DAY - dt.timedelta(days=1), False),  # done on the day
])
def test_late(done, due, expected):
    assert late(done, due, DAY) is expected


def test_late_q_reads_as_late_does(units):
    """The SQL rule finds the rows the row rule calls late: answered late, or open past the due day."""
    firm = Enterprise.objects.create(name="甲公司", credit_code="91440000000000000A")
    category = RequestCategory.objects.order_by("pk").first()  # seeded by the migrations

    def request(due_on, replied_on):
        return EnterpriseRequest.objects.create(
            enterprise=firm, category=category, text="招工", assigned_unit=units["invest"],
            received_on=due_on - dt.timedelta(days=7), time_limit_days=5, due_on=due_on, replied_on=replied_on)

    rows = [request(DAY, DAY), request(DAY, DAY + dt.timedelta(days=2)),
            request(DAY - dt.timedelta(days=1), None), request(DAY, None)]
    found = set(EnterpriseRequest.objects.filter(late_q("replied_on", "due_on", DAY)).values_list("pk", flat=True))
    assert found == {rows[1].pk, rows[2].pk}
    assert {r.pk for r in rows if r.is_overdue(DAY)} == found
