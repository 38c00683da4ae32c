"""Writes of chains, their nodes and the enterprises on them. Who may: `chains.edit`, zone-wide
(督查室, 系统管理员) or for the chain's lead unit (its 单位填报员, e.g. the 招商局's)."""

from __future__ import annotations

from django.db import transaction

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.models import ChangeRecord
from yuanqu.core.services import create_record, delete_record, update_record, validate

from .models import Chain, ChainNode, NodeEnterprise

EDIT = "chains.edit"


def may_edit(user, chain: Chain | None) -> bool:
    if user is None:
        return True
    if chain is None or chain.lead_unit_id is None:
        return user.units_for(EDIT).everything
    return user.can(EDIT, unit=chain.lead_unit_id)


def _require(actor, chain: Chain | None) -> None:
    if not may_edit(actor, chain):
        raise PermissionDeniedError("只有督查室、系统管理员或产业链牵头单位可以编辑产业链图谱。")


def _assign(obj, fields, data: dict) -> None:
    """Set the given fields; a foreign key may come as a record or as its id (an import's revert)."""
    for key in fields:
        if key in data:
            value = data[key]
            field = obj._meta.get_field(key)
            if field.is_relation and not hasattr(value, "pk"):
                setattr(obj, field.attname, value)
            else:
                setattr(obj, key, value)


# ---------------------------------------------------------------- chains


@transaction.atomic
def chain_create(*, actor, data: dict, is_demo: bool = False) -> Chain:
    chain = Chain(is_demo=is_demo)
    _assign(chain, Chain.WRITABLE_FIELDS, data)
    _require(actor, chain)
    return create_record(actor=actor, obj=chain)


@transaction.atomic
def chain_update(*, actor, chain: Chain, data: dict, expected_version=None) -> Chain:
    chain = Chain.objects.select_for_update().get(pk=chain.pk)
    _require(actor, chain)

    def apply():
        _assign(chain, Chain.WRITABLE_FIELDS, data)
        _require(actor, chain)  # nobody hands a chain to a unit they could not edit for

    update_record(actor=actor, obj=chain, fields=Chain.WRITABLE_FIELDS, apply=apply, expected_version=expected_version)
    return chain


# ---------------------------------------------------------------- nodes


def _check_node(node: ChainNode) -> None:
    if node.parent_id is not None:
        parent = node.parent
        if parent.chain_id != node.chain_id:
            raise ApplicationError(f"上级节点“{parent}”属于另一条产业链。", field="parent")
        node.segment = parent.segment  # a node sits in its top node's 环节
    elif not node.segment:
        raise ApplicationError("一级节点请选择环节（上游、中游或下游）。", field="segment")
    node.code = (node.code or "").strip()
    node.name = (node.name or "").strip()
    clash = ChainNode.objects.filter(chain_id=node.chain_id, code=node.code).exclude(pk=node.pk).first()
    if node.code and clash is not None:
        raise ApplicationError(f"编码“{node.code}”在本产业链中已用于“{clash.name}”。", field="code")
    validate(node)


@transaction.atomic
def node_create(*, actor, chain: Chain, data: dict, is_demo: bool = False) -> ChainNode:
    _require(actor, chain)
    node = ChainNode(chain=chain, is_demo=is_demo)
    _assign(node, ChainNode.WRITABLE_FIELDS, data)
    _check_node(node)
    node.save()
    record_change(actor=actor, obj=node, action=ChangeRecord.Action.CREATE,
                  after=snapshot(node, ChainNode.WRITABLE_FIELDS))
    return node


@transaction.atomic
def node_update(*, actor, node: ChainNode, data: dict, expected_version=None) -> ChainNode:
    node = ChainNode.objects.select_for_update().select_related("chain").get(pk=node.pk)
    _require(actor, node.chain)
    old_segment = node.segment

    def apply():
        _assign(node, ChainNode.WRITABLE_FIELDS, data)
        _check_node(node)

    changed = update_record(actor=actor, obj=node, fields=ChainNode.WRITABLE_FIELDS, apply=apply,
                            expected_version=expected_version)
    if changed and node.segment != old_segment:
        # The subtree follows its top node's 环节 (one UPDATE; the change is the node's own record).
        ChainNode.objects.filter(path__startswith=node.path).exclude(pk=node.pk).update(segment=node.segment)
    return node


@transaction.atomic
def node_delete(*, actor, node: ChainNode) -> None:
    node = ChainNode.objects.select_for_update().select_related("chain").get(pk=node.pk)
    _require(actor, node.chain)
    children = node.children.count()
    placed = node.placements.count()
    if children or placed:
        parts = [f"{children}个下级节点" if children else "", f"{placed}家企业" if placed else ""]
        raise ApplicationError(f"“{node.name}”下还有{'、'.join(p for p in parts if p)}，请先移走或删除。")
    delete_record(actor=actor, obj=node)


# ---------------------------------------------------------------- enterprises on nodes


@transaction.atomic
def placement_create(*, actor, node: ChainNode, enterprise, role: str = NodeEnterprise.Role.SUPPORTING,
                     output=None, is_demo: bool = False) -> NodeEnterprise:
    _require(actor, node.chain)
    if NodeEnterprise.objects.filter(node=node, enterprise=enterprise).exists():
        raise ApplicationError(f"“{enterprise}”已在节点“{node.name}”上。", field="enterprise")
    placement = NodeEnterprise(node=node, enterprise=enterprise, role=role, output=output, is_demo=is_demo)
    return create_record(actor=actor, obj=placement, fields=("node", "enterprise", *NodeEnterprise.WRITABLE_FIELDS))


@transaction.atomic
def placement_update(*, actor, placement: NodeEnterprise, data: dict, expected_version=None) -> NodeEnterprise:
    placement = NodeEnterprise.objects.select_for_update().select_related("node__chain").get(pk=placement.pk)
    _require(actor, placement.node.chain)
    update_record(actor=actor, obj=placement, fields=NodeEnterprise.WRITABLE_FIELDS,
                  apply=lambda: _assign(placement, NodeEnterprise.WRITABLE_FIELDS, data),
                  expected_version=expected_version)
    return placement


@transaction.atomic
def placement_delete(*, actor, placement: NodeEnterprise) -> None:
    placement = NodeEnterprise.objects.select_for_update().select_related("node__chain").get(pk=placement.pk)
    _require(actor, placement.node.chain)
    delete_record(actor=actor, obj=placement, fields=("node", "enterprise", *NodeEnterprise.WRITABLE_FIELDS))
