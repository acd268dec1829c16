"""Scheduled jobs: the record of every run, each job's latest state, and the scheduler lease."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core.clock import machine_utcnow
from core.models.base import db

JOB_OUTCOMES = ("running", "ok", "failed", "interrupted")


class JobRun(db.Model):
    """One run of a job: for one foundation (per-foundation jobs) or for the whole group."""

    __tablename__ = "job_run"
    __table_args__ = (Index("ix_job_run_job_started", "job_id", "started_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(200))
    foundation_id: Mapped[int | None] = mapped_column(ForeignKey("foundation.id", ondelete="CASCADE"))
    runner: Mapped[str] = mapped_column(String(200))  # the scheduler's lease holder id, or "manual:..."
    started_at: Mapped[datetime] = mapped_column(DateTime, default=machine_utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(12), default="running")
    error: Mapped[str | None] = mapped_column(Text)

    foundation = relationship("Foundation")

    @property
    def duration(self) -> timedelta | None:
        return self.finished_at - self.started_at if self.finished_at else None


class JobState(db.Model):
    """A job's latest run across its foundations, and what the catch-up on start-up needs.

    ``covered_until`` is the start of the last run over all its foundations that got to the end
    (whatever the outcome); a scheduled fire time after it was missed. Until a job has such a run,
    ``known_since`` (when a scheduler first saw the job) takes its place.
    """

    __tablename__ = "job_state"
    job_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    known_since: Mapped[datetime] = mapped_column(DateTime, default=machine_utcnow)
    covered_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_started_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_outcome: Mapped[str | None] = mapped_column(String(12))
    last_runner: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def last_duration(self) -> timedelta | None:
        if self.last_started_at and self.last_finished_at and self.last_finished_at >= self.last_started_at:
            return self.last_finished_at - self.last_started_at
        return None


class SchedulerLease(db.Model):
    """The single row that says which scheduler process may run jobs, and until when."""

    __tablename__ = "scheduler_lease"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


def insert_if_absent(session: Session, table, values: dict, key: list[str]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING, atomic on PostgreSQL and SQLite; True when inserted."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        raise RuntimeError(f"unsupported database {dialect!r}: Journey runs on PostgreSQL or SQLite")
    # RETURNING, not rowcount: psycopg reports no row count for INSERT ... ON CONFLICT here
    statement = insert(table).values(**values).on_conflict_do_nothing(index_elements=key)
    return session.execute(statement.returning(*(table.c[k] for k in key))).first() is not None
