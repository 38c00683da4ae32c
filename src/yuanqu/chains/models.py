"""产业链图谱: a chain is a tree of nodes (环节 → 细分领域 → 产品), enterprises sit on nodes.

Nodes keep a materialised path (core.trees, like org units) so a subtree is one indexed query;
each node's gap status (缺失/薄弱/延链/较强) is computed in selectors, never stored. The
thresholds behind 薄弱 are data: the chain's defaults, overridable per node.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import TimeStampedModel, VersionedModel
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.core.trees import save_with_path
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit


class Chain(TimeStampedModel, VersionedModel):
    name = models.CharField(_("产业链"), max_length=60, unique=True)
    description = models.TextField(_("说明"), blank=True)
    lead_unit = models.ForeignKey(OrgUnit, verbose_name=_("牵头单位"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    chief = models.CharField(_("链长"), max_length=60, blank=True)
    weak_min_enterprises = models.PositiveIntegerField(
        _("企业数下限"), default=2, help_text=_("节点内企业少于此数为薄弱（可在节点上单独设置）"))
    weak_min_output = models.DecimalField(
        _("产值下限（亿元）"), max_digits=12, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(0)], help_text=_("节点内企业年产值合计低于此数为薄弱；0 表示不看产值"))
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="chains.read_all", units=("lead_unit",))
    WRITABLE_FIELDS = ("name", "description", "lead_unit", "chief", "weak_min_enterprises", "weak_min_output", "order")

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("chains:detail", args=[self.pk])


class Segment(models.TextChoices):
    UP = "up", _("上游")
    MID = "mid", _("中游")
    DOWN = "down", _("下游")


class ChainNode(TimeStampedModel, VersionedModel):
    chain = models.ForeignKey(Chain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey("self", verbose_name=_("上级节点"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")
    code = models.CharField(_("编码"), max_length=30)
    name = models.CharField(_("节点名称"), max_length=100)
    # Set on top nodes; every node below inherits its top node's (services keep it so).
    segment = models.CharField(_("环节"), max_length=4, choices=Segment.choices)
    is_extension = models.BooleanField(_("延链节点"), default=False,
                                       help_text=_("园区尚未布局、拟扩链延链的方向"))
    min_enterprises = models.PositiveIntegerField(_("企业数下限"), null=True, blank=True,
                                                  help_text=_("空为沿用产业链的设置"))
    min_output = models.DecimalField(_("产值下限（亿元）"), max_digits=12, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(0)], help_text=_("空为沿用产业链的设置"))
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="chain")
    WRITABLE_FIELDS = ("parent", "code", "name", "segment", "is_extension", "min_enterprises", "min_output",
                       "description", "order")

    class Meta:
        verbose_name = _("产业链节点")
        verbose_name_plural = _("产业链节点")
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["chain", "code"], name="chain_node_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs) -> None:
        save_with_path(self, lambda: super(ChainNode, self).save(*args, **kwargs),
                       loop_message="上级节点不能是该节点本身或其下级节点。")

    @property
    def depth(self) -> int:
        return self.path.count(".")


class NodeEnterprise(TimeStampedModel, VersionedModel):
    class Role(models.TextChoices):
        CHAIN_LEADER = "leader", _("链主")
        HEAD = "head", _("龙头")
        BACKBONE = "backbone", _("骨干")
        SUPPORTING = "supporting", _("配套")

    node = models.ForeignKey(ChainNode, verbose_name=_("节点"), on_delete=models.CASCADE, related_name="placements")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="chain_placements")
    role = models.CharField(_("链上角色"), max_length=12, choices=Role.choices, default=Role.SUPPORTING)
    output = models.DecimalField(_("年产值（亿元）"), max_digits=12, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)])
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="node")
    WRITABLE_FIELDS = ("role", "output")

    class Meta:
        verbose_name = _("链上企业")
        verbose_name_plural = _("链上企业")
        ordering = ["node__path", "-output", "id"]
        constraints = [models.UniqueConstraint(fields=["node", "enterprise"], name="node_enterprise_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise} @ {self.node}"

    @property
    def role_label(self) -> str:  # 链主/龙头/…: the enterprise's place on the chain, not a user's role
        return self.Role(self.role).label
