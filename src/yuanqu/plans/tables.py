"""The plans app's lists, declared once for the page and its .xlsx export: the target list and the
review queue."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from yuanqu.core import clock
from yuanqu.core.tables import Column, Table, link

from . import display
from .filters import is_overdue
from .models import Target
from .templatetags.plans_ui import clamp100, status_badge


def _fraction(value: float | None) -> float | None:
    """A percentage as Excel's fraction (85.0 → 0.85), so "0.0%" shows it as on the page."""
    return None if value is None else round(value / 100.0, 4)


def _month(period) -> str:
    return f"{period.year}年{period.month}月"


def _blank_dash(text: str) -> str:
    return "" if text == "—" else text


class TargetTable(Table):
    """The target list; `facts` are the targets' facts by id (plans.selectors.target_facts)."""

    section = Column("章节", width=24, td="small text-muted text-nowrap")
    title = Column("目标", width=48, th_style="min-width: 18rem")
    indicator = Column("指标", width=20, page=False)
    target_value = Column("目标值", "target_display", width=14, td="text-nowrap")
    lead_unit = Column("牵头单位", width=16, td="text-nowrap")
    cooperating = Column("配合单位", "pk", width=22, page=False)
    period_end = Column("完成期限", width=12, number_format="yyyy-mm-dd", td="text-nowrap small")
    figure = Column("最新采纳值", "pk", page_header="最新采纳", width=14, th="text-end", td="text-end text-nowrap")
    completion = Column("完成度", "pk", page_header="完成率", width=10, number_format="0.0%",
                        th_style="min-width: 9rem")
    schedule = Column("序时进度", "pk", width=10, number_format="0.0%", th="text-end", td="text-end small yq-count")
    status = Column("状态", "pk", width=8)

    class Meta(Table.Meta):
        attrs = {"class": "table table-hover align-middle mb-0", "id": "targets"}
        row_attrs = {"data-target": lambda record: record.pk}
        empty_text = "没有符合条件的目标。"

    def __init__(self, data, *, facts, today=None, **kwargs):
        super().__init__(data, **kwargs)
        self.facts = facts
        self.today = today or clock.today()

    def render_section(self, record):
        return f"{record.section.no}、{Truncator(record.section.title).chars(10)}"

    def value_section(self, record):
        return f"{record.section.no}、{record.section.title}"

    def render_title(self, record):
        title = link("plans:target_detail", record.pk, Truncator(record.title).chars(60))
        if record.indicator:
            return format_html('{}<div class="small text-muted">{}</div>', title, record.indicator)
        return title

    def render_lead_unit(self, record):
        return record.lead_unit.label if record.lead_unit_id else "—"

    def value_lead_unit(self, record):
        return record.lead_unit.name if record.lead_unit_id else ""

    def value_cooperating(self, record):
        return "、".join(u.name for u in record.cooperating_units.all())

    def render_period_end(self, record):
        # An overdue target (past its deadline, not completed) says so where the eye reads the date.
        if is_overdue(record, self.facts[record.pk], self.today):
            return format_html('<span class="text-danger fw-semibold">{}</span><div class="small text-danger">已逾期</div>',
                               f"{record.period_end:%Y-%m-%d}")
        return f"{record.period_end:%Y-%m-%d}"

    def render_figure(self, record):
        facts = self.facts[record.pk]
        text = display.figure_display(record, facts)
        if facts.report is not None and not record.metric:
            return format_html('{}<div class="small text-muted">{}</div>', text, _month(facts.report.period))
        return text

    def value_figure(self, record):
        """A number when the figure is one (so Excel can sum it), else the text shown on the page."""
        facts = self.facts[record.pk]
        report = facts.report
        if record.metric and facts.metric_value is not None:
            return float(facts.metric_value)
        if (not record.metric and record.kind != Target.Kind.LEDGER and report is not None
                and report.value is not None):
            return float(report.value)
        return _blank_dash(display.figure_display(record, facts))

    def render_completion(self, record):
        ev = self.facts[record.pk].evaluation
        return format_html(
            '<div class="d-flex align-items-center gap-2">'
            '<div class="progress yq-mini flex-grow-1"><div class="progress-bar st-{}" style="width: {}%"></div></div>'
            '<span class="small text-nowrap yq-count">{}</span></div>',
            ev.status.value, f"{clamp100(ev.completion):.2f}", display.pct(ev.completion),
        )

    def value_completion(self, record):
        return _fraction(self.facts[record.pk].evaluation.completion)

    def render_schedule(self, record):
        return display.pct(self.facts[record.pk].evaluation.schedule)

    def value_schedule(self, record):
        return _fraction(self.facts[record.pk].evaluation.schedule)

    def render_status(self, record):
        return status_badge(self.facts[record.pk].evaluation.status)

    def value_status(self, record):
        return self.facts[record.pk].status.label


class ReviewQueueTable(Table):
    """Pending current versions of reports, oldest first (plans.selectors.pending_reviews)."""

    target = Column("目标", "target__title", width=44, th_style="min-width: 16rem")
    lead_unit = Column("牵头单位", width=16, td="text-nowrap", accessor="target__lead_unit")
    period = Column("月份", width=10, number_format='yyyy"年"m"月"', td="text-nowrap")
    version = Column("版本", width=6, page=False)
    figure = Column("完成值/进度", "pk", page_header="填报 / 目标", width=14, td="text-nowrap")
    target_value = Column("目标值", "pk", width=14, page=False)
    narrative = Column("工作进展", width=50, th_style="min-width: 18rem", cell="plans/cells/review_narrative.html")
    problems = Column("存在问题", width=30, page=False)
    submitted_by = Column("填报人", width=12, page=False)
    submitted_at = Column("填报时间", width=17, number_format="yyyy-mm-dd hh:mm", page=False)
    review = Column("审核", "pk", export=False, th_style="min-width: 16rem", cell="plans/cells/review_actions.html")

    class Meta(Table.Meta):
        attrs = {"class": "table align-middle mb-0", "id": "review-table"}
        row_attrs = {"id": lambda record: f"review-{record.pk}"}
        empty_text = mark_safe('<i class="bi bi-check2-all"></i> 暂无待审核的报告。')

    def render_target(self, record):
        section = record.target.section
        return format_html(
            '<a href="{}">{}</a><div class="small text-muted">{}、{}</div>',
            reverse("plans:target_detail", args=[record.target_id]), Truncator(record.target.title).chars(50),
            section.no, Truncator(section.title).chars(14),
        )

    def render_lead_unit(self, record):
        return record.target.lead_unit.label if record.target.lead_unit_id else "—"

    def value_lead_unit(self, record):
        return record.target.lead_unit.name if record.target.lead_unit_id else ""

    def render_period(self, record):
        if record.version > 1:
            return format_html('{}<div class="small text-muted">第{}版</div>', _month(record.period), record.version)
        return _month(record.period)

    def render_figure(self, record):
        return format_html('<strong>{}</strong><div class="small text-muted">目标 {}</div>',
                           display.report_figure(record, record.target), record.target.target_display())

    def value_figure(self, record):
        return _blank_dash(display.report_figure(record, record.target))

    def value_target_value(self, record):
        return _blank_dash(record.target.target_display())

    def value_submitted_by(self, record):
        return str(record.submitted_by)
