"""Pages of 招商引资. Every read starts from `visible_to(user)` (out of scope → 404); every write
calls a service and shows its ApplicationError as a message, never a 500."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuanqu.chains.models import ChainNode
from yuanqu.core import clock
from yuanqu.core.history import describe_changes, history_for
from yuanqu.core.pages import announce, form_page, save_form
from yuanqu.core.registerlist import RegisterList
from yuanqu.org.models import OrgUnit

from . import selectors, services
from .filters import active_modes, filter_companies, filter_leads, funnel_year, place_labels
from .forms import CompanyForm, FollowUpForm, LeadForm, StageForm
from .models import AttractionMode, CompanyTag, Lead, LeadEvent, Stage, TargetCompany
from .regions import GEO_FILES, MUNICIPALITIES, SHORT
from .tables import CompanyTable, LeadTable

Action = LeadEvent.Action

# Each stage button: its label, style, and what the comment box asks (required ones are marked).
STAGE_BUTTONS = {
    Action.CONTACT: {"label": "开始接触", "style": "primary", "comment": "说明（可选）"},
    Action.VISIT: {"label": "组织考察", "style": "primary", "comment": "说明（可选）"},
    Action.NEGOTIATE: {"label": "进入洽谈", "style": "primary", "comment": "说明（可选）"},
    Action.SIGN: {"label": "签约", "style": "success", "comment": "签约情况（可选）"},
    Action.TERMINATE: {"label": "终止", "style": "outline-danger", "comment": "终止原因", "required": True},
    Action.REOPEN: {"label": "重新跟进", "style": "outline-secondary", "comment": "说明（可选）"},
}


def _readable(user) -> None:
    if not (user.can("investment.read_all") or user.can("investment.edit_leads")):
        raise PermissionDenied(_("只有招商相关单位、领导和督查室可以查看招商线索。"))


def _lead_or_404(user, pk: int) -> Lead:
    try:
        return selectors.lead_detail(user, pk)
    except Lead.DoesNotExist:
        raise Http404 from None


def _nodes(filters):
    return ChainNode.objects.filter(pk=filters.node).select_related("chain") if filters.node else []


def _lead_choices(user, filters) -> dict:
    """What the leads' pages (list, board, map) show beside their rows: the filters' choices."""
    units = OrgUnit.objects.filter(pk__in=Lead.objects.visible_to(user).values("unit")).only("id", "name")
    return {"filters": filters, "units": units, "modes": active_modes(), "stage_choices": Stage.choices,
            "can_create": user.can("investment.edit_leads"), "place_note": place_labels(filters, _nodes(filters))}


def _list_context(user, params) -> tuple[dict, object]:
    filters, qs = filter_leads(user, params)
    return _lead_choices(user, filters), qs


class LeadList(RegisterList):
    template, partial = "investment/lead_list.html", "investment/_lead_table.html"
    table, sheet = LeadTable, "招商线索"

    def check(self, user):
        _readable(user)

    def find(self, user, params, on):
        return filter_leads(user, params)

    def context(self, request, found):
        return _lead_choices(request.user, found.filters)

    def filename(self, found):
        return f"招商线索-{found.on:%Y%m%d}.xlsx"

    def note(self, found, rows):
        user, filters = found.request.user, found.filters
        scope = "范围：全部招商线索" if user.can("investment.read_all") else f"范围：{user.unit_names()}及下属单位的招商线索"
        labels = filters.labels(known={OrgUnit: OrgUnit.objects.filter(pk=filters.unit or 0),
                                       AttractionMode: active_modes(), ChainNode: _nodes(filters)})
        return "；".join([*labels, scope, f"共{len(rows)}条"])


LEADS = LeadList()
lead_list, lead_export = LEADS.page, LEADS.export


@login_required
def lead_board(request):
    user = request.user
    _readable(user)
    context, qs = _list_context(user, request.GET)
    context["columns"] = selectors.board(filter_leads(user, request.GET, stage=False)[1])
    context["board_cards"] = selectors.BOARD_CARDS
    return render(request, "investment/lead_board.html", context)


def _detail_context(request, lead: Lead, **extra) -> dict:
    user = request.user
    allowed = services.allowed_actions(user, lead)
    return {
        "lead": lead,
        "buttons": [{"action": a, **STAGE_BUTTONS[a]} for a in STAGE_BUTTONS if a in allowed],
        "can_edit": services.may_edit(user, lead),
        "follow_ups": list(lead.follow_ups.all()),
        "events": list(lead.events.all()),
        "history": describe_changes(history_for(lead).order_by("-time", "-id")[:50], Lead),
        "follow_up_form": extra.pop("follow_up_form", None) or FollowUpForm(initial={"date": clock.today()}),
        "stages": [*Stage],
        **extra,
    }


@login_required
def lead_detail(request, pk: int):
    lead = _lead_or_404(request.user, pk)
    return render(request, "investment/lead_detail.html", _detail_context(request, lead))


@login_required
@require_POST
def lead_act(request, pk: int, action: str):
    user = request.user
    lead = _lead_or_404(user, pk)
    if action not in services.LEAD_FLOW:
        raise Http404
    form = StageForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    announce(request, lambda: services.lead_transition(actor=user, lead=lead, action=action,
                                                       comment=data.get("comment") or "",
                                                       expected_version=data.get("version")),
             _("已%(verb)s。") % {"verb": services.LEAD_FLOW[action].label})
    return redirect("investment:lead_detail", pk=pk)


@login_required
@require_POST
def follow_up_add(request, pk: int):
    user = request.user
    lead = _lead_or_404(user, pk)
    form = FollowUpForm(request.POST)
    if save_form(request, form, lambda data, _v: services.follow_up_create(actor=user, lead=lead, data=data),
                 _("跟进记录已保存。")):
        return redirect("investment:lead_detail", pk=pk)
    lead = _lead_or_404(user, pk)
    return render(request, "investment/lead_detail.html", _detail_context(request, lead, follow_up_form=form),
                  status=400)


def _lead_form(request, lead: Lead | None):
    user = request.user
    if lead is None and not user.can("investment.edit_leads"):
        raise PermissionDenied(_("只有单位填报员可以登记招商线索。"))
    if lead is not None and not services.may_edit(user, lead):
        raise PermissionDenied(_("只能修改本单位的招商线索。"))
    initial = {"expected_version": lead.version} if lead else {"unit": user.unit_id}
    form = LeadForm(request.POST or None, instance=lead, initial=initial, user=user)

    def save(data, version):
        if lead is None:
            return services.lead_create(actor=user, data=data)
        return services.lead_update(actor=user, lead=lead, data=data, expected_version=version)

    return form_page(request, form, save, _("招商线索已保存。"), then="investment:lead_detail",
                     template="investment/lead_form.html", context={"lead": lead})


@login_required
def lead_create(request):
    return _lead_form(request, None)


@login_required
def lead_edit(request, pk: int):
    return _lead_form(request, _lead_or_404(request.user, pk))


# ---------------------------------------------------------------- target companies


def _companies_readable(user) -> None:
    if not user.can("investment.read_companies"):
        raise PermissionDenied(_("您无权查看目标企业库。"))


class CompanyList(RegisterList):
    template, sheet = "investment/company_list.html", "目标企业库"

    def check(self, user):
        _companies_readable(user)

    def find(self, user, params, on):
        return filter_companies(user, params)

    def context(self, request, found):
        return {"kind_choices": TargetCompany.Kind.choices, "tags": CompanyTag.objects.all(),
                "can_create": services.may_edit_companies(request.user),
                "place_note": place_labels(found.filters, _nodes(found.filters))}

    def make_table(self, rows, found, *, page):
        # The page's rows carry their edit links; the export is the data alone.
        if not page:
            return CompanyTable(rows)
        return CompanyTable(rows, editable=services.may_edit_companies(found.request.user))

    def filename(self, found):
        return f"目标企业库-{found.on:%Y%m%d}.xlsx"

    def note(self, found, rows):
        return "；".join([*place_labels(found.filters, _nodes(found.filters)), f"共{len(rows)}家"])


COMPANIES = CompanyList()
company_list, company_export = COMPANIES.page, COMPANIES.export


def _company_form(request, company: TargetCompany | None):
    user = request.user
    if not services.may_edit_companies(user):
        raise PermissionDenied(_("您无权维护目标企业库。"))
    form = CompanyForm(request.POST or None, instance=company,
                       initial={"expected_version": company.version} if company else None)

    def save(data, version):
        if company is None:
            return services.company_create(actor=user, data=data)
        return services.company_update(actor=user, company=company, data=data, expected_version=version)

    if request.method == "POST" and save_form(request, form, save, _("目标企业已保存。")):
        return redirect("investment:company_list")
    return render(request, "investment/company_form.html", {"form": form, "company": company})


@login_required
def company_create(request):
    return _company_form(request, None)


@login_required
def company_edit(request, pk: int):
    _companies_readable(request.user)
    company = TargetCompany.objects.visible_to(request.user).filter(pk=pk).first()
    if company is None:
        raise Http404
    return _company_form(request, company)


# ---------------------------------------------------------------- 招商地图, funnel and ranking

MAP_SHOWS = {"leads": "招商线索（来源地）", "companies": "目标企业（总部所在地）"}


def _map_url(show: str, params: dict) -> str:
    base = reverse("investment:lead_list" if show == "leads" else "investment:company_list")
    return f"{base}?{urlencode({k: v for k, v in params.items() if v})}"


@login_required
def region_map(request):
    """China by province (or one province by city): how many leads come from each, or how many
    target companies have their headquarters there; a click opens the list behind the region."""
    user = request.user
    show = request.GET.get("show") if request.GET.get("show") in MAP_SHOWS else "leads"
    if show == "leads":
        _readable(user)
        filters, qs = filter_leads(user, request.GET)
    else:
        _companies_readable(user)
        filters, qs = filter_companies(user, request.GET)
    province = filters.province if filters.province not in MUNICIPALITIES else ""
    prefix = "source" if show == "leads" else "hq"
    regions = selectors.region_counts(qs, prefix, province)
    # The list behind each region keeps the page's other filters.
    kept = {k: v for k, v in request.GET.items() if k not in ("show", "province", "city", "page")}
    for region in regions:
        where = {"province": province, "city": region["name"]} if province else {"province": region["name"]}
        region["url"] = _map_url(show, {**kept, **where}) if region["name"] else ""
        region["short"] = SHORT.get(region["name"], "") if not province else region["name"]
        region["drill"] = (f"?{urlencode({**kept, 'show': show, 'province': region['name']})}"
                           if not province and region["name"] and region["name"] not in MUNICIPALITIES else "")
    placed = [r for r in regions if r["name"]]
    data = {
        "geo": static(f"vendor/china-geojson/{GEO_FILES[SHORT[province]]}_geo.json" if province
                      else "vendor/china-geojson/china.json"),
        "level": "city" if province else "province", "show": show,
        "regions": [{"name": r["short"], "value": r["count"], "amount": r["amount"], "url": r["url"]} for r in placed],
    }
    context = {
        "show": show, "shows": MAP_SHOWS, "province": province, "regions": placed, "data": data,
        "unplaced": sum(r["count"] for r in regions if not r["name"]), "total": sum(r["count"] for r in regions),
        "filters": filters, "list_url": _map_url(show, {**kept, "province": province}),
    }
    if show == "leads":
        context.update(_list_context(user, request.GET)[0])
    return render(request, "investment/region_map.html", context)


@login_required
def lead_funnel(request):
    """The stage funnel of the leads registered in a year (with the list's filters) and the owning
    units ranked by leads signed that year and leads in progress."""
    user = request.user
    _readable(user)
    context, qs = _list_context(user, request.GET)
    year = funnel_year(request.GET)
    registered = qs.filter(created_at__year=year) if year else qs
    stages, terminated = selectors.funnel(registered)
    ranking = selectors.unit_ranking(qs, year)
    this_year = clock.today().year
    context.update(
        year=year, years=list(range(this_year, this_year - 6, -1)), stages=stages, terminated=terminated,
        ranking=ranking,
        chart={"stages": [{"name": s["label"], "value": s["reached"], "amount": s["amount"], "now": s["now"],
                           "url": _map_url("leads", {**request.GET.dict(), "stage": s["stage"], "year": ""})}
                          for s in stages],
               "ranking": [{"name": r["name"], "signed": r["signed"], "amount": r["amount"], "open": r["open"],
                            "url": _map_url("leads", {"unit": r["unit"]})} for r in ranking[:15]]},
    )
    return render(request, "investment/lead_funnel.html", context)
