"""The leaders' cockpit: one page of charts and lists, and the same data as JSON.

For leaders, the 督查室 and administrators (users who read everything). A unit's reporter is
sent to their unit's page instead: a cockpit of one unit would be a thinner copy of it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yuanqu.core import clock
from yuanqu.core.ids import parse_id

from .selectors import cockpit_data, pick_plan


def _plan_and_data(request):
    on = clock.today()
    raw = (request.GET.get("plan") or "").strip()
    plan_id = parse_id(raw)
    if raw and plan_id is None:
        raise Http404  # an id no plan can have is as unknown as one the user may not see
    plan, plans = pick_plan(request.user, plan_id, on)
    if plan is None and plan_id is not None:
        raise Http404
    data = cockpit_data(plan, request.user, on) if plan is not None else None
    return plan, plans, data, on


@login_required
def index(request):
    user = request.user
    if not user.can("cockpit.view"):
        messages.info(request, _("领导驾驶舱供领导、督查室和系统管理员使用，已为您打开本单位的目标。"))
        return redirect("plans:my_unit")
    plan, plans, data, on = _plan_and_data(request)
    # The section chart grows with the number of sections so each bar stays readable.
    sections_height = max(260, 48 * len(data["sections"]) + 60) if data else 0
    context = {"plan": plan, "plans": plans, "data": data, "today": on, "sections_height": sections_height,
               "tile_minutes": (settings.YUANQU_PANEL_CACHE_SECONDS + 59) // 60}
    return render(request, "cockpit/index.html", context)


@login_required
def data(request):
    if not request.user.can("cockpit.view"):
        return JsonResponse({"message": _("领导驾驶舱仅供领导、督查室和系统管理员查看。")}, status=403)
    plan, _plans, payload, _on = _plan_and_data(request)
    if payload is None:
        return JsonResponse({"message": _("尚无可查看的年度计划。")}, status=404)
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
