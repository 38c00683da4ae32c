"""The village or community page: what a 片区 leader reads before a visit.

It lives in `org` because it is the page of a shared record (an OrgUnit of kind 村 or 社区): org
imports no register, and every register adds its part through the core.panels point
"org.village" in its AppConfig.ready() (indicators: its figures over time; party: the Party
organisation and 两委换届; the grid, when built, its grid). Each panel reads as the page's user may.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from .models import OrgUnit

RURAL = (OrgUnit.Kind.VILLAGE, OrgUnit.Kind.COMMUNITY)


def may_read_village(user, unit: OrgUnit) -> bool:
    """Zone-wide readers (org.read_villages), and the people of the village or of a unit above it."""
    return user.can("org.read_villages") or unit.pk in user.scope_units()


@login_required
def village_page(request, pk: int):
    unit = get_object_or_404(OrgUnit.objects.select_related("parent"), pk=pk, kind__in=RURAL)
    if not may_read_village(request.user, unit):
        raise PermissionDenied("只能查看本村（社区）或本片区的村（社区）概况。")
    siblings = OrgUnit.objects.filter(kind__in=RURAL, is_active=True, parent=unit.parent_id).order_by("order", "pk")
    return render(request, "org/village.html", {
        "unit": unit, "siblings": [s for s in siblings if may_read_village(request.user, s)]})
