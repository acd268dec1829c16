"""Today's date in the organisation's time zone. One place, so tests can move time forward
(call it as ``clock.today()``, never import the function itself)."""
from __future__ import annotations

from datetime import date

from core.reminders import local_today


def today() -> date:
    return local_today()
