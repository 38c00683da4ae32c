"""How the bulletin and the exports word a target's facts: the plans app's wording, one place."""

from yuanqu.plans.display import figure_display, num, pct

__all__ = ["figure_display", "num", "pct"]
