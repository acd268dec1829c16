"""Local time: sessions are planned in Europe/Amsterdam wall-clock time."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app

from core.reminders import local_today

__all__ = ["local_now", "local_today", "zone"]


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_now() -> datetime:
    """Now as a naive local time, comparable with ``CourseSession.starts_at``."""
    return datetime.now(zone()).replace(tzinfo=None, microsecond=0)
