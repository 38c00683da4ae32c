"""The daily reminders (`yuanqu remind`, run by cron): a registry the apps add their sources to.

An app declares, in its `reminders.py` (found by `CoreConfig.ready()`):

    register(ReminderSource("supervision", {"due": "督办即将到期", ...}, send_reminders))

where `send(*, today, days_ahead) -> {category: Tally}` notifies through `notify_once` with a key
naming the record and the date it is about, so a rerun notifies nobody twice and a new date gives a
fresh notice. The command runs every source; one that fails outright is reported and the others
still run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

log = logging.getLogger(__name__)


@dataclass
class Tally:
    created: int = 0
    skipped: int = 0  # the person already had this notice
    failed: int = 0  # records whose notices could not be written
    errors: list[str] = field(default_factory=list)

    def count(self, notice) -> None:
        if notice is None:
            self.skipped += 1
        else:
            self.created += 1


@dataclass(frozen=True)
class ReminderSource:
    key: str
    categories: dict[str, str]  # category → its label in the command's report
    send: Callable[..., dict[str, Tally]]


SOURCES: dict[str, ReminderSource] = {}


def register(source: ReminderSource) -> ReminderSource:
    SOURCES[source.key] = source
    return source


def each(rows, tally: Tally, describe, send) -> None:
    """Send for each row in its own savepoint: one failure is counted and the rest go on."""
    for row in rows:
        try:
            with transaction.atomic():
                send(row)
        except Exception as exc:  # noqa: BLE001 - a cron job must finish the others
            tally.failed += 1
            tally.errors.append(f"{describe(row)}：{exc}")
            log.exception("reminder failed for %s", describe(row))


def run_all(*, today: dt.date, days_ahead: int = 3) -> list[tuple[str, Tally]]:
    """Every source's categories with their tallies, as (label, tally), in registration order."""
    results: list[tuple[str, Tally]] = []
    for source in SOURCES.values():
        try:
            tallies = source.send(today=today, days_ahead=days_ahead)
        except Exception as exc:  # noqa: BLE001 - one broken source must not silence the others
            log.exception("reminder source %s failed", source.key)
            failed = Tally(failed=1, errors=[f"{exc}"])
            results += [(label, failed if i == 0 else Tally()) for i, label in enumerate(source.categories.values())]
            continue
        results += [(label, tallies.get(name, Tally())) for name, label in source.categories.items()]
    return results
