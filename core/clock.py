"""Journey's clock: now and today in Europe/Amsterdam, the zone every date in Journey means.

Everything that asks what time or day it is asks here, so a test sets the clock once
(``core.testing``'s ``clock`` fixture) and nothing depends on the day the suite runs.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Amsterdam")


class _Setting:
    """How far the clock is set from the real one, and whether it stands still there."""

    offset = timedelta(0)
    frozen_at: datetime | None = None


def _utc() -> datetime:
    if _Setting.frozen_at is not None:
        return _Setting.frozen_at
    return datetime.now(UTC) + _Setting.offset


def utcnow() -> datetime:
    """Now in UTC without a zone, as Journey stores moments."""
    return _utc().replace(tzinfo=None)


def machine_utcnow() -> datetime:
    """The machine's own time in UTC without a zone, never set by tests: the scheduler's
    bookkeeping (leases, job runs, catch-up) runs on it, because APScheduler fires on it."""
    return datetime.now(UTC).replace(tzinfo=None)


def now() -> datetime:
    """Now in Europe/Amsterdam, with its zone."""
    return _utc().astimezone(ZONE)


def local_now() -> datetime:
    """Now as a naive Dutch wall-clock time to the second, comparable with stored local times
    (a course session's start)."""
    return now().replace(tzinfo=None, microsecond=0)


def today() -> date:
    """Today in the Netherlands."""
    return now().date()


def set_clock(moment: datetime | date, *, tick: bool = True) -> None:
    """Set the clock to ``moment`` (a date means 09:00 that day in Amsterdam; a naive datetime is
    Amsterdam time). With ``tick`` it runs on from there; without, it stands still. For tests."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, 9, 0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZONE)
    moment = moment.astimezone(UTC)
    if tick:
        _Setting.offset, _Setting.frozen_at = moment - datetime.now(UTC), None
    else:
        _Setting.offset, _Setting.frozen_at = timedelta(0), moment


def reset_clock() -> None:
    """Back to the real time."""
    _Setting.offset, _Setting.frozen_at = timedelta(0), None


def move_clock(delta: timedelta) -> None:
    """Move the clock on by ``delta``, ticking or standing still as it was. For tests."""
    if _Setting.frozen_at is not None:
        _Setting.frozen_at += delta
    else:
        _Setting.offset += delta
