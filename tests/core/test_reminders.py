"""core.reminders: the command runs every registered source; one that breaks is reported and the
others still send."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yuanqu.core import reminders
from yuanqu.core.reminders import ReminderSource, Tally


@pytest.fixture
def only(monkeypatch):
    def install(*sources):
        monkeypatch.setattr(reminders, "SOURCES", {s.key: s for s in sources})
    return install


def test_a_broken_source_is_reported_and_the_others_run(db, only):
    ran = []

    def good(*, today, days_ahead):
        ran.append((today, days_ahead))
        return {"a": Tally(created=2, skipped=1)}

    def broken(*, today, days_ahead):
        raise RuntimeError("数据库不可用")

    only(ReminderSource("broken", {"x": "坏的来源"}, broken), ReminderSource("good", {"a": "好的来源"}, good))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="有 1 项提醒未能发送"):
        call_command("remind", "--today", "2026-05-01", "--days-ahead", "5", stdout=out, stderr=err)
    assert [str(d) for d, _ in ran] == ["2026-05-01"] and ran[0][1] == 5
    assert "好的来源：新建 2 条，已提醒过 1 条，失败 0 项" in out.getvalue()
    assert "坏的来源失败：数据库不可用" in err.getvalue()


def test_each_keeps_going_past_a_failing_row(db):
    tally = Tally()
    sent = []

    def send(row):
        if row == 2:
            raise ValueError("坏行")
        sent.append(row)

    reminders.each([1, 2, 3], tally, lambda r: f"第{r}项", send)
    assert sent == [1, 3] and tally.failed == 1 and tally.errors == ["第2项：坏行"]
