"""Spreadsheet imports of the enterprise register: enterprises upserted by 统一社会信用代码, and
the yearly figures (one column per indicator, several offices' sheets merged by code).

A figures row is matched to the enterprise-year by code and year; each indicator whose value
differs from the current one becomes a new version with the row's 来源, an equal value adds
nothing (so a second import of the same file changes nothing), and a revert deletes exactly the
versions the batch created (each has a change record carrying the batch)."""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property

from yuanqu.core.errors import ApplicationError
from yuanqu.core.imports import (
    CellError,
    DateColumn,
    DecimalColumn,
    ForeignKeyColumn,
    Importer,
    IntColumn,
    ManyToManyColumn,
    NotCompared,
    TextColumn,
    Writes,
    register,
)
from yuanqu.core.imports.columns import text_of
from yuanqu.org.models import OrgUnit

from . import services
from .credit_code import credit_code_problem, normalise
from .models import Enterprise, EnterpriseFigure, EnterpriseTag, FigureSource, Indicator, IndustryDivision

SAMPLE_CODE = "91320684MA1MXXXXXX"


class CreditCodeColumn(TextColumn):
    def parse(self, raw, ctx):
        code = normalise(super().parse(raw, ctx))
        problem = credit_code_problem(code)
        if problem:
            raise CellError(problem)
        return code


class IndustryColumn(ForeignKeyColumn):
    """A GB/T 4754 division by its code (“34”, or 34 as Excel stores it), its name, or both."""

    def candidates(self):
        for division in IndustryDivision.objects.all():
            for text in (division.code, str(int(division.code)), division.name, f"{division.code} {division.name}",
                         f"{division.code}{division.name}"):
                yield text, division


class NonNegativeColumn(DecimalColumn):
    noun = "面积"  # what may not be negative; None lets a negative value through

    def parse(self, raw, ctx):
        value = super().parse(raw, ctx)
        if value < 0 and self.noun:
            raise CellError(f"“{text_of(raw)}”是负数，{self.noun}不能为负数")
        return value


def _code_of(cells) -> str:
    return normalise(text_of(cells.get("credit_code")))


def _code_column():
    return CreditCodeColumn("统一社会信用代码", "credit_code", required=True, digits=True, sample=SAMPLE_CODE,
                            help="18位，末位为校验位")


@register
class EnterpriseImporter(Importer):
    key = "enterprises.enterprises"
    title = "企业"
    ability = "enterprises.edit"  # the 经发局 keeps the register
    model = Enterprise
    natural_key = "credit_code"
    writes = Writes(target="enterprise", create=services.enterprise_create, update=services.enterprise_update,
                    delete=services.enterprise_delete)
    columns = [
        _code_column(),
        TextColumn("企业名称", "name", required=True, max_length=200, sample="某某船舶配套有限公司"),
        DateColumn("注册日期", "registered_on"),
        DateColumn("投产日期", "production_on"),
        TextColumn("地址", "address", max_length=200),
        IndustryColumn("行业", "industry", model=IndustryDivision, lookup=("code", "name"), sample="34",
                       help="GB/T 4754-2017 大类的代码（如 34）或名称（如 通用设备制造业）"),
        DateColumn("纳入规上日期", "above_scale_since", help="规上企业填写纳入规上（入库）的日期；规下企业留空"),
        NonNegativeColumn("用地面积（亩）", "land_mu"),
        ForeignKeyColumn("挂钩单位", "liaison_unit", model=OrgUnit, lookup=("name", "short_name")),
        ManyToManyColumn("标签", "tags", model=EnterpriseTag, lookup=("name",), help="如 高新技术企业、专精特新“小巨人”"),
    ]

    def key_of(self, cells):
        return _code_of(cells)  # a lower-case code matches the stored one


# ---------------------------------------------------------------- yearly figures


class FigureState:
    """One enterprise-year as stored: its current figures, compared with a row of the file."""

    def __init__(self, enterprise: Enterprise, year: int):
        self.enterprise = enterprise
        self.year = year
        self.credit_code = enterprise.credit_code
        self.name = enterprise.name
        self.current: dict[int, EnterpriseFigure] = {}
        self.source: FigureSource | None = None  # the row's, set when the row is checked

    def value_of(self, indicator_id: int):
        figure = self.current.get(indicator_id)
        return figure.value if figure else None


class CheckOnlyColumn(NotCompared, TextColumn):
    """The enterprise's name: checked against the register, never written."""


def enterprise_columns(name_sample: str = "某某有限公司") -> list:
    """The first two columns of another register's rows about an enterprise (clean-up cases,
    visits): its code, and its name to check the code against."""
    return [_code_column(), CheckOnlyColumn("企业名称", "name", max_length=200, sample=name_sample,
                                            help="用于核对：须与企业名录中的名称一致")]


def enterprises_by_code(codes) -> dict[str, Enterprise]:
    return {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=set(codes))}


def enterprise_problems(values: dict, enterprises: dict[str, Enterprise]) -> tuple[Enterprise | None, list]:
    """The row's enterprise (from `enterprises_by_code`), or the (field, message) naming why not."""
    enterprise = enterprises.get(values["credit_code"])
    if enterprise is None:
        return None, [("credit_code", f"“{values['credit_code']}”不在企业名录中，请先登记该企业")]
    if values.get("name") and values["name"] != enterprise.name:
        return enterprise, [("name", f"“{values['name']}”与企业名录中该代码的企业“{enterprise.name}”不一致，请核对代码")]
    return enterprise, []


class SourceColumn(NotCompared, ForeignKeyColumn):
    """来源 goes with the new versions; on its own it changes nothing."""

    def candidates(self):
        for source in FigureSource.objects.filter(is_active=True):
            yield source.name, source

    def dropdown(self):
        return [source.name for source in FigureSource.objects.filter(is_active=True)]


class IndicatorColumn(NonNegativeColumn):
    indicator: Indicator | None = None

    @property
    def noun(self):
        return None if self.indicator.allow_negative else self.indicator.name

    def current(self, obj):
        return obj.value_of(self.indicator.pk)

    def display(self, value):
        return super().display(None if value is None else format(Decimal(value).normalize(), "f"))


def indicator_field(indicator: Indicator) -> str:
    return f"indicator:{indicator.key}"


@register
class FigureImporter(Importer):
    key = "enterprises.figures"
    title = "企业年度数据"
    ability = "enterprises.edit"
    model = EnterpriseFigure
    natural_key = "credit_code"
    notes = ("按「统一社会信用代码」和「年度」匹配企业的年度数据；数值与现有的不同才记为新版本（注明来源），"
             "相同则不变；企业须已在企业名录中登记；同一文件中同一企业同一年度只能出现一次。")

    @cached_property
    def indicators(self) -> list[Indicator]:
        return list(Indicator.objects.filter(is_active=True))

    @cached_property
    def columns(self):
        columns = [
            _code_column(),
            CheckOnlyColumn("企业名称", "name", max_length=200, sample="某某船舶配套有限公司",
                            help="用于核对：须与企业名录中的名称一致"),
            IntColumn("年度", "year", required=True, sample=2025),
            SourceColumn("来源", "source", required=True, model=FigureSource, lookup=("name",), sample="税务",
                         help="数据来源（税务、统计、电力……）"),
        ]
        for indicator in self.indicators:
            column = IndicatorColumn(f"{indicator.name}（{indicator.unit}）", indicator_field(indicator))
            column.indicator = indicator
            columns.append(column)
        return columns

    def key_of(self, cells):
        code = _code_of(cells)
        year = text_of(cells.get("year"))
        return f"{code}（{year}年）" if code and year else ""

    def existing(self, keys):
        pairs = {}
        for key in keys:
            code, _, rest = key.partition("（")
            year = rest.removesuffix("年）")
            if year.isdigit():
                pairs[key] = (code, int(year))
        enterprises = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in={c for c, _ in pairs.values()})}
        states = {key: FigureState(enterprises[code], year) for key, (code, year) in pairs.items() if code in enterprises}
        by_pair = {(s.enterprise.pk, s.year): s for s in states.values()}
        figures = (EnterpriseFigure.objects.filter(enterprise__in=list(enterprises.values()),
                                                   year__in={s.year for s in states.values()})
                   .order_by("version"))
        for figure in figures:
            state = by_pair.get((figure.enterprise_id, figure.year))
            if state is not None:
                state.current[figure.indicator_id] = figure
        return states

    def check_row(self, plan, ctx):
        state: FigureState | None = plan.obj
        if state is None:
            return [("credit_code", f"“{plan.values.get('credit_code', '')}”不在企业名录中，请先登记该企业")]
        problems = []
        name = plan.values.get("name")
        if name and name != state.name:
            problems.append(("name", f"“{name}”与企业名录中该代码的企业“{state.name}”不一致，请核对代码"))
        if not 1990 <= plan.values["year"] <= 2100:
            problems.append(("year", f"“{plan.values['year']}”不是有效年度"))
        if "source" not in plan.values:
            problems.append(("source", "必填，不能为空"))
        state.source = plan.values.get("source")
        return problems

    def create(self, *, actor, values):
        raise ApplicationError("企业不在企业名录中。", field="credit_code")  # check_row refuses such rows

    def update(self, *, actor, obj: FigureState, values):
        by_field = {indicator_field(i): i for i in self.indicators}
        services.figures_record(actor=actor, enterprise=obj.enterprise, year=obj.year, source=obj.source,
                                values={by_field[f]: v for f, v in values.items() if f in by_field},
                                current=obj.current)
        return obj.enterprise

    def undo_create(self, *, actor, obj):
        services.figures_delete(actor=actor, figures=[obj])

    def undo_creates(self, *, actor, objs):
        services.figures_delete(actor=actor, figures=objs)
