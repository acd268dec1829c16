"""Working days in the Netherlands: no weekends, no public holidays (the ``holidays`` package).
Plugins reach it as ``core.api.workdays``.

A task's due date is its start date plus its offset in calendar days, moved to a working day:
forward for tasks on or after the start date, backward for tasks before it (so a task meant for
before day one stays before day one).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _holidays(year: int):
    return holidays.country_holidays("NL", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def next_working_day(day: date, step: int = 1) -> date:
    """``day`` itself when it is a working day, else the nearest one in the direction of ``step``."""
    while not is_working_day(day):
        day += timedelta(days=step)
    return day


def due_date(start: date, offset_days: int, not_before: date | None = None) -> date:
    """The working day a task falls due; never before ``not_before`` (the day the journey began)."""
    day = next_working_day(start + timedelta(days=offset_days), -1 if offset_days < 0 else 1)
    if not_before is not None and day < not_before:
        day = next_working_day(not_before)
    return day


def working_days_before(day: date, count: int) -> date:
    """The working day ``count`` working days before ``day``."""
    while count > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
