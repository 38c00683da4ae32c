"""逾期 for a record with a due day and a done day: done after the due day, or not done and past it
(a hazard's rectification, a request's answer, a disposal step). The row and the SQL say the same.

A register whose rule differs keeps its own: only what is still open (a project's stage, a works
stage), a clock that stops with a state (grid events, disputes' clocks)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q


def late(done: dt.date | None, due: dt.date | None, on: dt.date) -> bool:
    """Done after `due`, or not done and `on` is past it; nothing is late without a due day."""
    if due is None:
        return False
    if done is not None:
        return done > due
    return on > due


def late_q(done: str, due: str, on: dt.date) -> Q:
    """`late` over the fields named `done` and `due` (a row without a due day never matches)."""
    return Q(**{f"{done}__isnull": True, f"{due}__lt": on}) | Q(**{f"{done}__gt": F(due)})
