"""Plan-text extractor: a zone's annual work plan (text) → sections, measures, targets.

Pure Python on purpose (no Django import), so the CLI, tests and benchmarks can use
it without settings.  The result is a draft for a person to review:

    title, year          the plan's title line and the year deadlines are dated in (or None)
    sections, measures   numbered headings; `part` tells a rules part from an annex (附件)
    targets              each with section, measure, part, text, indicator, comparator, value,
                         value_max, unit, kind, milestone, start/end, and from its task (see
                         tasks): item, deadline (ISO date), deadline_text (as written), ongoing,
                         lead_units, cooperating_units (names as written), points, leader,
                         steps (earlier dated steps of the task), problems
    problems             what the text writes wrongly (13月底, 两分), in Chinese naming the task:
                         an import refuses the text while there are any
"""

from .core import decode_plan_bytes, extract, read_plan_file
from .errors import PlanTextError
from .score import score

__all__ = ["decode_plan_bytes", "extract", "read_plan_file", "PlanTextError", "score"]
