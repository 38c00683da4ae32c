"""Parcel polygons from GeoJSON: checked here, refused in Chinese, stored as plain GeoJSON geometry.

GEOS (through shapely) judges validity — self-intersection, holes outside the shell, too few
points — so we do not write our own polygon code. Coordinates are longitude/latitude (WGS84),
which the park map draws as they are.
"""

from __future__ import annotations

import json
import math
import re

import shapely
from shapely.geometry import mapping, shape

POLYGON_TYPES = {"Polygon", "MultiPolygon"}
MAX_VERTICES = 5000  # a surveyed parcel has dozens; thousands means the wrong file
CODE_KEYS = ("code", "编号", "地块编号")


class GeometryError(ValueError):
    """Bad geometry; the message says what is wrong and where."""


def load_json(data: bytes | str):
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise GeometryError("文件不是 UTF-8 编码的 GeoJSON 文本，请用 GIS 软件另存为 GeoJSON（UTF-8）后再上传") from None
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise GeometryError(f"不是有效的 GeoJSON：第{exc.lineno}行第{exc.colno}列格式有误") from None


_REASONS = [
    (re.compile(r"^Ring Self-intersection\[([-0-9.eE]+) ([-0-9.eE]+)"), "边界环自相交（在 {} , {} 附近）"),
    (re.compile(r"^Self-intersection\[([-0-9.eE]+) ([-0-9.eE]+)"), "边界自相交（在 {} , {} 附近）"),
    (re.compile(r"^Too few points"), "顶点太少，一个多边形至少要 3 个不同的顶点"),
    (re.compile(r"^Hole lies outside shell"), "内环（洞）在外边界之外"),
    (re.compile(r"^Nested shells"), "多个外边界相互嵌套"),
    (re.compile(r"^Interior is disconnected"), "内环把多边形分成了不相连的几块"),
    (re.compile(r"^Duplicate Rings"), "有重复的边界环"),
]


def _reason(explained: str) -> str:
    for pattern, text in _REASONS:
        match = pattern.match(explained)
        if match:
            return text.format(*(f"{float(g):.6f}" for g in match.groups()))
    return f"几何图形无效（{explained}）"


def _positions(coords):
    """Every [lon, lat, ...] position of nested coordinate arrays."""
    if isinstance(coords, list | tuple) and coords and all(isinstance(c, int | float) for c in coords):
        yield coords
    elif isinstance(coords, list | tuple):
        for c in coords:
            yield from _positions(c)


def clean_geometry(value) -> dict:
    """A Polygon or MultiPolygon (bare, or the geometry of a Feature) as stored GeoJSON, or GeometryError."""
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or "type" not in value:
        raise GeometryError("没有找到几何图形：应为 Polygon、MultiPolygon 或含其一的 Feature")
    kind = value.get("type")
    if kind not in POLYGON_TYPES:
        raise GeometryError(f"几何类型为 {kind}，地块边界应为面（Polygon 或 MultiPolygon）")
    coords = value.get("coordinates")
    if not isinstance(coords, list) or not coords:
        raise GeometryError("缺少坐标（coordinates）")
    positions = list(_positions(coords))
    if not positions:
        raise GeometryError("缺少坐标（coordinates）")
    if len(positions) > MAX_VERTICES:
        raise GeometryError(f"顶点有 {len(positions)} 个，超过 {MAX_VERTICES} 个；请先在 GIS 软件中简化边界")
    for pos in positions:
        if len(pos) < 2 or not all(math.isfinite(c) for c in pos[:2]):
            raise GeometryError(f"坐标 {pos} 不是经纬度")
        lon, lat = pos[0], pos[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise GeometryError(
                f"坐标 {lon}, {lat} 不是经纬度（经度 -180～180，纬度 -90～90）；请导出为 WGS84（EPSG:4326）坐标"
            )
    try:
        geom = shape(value)
    except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.GEOSException):
        raise GeometryError("坐标结构不对：多边形应为由首尾相同的坐标环组成的数组") from None
    if geom.is_empty:
        raise GeometryError("几何图形为空")
    if not geom.is_valid:
        raise GeometryError(_reason(shapely.is_valid_reason(geom)))
    return json.loads(json.dumps(mapping(geom)))  # tuples → lists, rings closed


def feature_code(feature: dict) -> str:
    props = feature.get("properties") or {}
    for key in CODE_KEYS:
        if props.get(key) not in (None, ""):
            return str(props[key]).strip()
    return ""


def split_collection(data) -> tuple[dict[str, dict], list[str]]:
    """A FeatureCollection as {parcel code: geometry} and the errors, each naming the feature."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise GeometryError("文件应为 FeatureCollection（要素集合），每个要素的属性 code 写地块编号")
    found: dict[str, dict] = {}
    errors: list[str] = []
    for n, feature in enumerate(data["features"], start=1):
        code = feature_code(feature) if isinstance(feature, dict) else ""
        where = f"第{n}个要素" + (f"（地块编号 {code}）" if code else "")
        if not code:
            errors.append(f"{where}：属性中缺少地块编号（code、编号 或 地块编号）")
            continue
        if code in found:
            errors.append(f"{where}：地块编号在文件中重复出现")
            continue
        try:
            found[code] = clean_geometry(feature)
        except GeometryError as exc:
            errors.append(f"{where}：{exc}")
    if not data["features"]:
        errors.append("文件中没有要素")
    return found, errors


def centre(geometry: dict) -> tuple[float, float]:
    point = shape(geometry).representative_point()
    return point.x, point.y
