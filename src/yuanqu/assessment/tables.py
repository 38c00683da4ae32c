"""An assessment run's ranking and score lines, declared once for the run page and its .xlsx export."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from yuanqu.core.tables import Column, Table

SCORE = "0.00"
_NUMBER = "text-end yq-count"


class RankingTable(Table):
    """A run's results (assessment.selectors.run_results), best first."""

    rank = Column("排名", page_header="名次", width=6, th="text-end", td=_NUMBER)
    unit_name = Column("单位", width=20)
    indicator = Column("指标得分", width=10, number_format=SCORE, th="text-end", td=_NUMBER)
    bonus = Column("加分", width=8, number_format=SCORE, th="text-end", td=_NUMBER)
    deduction = Column("扣分", width=8, number_format=SCORE, th="text-end", td=_NUMBER)
    total = Column("得分", page_header="总分", width=10, number_format=SCORE, th="text-end",
                   td=f"{_NUMBER} fw-semibold")
    grade = Column("等次", width=10)
    vetoed = Column("一票否决", width=10, page=False)
    flags = Column("标记", width=24, td="small")
    detail = Column("", "pk", export=False, td="text-end")

    # The export's order predates the page's: the score first, then its parts.
    export_sequence = ("rank", "unit_name", "total", "grade", "vetoed", "indicator", "bonus", "deduction", "flags")

    class Meta(Table.Meta):
        attrs = {"class": "table table-hover align-middle mb-0", "id": "ranking"}
        row_attrs = {"class": lambda record: "table-danger" if record.vetoed else None}
        empty_text = "没有可查看的结果。"

    def render_bonus(self, value):
        return f"+{value}" if value else "—"

    def render_deduction(self, value):
        return f"−{value}" if value else "—"

    def render_grade(self, record):
        return render_to_string("assessment/_grade.html", {"grade": record.grade, "level": record.grade_level})

    def render_flags(self, record):
        return format_html_join("", '<span class="badge text-bg-light border me-1">{}</span>',
                                ((f,) for f in record.flag_labels()))

    def value_flags(self, record):
        return "、".join(record.flag_labels())

    def render_detail(self, record):
        return format_html('<a class="btn btn-sm btn-outline-primary" href="{}">明细</a>',
                           reverse("assessment:run_unit", args=[record.run_id, record.unit_id]))


class ScoreLineTable(Table):
    """Every line of each unit's score (RunLine with its result attached), in ranking order."""

    rank = Column("排名", "result__rank", width=6)
    unit_name = Column("单位", "result__unit_name", width=20)
    group = Column("组", width=14)
    description = Column("事项", width=44)
    raw = Column("原始值", width=14)
    points = Column("分值", width=8, number_format=SCORE)
    explanation = Column("说明", width=60)
