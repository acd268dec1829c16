"""Dates and times the Dutch way, for every page, notification and e-mail of learning: the day,
date and time in minutes ("di 4 mrt 2025, 09:00"), never seconds.

Session times are naive Europe/Amsterdam wall-clock times; Flask-Babel would take a naive time
for UTC and shift it, so they get the zone first.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import format_datetime

from core.api import clock

SESSION_FORMAT = "EEE d MMM y, HH:mm"


def local_datetime(value: datetime | None, fmt: str = SESSION_FORMAT) -> str:
    """A naive local time (a session's start), formatted."""
    return format_datetime(value.replace(tzinfo=clock.ZONE), fmt) if value else ""


def utc_datetime(value: datetime | None) -> str:
    """A naive UTC moment (when a token was made or used), in local time."""
    return format_datetime(value, SESSION_FORMAT) if value else ""
