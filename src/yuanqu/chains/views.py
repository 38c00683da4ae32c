"""Chain pages: the list of chains with their gap counts, a chain's tree (ECharts, coloured by
status) and list, a node's panel with its enterprises, and the edit forms. Reads start from
`Chain.objects.visible_to(user)` (out of scope → 404); writes go through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError
from yuanqu.core.pages import apply_service_error, is_partial
from yuanqu.core.trees import ancestor_ids
from yuanqu.core.xlsx import xlsx_response

from . import selectors, services
from .forms import ChainForm, NodeForm, PlacementForm
from .models import Chain, ChainNode, NodeEnterprise
from .tables import NodeGapTable


def _chain_or_404(user, pk: int) -> Chain:
    return get_object_or_404(Chain.objects.visible_to(user).select_related("lead_unit"), pk=pk)


def _node_or_404(user, pk: int) -> ChainNode:
    return get_object_or_404(ChainNode.objects.visible_to(user).select_related("chain", "parent"), pk=pk)


def _require_edit(user, chain: Chain | None) -> None:
    if not services.may_edit(user, chain):
        raise PermissionDenied(_("只有督查室、系统管理员或产业链牵头单位可以编辑产业链图谱。"))


@login_required
def chain_list(request):
    chains = list(Chain.objects.visible_to(request.user).select_related("lead_unit"))
    gaps = selectors.gaps_for_chains(chains)
    rows = [{"chain": c, "nodes": len(gaps[c.pk]), "counts": selectors.status_counts(gaps[c.pk])} for c in chains]
    return render(request, "chains/chain_list.html", {
        "rows": rows, "statuses": selectors.Status, "colours": selectors.COLOUR,
        "can_create": services.may_edit(request.user, None),
    })


@login_required
def chain_detail(request, pk: int):
    chain = _chain_or_404(request.user, pk)
    gaps = selectors.chain_gaps(chain)
    status = request.GET.get("status", "")
    shown = [g for g in gaps if g.status == status] if status in selectors.Status.values else gaps
    return render(request, "chains/chain_detail.html", {
        "chain": chain, "tree": selectors.chain_tree(chain, gaps), "table": NodeGapTable(shown),
        "counts": selectors.status_counts(gaps), "statuses": selectors.Status, "colours": selectors.COLOUR,
        "status": status, "can_edit": services.may_edit(request.user, chain),
        "sources": list(selectors.NODE_SOURCES.values()),
        "tree_height": max(480, 22 * len({g.node.pk for g in gaps} - {g.node.parent_id for g in gaps})),
    })


@login_required
def chain_export(request, pk: int):
    chain = _chain_or_404(request.user, pk)
    gaps = selectors.chain_gaps(chain)
    sheet = NodeGapTable(gaps).sheet(f"{chain.name}产业链", f"导出日期：{clock.today():%Y-%m-%d}")
    return xlsx_response(f"产业链-{chain.name}-{clock.today():%Y%m%d}.xlsx", sheet)


@login_required
def node_panel(request, pk: int):
    node = _node_or_404(request.user, pk)
    gap = next(g for g in selectors.chain_gaps(node.chain) if g.node.pk == node.pk)
    context = {
        "node": node, "gap": gap, "placements": list(selectors.node_placements(node)),
        "ancestors": list(ChainNode.objects.filter(pk__in=ancestor_ids(node.path)[:-1]).order_by("path")),
        "can_edit": services.may_edit(request.user, node.chain), "form": PlacementForm(),
        "sources": list(selectors.NODE_SOURCES.values()),
        # For a gap, whom to call: the registers' firms and leads on this link (scoped to the user).
        "call_lists": selectors.call_lists(request.user, node) if gap.status != selectors.Status.STRONG else [],
    }
    template = "chains/_node_panel.html" if is_partial(request) else "chains/node_detail.html"
    return render(request, template, context)


def _chain_form(request, chain: Chain | None):
    _require_edit(request.user, chain)
    form = ChainForm(request.POST or None, instance=chain)
    if request.method == "POST" and form.is_valid():
        try:
            if chain is None:
                chain = services.chain_create(actor=request.user, data=form.cleaned_data)
            else:
                services.chain_update(actor=request.user, chain=chain, data=form.cleaned_data,
                                      expected_version=request.POST.get("version"))
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("已保存产业链“%s”。") % chain.name)
            return redirect("chains:detail", pk=chain.pk)
    return render(request, "chains/chain_form.html", {"form": form, "chain": chain})


@login_required
def chain_create(request):
    return _chain_form(request, None)


@login_required
def chain_edit(request, pk: int):
    return _chain_form(request, _chain_or_404(request.user, pk))


def _node_form(request, chain: Chain, node: ChainNode | None):
    _require_edit(request.user, chain)
    initial = {"parent": request.GET.get("parent")} if node is None else None
    form = NodeForm(request.POST or None, instance=node, chain=chain, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if node is None:
                node = services.node_create(actor=request.user, chain=chain, data=form.cleaned_data)
            else:
                node = services.node_update(actor=request.user, node=node, data=form.cleaned_data,
                                            expected_version=request.POST.get("version"))
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("已保存节点“%s”。") % node.name)
            return redirect(f"{chain.get_absolute_url()}?node={node.pk}")
    return render(request, "chains/node_form.html", {"form": form, "chain": chain, "node": node})


@login_required
def node_create(request, pk: int):
    return _node_form(request, _chain_or_404(request.user, pk), None)


@login_required
def node_edit(request, pk: int):
    node = _node_or_404(request.user, pk)
    return _node_form(request, node.chain, node)


@login_required
@require_POST
def node_delete(request, pk: int):
    node = _node_or_404(request.user, pk)
    _require_edit(request.user, node.chain)
    try:
        services.node_delete(actor=request.user, node=node)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(f"{node.chain.get_absolute_url()}?node={node.pk}")
    messages.success(request, _("已删除节点“%s”。") % node.name)
    return redirect(node.chain.get_absolute_url())


@login_required
@require_POST
def placement_add(request, pk: int):
    node = _node_or_404(request.user, pk)
    _require_edit(request.user, node.chain)
    form = PlacementForm(request.POST)
    if form.is_valid():
        try:
            services.placement_create(actor=request.user, node=node, **form.cleaned_data)
        except ApplicationError as exc:
            apply_service_error(form, exc)
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("已将“%(e)s”加入“%(n)s”。") % {"e": form.cleaned_data["enterprise"], "n": node.name})
    return redirect(f"{node.chain.get_absolute_url()}?node={node.pk}")


@login_required
@require_POST
def placement_delete(request, pk: int):
    placement = get_object_or_404(
        NodeEnterprise.objects.visible_to(request.user).select_related("node__chain", "enterprise"), pk=pk)
    _require_edit(request.user, placement.node.chain)
    services.placement_delete(actor=request.user, placement=placement)
    messages.success(request, _("已将“%s”移出该节点。") % placement.enterprise)
    return redirect(f"{placement.node.chain.get_absolute_url()}?node={placement.node_id}")
