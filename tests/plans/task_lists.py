"""Hand-made extractor results for task lists: the keys the extractor puts on each task."""

import pytest


def task(item: str, text: str, *, lead=(), coop=(), deadline=None, deadline_text=None, points=None,
         ongoing=False, leader=None, section="一") -> dict:
    return {
        "section": section, "measure": None, "text": text, "indicator": None, "comparator": None, "value": None,
        "value_max": None, "unit": None, "kind": "milestone", "milestone": None, "start": None, "end": None,
        "item": item, "deadline": deadline, "deadline_text": deadline_text, "ongoing": ongoing,
        "lead_units": list(lead), "cooperating_units": list(coop), "points": points, "leader": leader,
    }


def task_list(*tasks, year=None, title=None) -> dict:
    return {
        "title": title, "year": year,
        "sections": [{"no": "一", "title": "重点任务", "marker": "一、", "start": None, "end": None}],
        "measures": [], "targets": list(tasks),
    }


@pytest.fixture
def extracted(monkeypatch):
    """Make `extract()` return the given draft, whatever the text."""

    def use(draft: dict) -> None:
        monkeypatch.setattr("yuanqu.plans.extract.extract", lambda text, year=None: draft)

    return use
