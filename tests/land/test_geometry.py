"""Parcel polygons: what is accepted, what is refused (in Chinese, naming where), all-or-nothing files."""

import json

import pytest

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.models import ChangeRecord
from yuanqu.land import services
from yuanqu.land.geometry import GeometryError, clean_geometry
from yuanqu.land.models import Parcel

from .conftest import SQUARE

BOW_TIE = {"type": "Polygon", "coordinates": [[[121.0, 31.0], [121.1, 31.1], [121.1, 31.0], [121.0, 31.1],
                                               [121.0, 31.0]]]}


def test_an_unclosed_ring_is_closed_and_a_feature_is_unwrapped():
    open_ring = {"type": "Feature", "properties": {}, "geometry": {
        "type": "Polygon", "coordinates": [[[121.0, 31.0], [121.1, 31.0], [121.1, 31.1]]]}}
    ring = clean_geometry(open_ring)["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 4


@pytest.mark.parametrize(("geometry", "says"), [
    (BOW_TIE, "边界自相交（在 121.050000 , 31.050000 附近）"),
    ({"type": "Point", "coordinates": [121, 31]}, "几何类型为 Point"),
    ({"type": "Polygon", "coordinates": [[[121, 31], [121.1, 31], [121, 31]]]}, "顶点太少"),
    ({"type": "Polygon", "coordinates": [[[500000, 3500000], [500100, 3500000], [500100, 3500100],
                                          [500000, 3500000]]]}, "WGS84"),   # projected metres, not degrees
    ({"type": "Polygon", "coordinates": [[121, 31]]}, "坐标结构不对"),
    ({"type": "Polygon"}, "缺少坐标"),
    ({"type": "FeatureCollection", "features": []}, "几何类型为 FeatureCollection"),
    ("not a dict", "没有找到几何图形"),
])
def test_bad_geometry_is_refused_saying_what_is_wrong(geometry, says):
    with pytest.raises(GeometryError) as exc:
        clean_geometry(geometry)
    assert says in str(exc.value)


def test_the_administrator_uploads_a_polygon_and_history_names_it(users, make_parcel):
    parcel = make_parcel()
    services.parcel_set_geometry(actor=users["admin"], parcel=parcel, data=json.dumps(SQUARE).encode())
    parcel.refresh_from_db()
    assert parcel.geometry["type"] == "Polygon" and parcel.version == 2
    assert ChangeRecord.objects.filter(object_id=parcel.pk, note="上传边界").count() == 1


def test_a_bad_file_for_one_parcel_names_the_parcel_and_writes_nothing(users, make_parcel):
    parcel = make_parcel(code="HM-7")
    with pytest.raises(ApplicationError) as exc:
        services.parcel_set_geometry(actor=users["admin"], parcel=parcel, data=b'{"type": "Polygon", ')
    assert exc.value.message.startswith("地块 HM-7 的边界：不是有效的 GeoJSON：第1行")
    with pytest.raises(ApplicationError, match="自相交"):
        services.parcel_set_geometry(actor=users["admin"], parcel=parcel, data=BOW_TIE)
    parcel.refresh_from_db()
    assert parcel.geometry is None and parcel.version == 1


def test_only_the_administrator_uploads_polygons(users, land_user, make_parcel):
    parcel = make_parcel()
    for who in (land_user, users["leader"], users["supervisor"]):
        with pytest.raises(PermissionDeniedError):
            services.parcel_set_geometry(actor=who, parcel=parcel, data=SQUARE)


def _collection(*features):
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geometry} for props, geometry in features]}


def test_a_collection_is_matched_by_code_and_reloading_it_changes_nothing(users, make_parcel):
    a, b = make_parcel(code="A-1"), make_parcel(code="B-2")
    data = _collection(({"code": "A-1"}, SQUARE), ({"地块编号": "B-2"}, SQUARE))
    assert services.parcels_load_collection(actor=users["admin"], data=data) == {"matched": 2, "changed": 2}
    assert services.parcels_load_collection(actor=users["admin"], data=data) == {"matched": 2, "changed": 0}
    assert Parcel.objects.filter(pk__in=[a.pk, b.pk], geometry__isnull=False, version=2).count() == 2


def test_every_bad_feature_is_named_and_nothing_is_loaded(users, make_parcel):
    make_parcel(code="A-1")
    data = _collection(
        ({"code": "A-1"}, SQUARE),
        ({"name": "没有编号"}, SQUARE),
        ({"code": "X-9"}, SQUARE),
        ({"code": "A-1"}, SQUARE),
        ({"code": "C-3"}, BOW_TIE),
    )
    with pytest.raises(ApplicationError) as exc:
        services.parcels_load_collection(actor=users["admin"], data=data)
    errors = exc.value.extra["errors"]
    assert errors == [
        "第2个要素：属性中缺少地块编号（code、编号 或 地块编号）",
        "第4个要素（地块编号 A-1）：地块编号在文件中重复出现",
        "第5个要素（地块编号 C-3）：边界自相交（在 121.050000 , 31.050000 附近）",
        "地块编号 X-9：系统中没有该地块，请先登记地块",
    ]
    assert exc.value.message.startswith("边界文件有 4 处错误，未导入任何边界")
    assert not Parcel.objects.filter(geometry__isnull=False).exists()
