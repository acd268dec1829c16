"""Durable work outside requests: lifecycle events recorded with their transaction (the
transactional outbox), which implementations of each already ran, and background tasks with their
progress. See ``core.events`` and ``core.background``."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import machine_utcnow
from core.models.base import TenantScoped, db

EVENT_STATES = ("pending", "done", "failed")
TASK_STATES = ("queued", "running", "done", "failed")


class Claimable:
    """Rows one process works on at a time: it claims them until ``claimed_until`` and renews the
    claim while it works; when it dies the claim runs out and another process takes over."""

    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime)


class BackgroundTask(Claimable, TenantScoped, db.Model):
    """Work started by a person that outlasts their request, with its progress for the page that
    follows it (``done`` of ``total``)."""

    __tablename__ = "background_task"
    __table_args__ = (Index("ix_background_task_state_id", "state", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(100))
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(12), default="queued")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)  # items whose work ended in an error
    run_errors: Mapped[int] = mapped_column(Integer, default=0)  # runs of the task itself that broke off
    message: Mapped[str | None] = mapped_column(Text)  # the last error of the task itself
    created_at: Mapped[datetime] = mapped_column(DateTime, default=machine_utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


class LifecycleEvent(Claimable, db.Model):
    """An event fired in a transaction, written in that transaction and dispatched after it.

    ``arguments`` holds references (table and key) to the objects, not the objects; they are
    loaded again at dispatch, and dropped once the event is finished.
    """

    __tablename__ = "lifecycle_event"
    __table_args__ = (Index("ix_lifecycle_event_state_id", "state", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    foundation_id: Mapped[int | None] = mapped_column(ForeignKey("foundation.id", ondelete="CASCADE"))
    arguments: Mapped[dict | None] = mapped_column(JSON)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("background_task.id", ondelete="SET NULL"), index=True)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # dispatches started
    created_at: Mapped[datetime] = mapped_column(DateTime, default=machine_utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    error: Mapped[str | None] = mapped_column(Text)


class EventDelivery(db.Model):
    """One plugin's implementation of an event ran, committed together with that implementation's
    changes: a resumed dispatch skips it, and the key refuses a second run's commit."""

    __tablename__ = "lifecycle_event_delivery"
    event_id: Mapped[int] = mapped_column(ForeignKey("lifecycle_event.id", ondelete="CASCADE"), primary_key=True)
    plugin: Mapped[str] = mapped_column(String(200), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(12))  # ok | failed
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime] = mapped_column(DateTime, default=machine_utcnow)
