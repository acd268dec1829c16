"""The date-reminder ledger: the last day each reminder was evaluated for a foundation."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import TenantScoped, db


class ReminderSweep(TenantScoped, db.Model):
    """After an outage the next run also evaluates the days it missed (see ``core.reminders``)."""

    __tablename__ = "reminder_sweep"
    __table_args__ = (UniqueConstraint("foundation_id", "reminder_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_key: Mapped[str] = mapped_column(String(80))
    last_day: Mapped[date] = mapped_column(Date)
