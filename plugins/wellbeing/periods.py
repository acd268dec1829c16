"""Check-in periods from a campaign's cadence: plain date arithmetic, no database."""
from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l

CADENCES = {
    "weekly": _l("Every week"),
    "biweekly": _l("Every two weeks"),
    "monthly": _l("Every month"),
}
_DAYS = {"weekly": 7, "biweekly": 14}


def period_containing(cadence: str, starts_on: date, ends_on: date | None, day: date) -> tuple[date, date] | None:
    """The period (first day, last day, both inclusive) of a campaign that holds ``day``, or None
    when the campaign does not run on ``day``. The last period stops at the campaign's end."""
    if day < starts_on or (ends_on is not None and day > ends_on):
        return None
    if cadence in _DAYS:
        length = _DAYS[cadence]
        first = starts_on + timedelta(days=(day - starts_on).days // length * length)
        following = first + timedelta(days=length)
    elif cadence == "monthly":
        months = (day.year - starts_on.year) * 12 + day.month - starts_on.month
        if starts_on + relativedelta(months=months) > day:
            months -= 1
        first = starts_on + relativedelta(months=months)
        following = starts_on + relativedelta(months=months + 1)
    else:
        raise ValueError(f"unknown cadence {cadence!r}")
    last = following - timedelta(days=1)
    return first, min(last, ends_on) if ends_on is not None else last


def periods_until(cadence: str, starts_on: date, ends_on: date | None, day: date) -> list[tuple[date, date]]:
    """Every period of a campaign that has begun on or before ``day``, oldest first."""
    found: list[tuple[date, date]] = []
    cursor = starts_on
    while cursor <= day:
        period = period_containing(cadence, starts_on, ends_on, cursor)
        if period is None:
            break
        found.append(period)
        cursor = period[1] + timedelta(days=1)
    return found
