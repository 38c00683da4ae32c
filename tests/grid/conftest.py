"""The grid tests' zone: the conftest's units (三南村 under 三和片区 under 农业农村局) plus a
community and a 建设局; two grids of 三南村 and one of the community; a command centre, two grid
workers (one per grid of 三南村) and a maker of events."""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yuanqu.grid import categories as shipped
from yuanqu.grid import services
from yuanqu.grid.abilities import DISPATCHER, GRID_WORKER
from yuanqu.grid.models import EventCategory
from yuanqu.org.models import OrgUnit
from yuanqu.org.roles import REPORTER

from ..factories import make_bureau, make_unit_user, make_user

# The smallest real JPEG header and PNG signature: the service reads the first bytes.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def jpeg(name="现场.jpg", content=JPEG):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


@pytest.fixture
def more_units(units):
    build = make_bureau(units, "建设局")
    community = OrgUnit.objects.create(name="紫郡社区", kind=OrgUnit.Kind.COMMUNITY, parent=units["area"])
    return {**units, "build": build, "community": community}


@pytest.fixture
def zone(users, more_units):
    u = more_units
    users["centre"] = make_user("centre1", DISPATCHER, u["committee"])
    users["worker"] = make_unit_user("worker1", GRID_WORKER, u["village"])
    users["worker2"] = make_unit_user("worker2", GRID_WORKER, u["village"])
    users["build"] = make_user("build1", REPORTER, u["build"])
    return users


@pytest.fixture
def grids(zone, more_units, cats):
    u = more_units
    g1 = services.grid_save(actor=None, grid=None, data={
        "code": "SN-01", "name": "三南村第一网格", "unit": u["village"], "households": 320, "population": 980,
        "leader": zone["worker"], "workers": [zone["worker"]]})
    g2 = services.grid_save(actor=None, grid=None, data={
        "code": "SN-02", "name": "三南村第二网格", "unit": u["village"], "workers": [zone["worker2"]]})
    g3 = services.grid_save(actor=None, grid=None, data={"code": "ZJ-01", "name": "紫郡社区网格", "unit": u["community"]})
    return {"G1": g1, "G2": g2, "G3": g3}


@pytest.fixture
def cats(db):
    shipped.load(apps.get_model)  # a database flushed by a transactional test lacks the migration's rows
    return {c.code: c for c in EventCategory.objects.all()}


@pytest.fixture
def rules(grids, cats, more_units):
    """城市管理 → 建设局 everywhere; 垃圾乱堆 → the village itself (小事不出格)."""
    u = more_units
    services.routing_rule_save(actor=None, rule=None, data={"category": cats["city"], "unit": u["build"]})
    services.routing_rule_save(actor=None, rule=None, data={"category": cats["garbage"], "area": u["village"],
                                                            "unit": u["village"]})


@pytest.fixture
def make_event(zone, grids, cats):
    def make(grid="G1", category="road", actor=None, when=None, **data):
        values = {"grid": grids[grid].pk, "category": cats[category].pk, "description": "路面塌陷约两平方米",
                  "address": "三南村村委会东100米", **data}
        return services.event_create(actor=actor or zone["worker"], data=values, at=when)

    return make


def walk(event, actions, actor, **data):
    for action in actions:
        event = services.event_step(actor=actor, event=event, action=action, **data.get(action, {}))
    return event


__all__ = ["JPEG", "PNG", "at", "jpeg", "io", "walk"]
