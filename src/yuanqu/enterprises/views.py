"""Pages of the enterprise register: the list (and its export), an enterprise, the form for the
经发局, and the growth tiers. Reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from yuanqu.core.pages import require_ability, save_form
from yuanqu.core.registerlist import RegisterList
from yuanqu.org.models import OrgUnit

from . import selectors, services
from .forms import EnterpriseForm
from .models import Enterprise, EnterpriseTag, IndustrySection, TierStep
from .tables import EnterpriseTable


def _reader(user) -> None:
    # Readers of all, and members of units (who read the enterprises their unit is paired with).
    if not (user.can("enterprises.read") or user.scope_units()):
        raise PermissionDenied("只有领导、督查室、经发局和挂钩单位可以查看企业。")


def _choices(request, found) -> dict:
    return {
        "sections": IndustrySection.objects.prefetch_related("divisions"),
        "scale_choices": Enterprise.Scale.choices,
        "tags": EnterpriseTag.objects.filter(is_active=True),
        "steps": TierStep.objects.filter(is_active=True),
        "units": OrgUnit.objects.filter(pk__in=Enterprise.objects.visible_to(request.user)
                                        .values("liaison_unit")).order_by("path"),
        "can_import": request.user.can("enterprises.edit"),  # administrators hold it too
        "can_create": services.may_edit(request.user),
    }


ENTERPRISES = RegisterList(
    check=_reader, find=lambda user, params, on: selectors.filter_enterprises(user, params),
    table=EnterpriseTable, sheet="企业", template="enterprises/list.html", partial="enterprises/_table.html",
    context=_choices)
enterprise_list, enterprise_export = ENTERPRISES.page, ENTERPRISES.export


@login_required
def enterprise_detail(request, pk: int):
    _reader(request.user)
    enterprise = get_object_or_404(
        Enterprise.objects.visible_to(request.user)
        .select_related("industry__section", "liaison_unit", "liaison_leader").prefetch_related("taggings__tag"),
        pk=pk)
    context = {
        "enterprise": enterprise,
        "taggings": sorted(enterprise.taggings.all(), key=lambda t: (t.tag.order, t.tag.pk)),
        "figures": selectors.enterprise_figures(enterprise),
        "sections": selectors.enterprise_sections(request.user, enterprise),
        "history": selectors.enterprise_history(enterprise),
        "can_edit": services.may_edit(request.user),
    }
    return render(request, "enterprises/detail.html", context)


def _form_page(request, enterprise: Enterprise | None):
    initial = EnterpriseForm.initial_for(enterprise) if enterprise else {}
    form = EnterpriseForm(request.POST or None, initial=initial)

    def save(data, version):
        if enterprise:
            return services.enterprise_update(actor=request.user, enterprise=enterprise, data=data,
                                              expected_version=version)
        return services.enterprise_create(actor=request.user, data=data)

    saved = request.method == "POST" and save_form(request, form, save, "企业已保存。")
    if saved:
        return redirect("enterprises:detail", pk=saved.pk)
    title = f"修改企业 {enterprise.name}" if enterprise else "登记企业"
    return render(request, "enterprises/form.html", {"form": form, "enterprise": enterprise, "title": title})


@login_required
def enterprise_create(request):
    require_ability(request.user, "enterprises.edit", "只有经发局企业管理员或系统管理员可以登记企业。")
    return _form_page(request, None)


@login_required
def enterprise_edit(request, pk: int):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    require_ability(request.user, "enterprises.edit", "只有经发局企业管理员或系统管理员可以修改企业。")
    return _form_page(request, enterprise)


@login_required
def tier_page(request):
    _reader(request.user)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 1990 <= int(year) <= 2100 else selectors.latest_year()
    report = selectors.tier_report(request.user, year)
    return render(request, "enterprises/tiers.html", {"report": report, "years": range(year - 3, year + 2)})
