"""招商引资: the target-company library, leads (在谈项目) with their stage, and the follow-up log.

The stage machine lives in services.py (LEAD_FLOW on core.workflow); attraction modes and company
tags are rows (configuration kept in the admin site), not code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.chains.models import ChainNode
from yuanqu.core.models import TimeStampedModel, VersionedModel
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.core.workflow import WorkflowEvent
from yuanqu.org.models import OrgUnit

from .amounts import CURRENCY_LABELS, format_amount


def place(province: str, city: str) -> str:
    """“广东省 深圳市”; a municipality once (“上海市”), a place abroad by its city alone."""
    return " ".join(p for p in (province, city if city != province else "") if p)


class CompanyTag(models.Model):
    """龙头型、基地型、科技型、品牌型 … (data: the office adds its own)."""

    name = models.CharField(_("标签"), max_length=20, unique=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class AttractionMode(models.Model):
    """以商招商、产业链招商、驻点招商 … (data: the office keeps the list)."""

    name = models.CharField(_("招商方式"), max_length=30, unique=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("招商方式")
        verbose_name_plural = _("招商方式")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class TargetCompany(TimeStampedModel, VersionedModel):
    """目标企业: a company the zone courts (domain.md §3: 世界500强、央企、民企500强、外资)."""

    class Kind(models.TextChoices):
        GLOBAL = "global", _("世界名企")
        CENTRAL = "central", _("大型央企")
        PRIVATE = "private", _("实力民企")
        FOREIGN = "foreign", _("外资企业")

    name = models.CharField(_("企业名称"), max_length=200, unique=True)
    kind = models.CharField(_("企业类别"), max_length=10, choices=Kind.choices)
    tags = models.ManyToManyField(CompanyTag, verbose_name=_("企业标签"), blank=True, related_name="companies")
    hq_province = models.CharField(_("总部所在省份"), max_length=30, blank=True)
    hq_city = models.CharField(_("总部所在城市"), max_length=30, blank=True)
    industry = models.CharField(_("所属行业"), max_length=100, blank=True)
    chain_node = models.ForeignKey(
        ChainNode, verbose_name=_("产业链节点"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("该企业在产业链上所处的环节（缺链时它就是招引对象）"),
    )
    significance = models.TextField(_("招引价值"), blank=True, help_text=_("为什么值得招引：产业链地位、带动作用等"))
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="investment.read_companies")

    WRITABLE_FIELDS = ("name", "kind", "tags", "hq_province", "hq_city", "industry", "chain_node", "significance")

    class Meta:
        verbose_name = _("目标企业")
        verbose_name_plural = _("目标企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def headquarters(self) -> str:
        return place(self.hq_province, self.hq_city)


class Stage(models.TextChoices):
    INFO = "info", _("信息")
    CONTACT = "contact", _("接触")
    VISIT = "visit", _("考察")
    NEGOTIATE = "negotiate", _("洽谈")
    SIGNED = "signed", _("签约")
    TERMINATED = "terminated", _("终止")


# The pipeline's columns, in order (终止 is off the line).
PIPELINE = [Stage.INFO, Stage.CONTACT, Stage.VISIT, Stage.NEGOTIATE, Stage.SIGNED]
OPEN_STAGES = [Stage.INFO, Stage.CONTACT, Stage.VISIT, Stage.NEGOTIATE]


class Currency(models.TextChoices):
    CNY = "CNY", _("人民币")
    USD = "USD", _("美元")
    EUR = "EUR", _("欧元")
    HKD = "HKD", _("港元")
    JPY = "JPY", _("日元")
    GBP = "GBP", _("英镑")
    SGD = "SGD", _("新加坡元")
    KRW = "KRW", _("韩元")


assert set(Currency.values) == set(CURRENCY_LABELS)  # the parser and the column know the same ones


class Lead(TimeStampedModel, VersionedModel):
    """招商线索 / 在谈项目: one prospective investment, from first information to signing."""

    Stage = Stage

    name = models.CharField(_("项目名称"), max_length=200, unique=True)
    investor = models.CharField(_("投资方"), max_length=200)
    company = models.ForeignKey(
        TargetCompany, verbose_name=_("目标企业"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="leads",
    )
    industry = models.CharField(_("产业类别"), max_length=100, blank=True)
    chain_node = models.ForeignKey(
        ChainNode, verbose_name=_("产业链节点"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    amount_text = models.CharField(
        _("意向投资额"), max_length=50, blank=True, help_text=_("如 5000万元、2.5亿元、约五千万、3000万美元")
    )
    amount = models.DecimalField(_("投资额（万）"), max_digits=16, decimal_places=4, null=True, blank=True,
                                 editable=False)
    currency = models.CharField(_("币种"), max_length=3, choices=Currency.choices, default=Currency.CNY,
                                editable=False)
    amount_approximate = models.BooleanField(_("约数"), default=False, editable=False)
    mode = models.ForeignKey(
        AttractionMode, verbose_name=_("招商方式"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where the investor comes from; the province always in its full name (regions.py).
    source_province = models.CharField(_("来源省份"), max_length=30, blank=True)
    source_city = models.CharField(_("来源城市"), max_length=30, blank=True, help_text=_("境外来源只填城市或国家"))
    unit = models.ForeignKey(OrgUnit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices, default=Stage.INFO)
    termination_reason = models.TextField(_("终止原因"), blank=True, editable=False)
    next_action = models.CharField(_("下一步工作"), max_length=200, blank=True)
    next_action_on = models.DateField(_("下一步日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    # 招商 leaders and the office read all; a unit reads (and its reporters edit) the leads it owns.
    scope = Scope(read_all="investment.read_all", units=("unit",))

    WRITABLE_FIELDS = (
        "name", "investor", "company", "industry", "chain_node", "amount_text", "mode", "source_province",
        "source_city", "unit", "owner",
        "next_action", "next_action_on", "note",
    )
    # Set from amount_text by the services; recorded in the history with it.
    AMOUNT_FIELDS = ("amount", "currency", "amount_approximate")

    class Meta:
        verbose_name = _("招商线索")
        verbose_name_plural = _("招商线索")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["stage", "unit"]),
                   models.Index(fields=["source_province", "source_city"], name="investment__source__idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def source(self) -> str:
        return place(self.source_province, self.source_city)

    @property
    def amount_display(self) -> str:
        return format_amount(self.amount, self.currency, self.amount_approximate)

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class LeadEvent(WorkflowEvent.of(Lead, "lead", verbose_name=_("招商线索"))):
    """One line of a lead's timeline: every stage step (written by core.workflow)."""

    class Action(models.TextChoices):
        CONTACT = "contact", _("开始接触")
        VISIT = "visit", _("组织考察")
        NEGOTIATE = "negotiate", _("进入洽谈")
        SIGN = "sign", _("签约")
        TERMINATE = "terminate", _("终止")
        REOPEN = "reopen", _("重新跟进")

    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("原阶段"), max_length=12, choices=Stage.choices, blank=True)
    to_state = models.CharField(_("新阶段"), max_length=12, choices=Stage.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("阶段记录")
        verbose_name_plural = _("阶段记录")


class FollowUp(models.Model):
    """跟进记录: a visit, a call, a trip — append-only, like a diary."""

    class Kind(models.TextChoices):
        VISIT_OUT = "visit_out", _("走访")
        VISIT_IN = "visit_in", _("来访")
        CALL = "call", _("电话")
        INSPECTION = "inspection", _("考察")

    lead = models.ForeignKey(Lead, verbose_name=_("招商线索"), on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("方式"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("日期"))
    people = models.CharField(_("参与人员"), max_length=200, blank=True)
    content = models.TextField(_("内容"))
    next_step = models.CharField(_("下一步"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="lead")

    class Meta:
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.lead} {self.get_kind_display()} {self.date:%Y-%m-%d}"
