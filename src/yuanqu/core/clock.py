"""The one clock: everything that asks "what day is it?" asks here, so a test can set the day.

Modules call `clock.today()` through the module (never `from .clock import today`), so that the
test fixture `clock` (tests/conftest.py) moves every page, service and command at once.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

_fixed: dt.date | None = None


def today() -> dt.date:
    return _fixed or timezone.localdate()


def set_today(day: dt.date | None) -> None:
    """Fix the date (None: back to the real one). For tests and the demo only."""
    global _fixed
    _fixed = day
