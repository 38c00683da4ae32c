"""The land demo: parcels of a made-up park with valid, separate polygons, marked demo, rebuildable."""

import itertools

from shapely.geometry import shape

from yuanqu.core import clock
from yuanqu.core.metrics import get_metric
from yuanqu.land import demo
from yuanqu.land.models import LandQuota, Parcel, Revitalisation
from yuanqu.org.models import OrgUnit, User


def _build():
    OrgUnit.objects.update(is_demo=True)
    User.objects.update(is_demo=True)
    demo.build_demo(today=clock.today())


def test_the_demo_park_has_every_status_with_polygons_that_do_not_overlap(users, units, land_user, client):
    _build()
    parcels = list(Parcel.objects.all())
    assert len(parcels) == demo.ROWS * demo.COLS and all(p.is_demo and p.geometry for p in parcels)
    assert {p.status for p in parcels} == set(Parcel.Status.values)
    shapes = [shape(p.geometry) for p in parcels]
    assert all(s.is_valid for s in shapes)
    assert not any(a.intersects(b) for a, b in itertools.combinations(shapes, 2))
    for unit in ("亩", "平方米", "公顷"):  # written as the surveys come
        assert any(p.area_text.endswith(unit) for p in parcels), unit
    assert Revitalisation.objects.filter(is_demo=True).count() == 3 and LandQuota.objects.filter(is_demo=True).count() == 3
    done = Revitalisation.objects.get(status="done")
    metric = get_metric("land.area_revitalised")
    assert metric.func([{"year": done.completed_on.year}], clock.today()) == [done.area_mu]
    client.force_login(users["leader"])
    page = client.get("/land/map/").content.decode()
    assert page.count('"url": "/land/') == len(parcels) and "vendor/echarts/echarts.min.js" in page


def test_rebuilding_the_demo_replaces_it(users, units, land_user):
    _build()
    first = set(Parcel.objects.values_list("pk", flat=True))
    demo.clear_demo()
    assert not Parcel.objects.exists() and not Revitalisation.objects.exists()
    demo.build_demo(today=clock.today())
    assert Parcel.objects.count() == len(first) and not first & set(Parcel.objects.values_list("pk", flat=True))
