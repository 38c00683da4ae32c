"""Demo land for `yuanqu demo`: parcels of a made-up park with polygons, a few 低效用地 being
revitalised, and three years of 新增建设用地 quota. Everything through the services, marked is_demo.

The park is invented: a grid of blocks along a river bank near 121.2°E 31.9°N, cut by roads.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from yuanqu.core.services import forget_history
from yuanqu.org.models import OrgUnit
from yuanqu.org.selectors import first_holder

from . import services
from .models import LandQuota, LandUse, Parcel, Revitalisation

S = Parcel.Status
ORIGIN = (121.150, 31.880)  # south-west corner of the made-up park
BLOCK = (0.0060, 0.0045)  # one block, in degrees of longitude and latitude (about 570 m × 500 m)
ROAD = 0.0006  # the road between blocks
ROWS, COLS = 4, 6

# Per block: (status, planned use, holder, area written as, supplied months ago)
HOLDERS = ["南通远洋邮轮配套有限公司", "皓晶新材料科技有限公司", "嘉浩精密制造有限公司", "佳禾汽车零部件有限公司",
           "长江口建筑科技有限公司", "海门智造装备有限公司", "江海物流有限公司", "三和纺织有限公司"]
PATTERN = [S.BUILT, S.BUILT, S.BUILDING, S.SUPPLIED, S.PENDING, S.RESERVE,
           S.BUILT, S.INEFFICIENT, S.BUILDING, S.SUPPLIED, S.PENDING, S.RESERVE,
           S.BUILT, S.IDLE, S.BUILT, S.BUILDING, S.PENDING, S.RESERVE,
           S.INEFFICIENT, S.BUILT, S.SUPPLIED, S.BUILDING, S.RESERVE, S.RESERVE]
USES = ["工业用地", "工业用地", "仓储用地", "工业用地", "物流用地", "科研用地"]
HELD = {S.SUPPLIED, S.BUILDING, S.BUILT, S.IDLE, S.INEFFICIENT}


def _polygon(row: int, col: int) -> dict:
    """A block with one corner nudged, so the parcels do not look stamped out."""
    x0 = ORIGIN[0] + col * (BLOCK[0] + ROAD)
    y0 = ORIGIN[1] + row * (BLOCK[1] + ROAD)
    x1, y1 = x0 + BLOCK[0], y0 + BLOCK[1]
    nudge = ((row * 7 + col * 3) % 5 - 2) * 0.0001  # at most a third of the road: blocks never touch
    ring = [[x0, y0], [x1, y0], [x1 + nudge, y1], [x0, y1], [x0, y0]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def _area_text(n: int, area_mu: Decimal) -> str:
    """Written as the surveys come: some in 亩, some in 平方米, one in 公顷."""
    if n % 5 == 1:
        return f"{(area_mu * Decimal('666.67')).quantize(Decimal(1))}平方米"
    if n % 11 == 3:
        return f"{(area_mu * Decimal('666.67') / 10000).quantize(Decimal('0.01'))}公顷"
    return f"{area_mu}亩"


def clear_demo() -> None:
    for model in (Revitalisation, Parcel, LandQuota):
        ids = list(model.objects.filter(is_demo=True).values_list("pk", flat=True))
        model.objects.filter(pk__in=ids).delete()
        forget_history(model, ids)


def build_demo(*, today: dt.date) -> None:
    unit = OrgUnit.objects.filter(is_demo=True, name="建设局").first() or OrgUnit.objects.filter(is_demo=True).first()
    if unit is None:
        return
    editor = first_holder("land.edit", role_assignments__unit=unit) or first_holder("land.edit")
    admin = first_holder("land.upload_geometry")
    uses = {u.name: u for u in LandUse.objects.all()}
    parcels = []
    for n, status in enumerate(PATTERN):
        row, col = divmod(n, COLS)
        area_mu = Decimal(760 + (n * 37) % 120) / Decimal(2)  # the blocks are about 400 亩 less roads and margins
        supplied = today - dt.timedelta(days=30 * (n % 14 + 1)) if status in HELD else None
        parcel = services.parcel_create(actor=editor, is_demo=True, data={
            "code": f"YQ-{row + 1:02d}-{col + 1:02d}", "name": f"滨江{row + 1}排{col + 1}号地块",
            "location": f"滨江大道以北第{row + 1}排、经{col + 1}路以东", "area_text": _area_text(n, area_mu),
            "planned_use": uses.get(USES[col]), "status": status, "unit": unit,
            "holder": HOLDERS[n % len(HOLDERS)] if status in HELD else "", "supply_date": supplied,
        })
        services.parcel_set_geometry(actor=admin, parcel=parcel, data=_polygon(row, col))
        parcels.append(parcel)
    _revitalise(editor, [p for p in parcels if p.status in (S.INEFFICIENT, S.IDLE)], today)
    for back, (asked, granted) in enumerate([(Decimal(600), None), (Decimal(550), Decimal(480)),
                                             (Decimal(500), Decimal(420))]):
        services.quota_create(actor=editor, is_demo=True, data={
            "year": today.year - back, "requested_mu": asked, "granted_mu": granted,
            "note": "" if granted else "已上报，待省厅下达",
        })


def _revitalise(actor, parcels: list[Parcel], today: dt.date) -> None:
    plans = [
        ("亩均税收低于园区平均水平的一半", Revitalisation.Method.UPGRADE, Revitalisation.Status.DONE, -40),
        ("企业停产两年以上", Revitalisation.Method.BUYBACK, Revitalisation.Status.IN_PROGRESS, 90),
        ("厂房闲置、土地长期未开发", Revitalisation.Method.MERGE, Revitalisation.Status.PLANNED, 200),
    ]
    for parcel, (cause, method, status, days) in zip(parcels, plans, strict=False):
        done = status == Revitalisation.Status.DONE
        services.revitalisation_create(actor=actor, parcel=parcel, is_demo=True, data={
            "cause": cause, "method": method, "status": status, "planned_date": today + dt.timedelta(days=days),
            "area_mu": (parcel.area_mu * Decimal("0.6")).quantize(Decimal("0.01")),
            "completed_on": today + dt.timedelta(days=days) if done else None,
        })
