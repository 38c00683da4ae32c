"""Reads of the land register, always from `visible_to(user)`."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from yuanqu.core.history import describe_changes, history_for
from yuanqu.core.listfilters import Choice, Chosen, ListFilters, Ref, Search

from .models import STATUS_COLOURS, LandQuota, LandUse, Parcel, Revitalisation

PARCEL_FILTERS = ListFilters(
    Choice("status", Parcel.Status, "状态"),
    Ref("planned_use", LandUse, "规划用途", doc="规划用途 id"),
    Search(("code", "name", "holder", "location"), doc="编号、名称、位置或使用权人中包含的文字"),
)


def filter_parcels(user, params) -> tuple[Chosen, QuerySet[Parcel]]:
    """The parcels the page, the export and the API list: scoped, filtered, by code (one query);
    values that are not valid are ignored."""
    filters = PARCEL_FILTERS.parse(params)
    qs = (Parcel.objects.visible_to(user).select_related("planned_use", "unit").defer("geometry")
          .annotate(geometry_present=ExpressionWrapper(Q(geometry__isnull=False), output_field=BooleanField())))
    return filters, filters.apply(qs).order_by("code")


def parcel_history(parcel: Parcel) -> list[dict]:
    return describe_changes(history_for(parcel).select_related("actor"), Parcel)


def parcel_revitalisations(user, parcel: Parcel) -> list[Revitalisation]:
    return list(Revitalisation.objects.visible_to(user).filter(parcel=parcel).order_by("planned_date", "pk"))


def quotas(user) -> list[LandQuota]:
    return list(LandQuota.objects.visible_to(user).order_by("-year"))


def _map_row(parcel: Parcel, url: str) -> dict:
    return {
        "name": parcel.code, "title": parcel.name, "status": parcel.status,
        "status_label": parcel.get_status_display(), "area": float(parcel.area_mu),
        "use": parcel.planned_use.name if parcel.planned_use else "", "holder": parcel.holder,
        "url": url, "colour": STATUS_COLOURS[parcel.status],
    }


def _collection(parcels: list[Parcel]) -> dict:
    features = [{"type": "Feature", "properties": {"name": p.code}, "geometry": p.geometry} for p in parcels]
    return {"type": "FeatureCollection", "features": features}


def map_data(user, parcel_url) -> dict:
    """The park map's GeoJSON and legend: the visible parcels that have a polygon, in one query.

    Each feature is named by the parcel's code (the map's region name) and carries what the
    tooltip and the click need; colours come from STATUS_COLOURS."""
    parcels = list(Parcel.objects.visible_to(user).filter(geometry__isnull=False).select_related("planned_use")
                   .order_by("code"))
    legend = [{"value": v, "label": str(label), "colour": STATUS_COLOURS[v]} for v, label in Parcel.Status.choices]
    return {"geojson": _collection(parcels), "parcels": [_map_row(p, parcel_url(p)) for p in parcels],
            "legend": legend}


def parcel_map(parcel: Parcel) -> dict:
    """One parcel's polygon for its own small map (drawn like the park map)."""
    return {"geojson": _collection([parcel]), "parcels": [_map_row(parcel, "")], "legend": []}
