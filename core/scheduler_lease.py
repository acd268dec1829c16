"""The scheduler lease: one database row naming the one process that may run jobs.

Taking or renewing it is one atomic statement: ``UPDATE ... WHERE holder = me OR expires_at <
now`` (PostgreSQL re-checks the condition on the latest row version under concurrent updates;
SQLite serialises writers), or, when there is no row yet, ``INSERT ... ON CONFLICT DO NOTHING``.
Exactly one contender sees a changed row. Times come from each process's clock: keep hosts in
NTP sync; the holder stops running jobs a third of a period before others may take over.
"""
from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, or_, select, update

from core.clock import machine_utcnow
from core.extensions import db
from core.models.jobs import SchedulerLease, insert_if_absent

LEASE_NAME = "scheduler"


def new_holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class LeaseInfo:
    holder: str
    acquired_at: datetime
    expires_at: datetime

    @property
    def active(self) -> bool:
        return self.expires_at > machine_utcnow()


def current_lease() -> LeaseInfo | None:
    row = db.session.execute(
        select(SchedulerLease.holder, SchedulerLease.acquired_at, SchedulerLease.expires_at)
        .where(SchedulerLease.name == LEASE_NAME)
    ).first()
    return LeaseInfo(*row) if row else None


class Lease:
    """This process's claim on the lease; call its methods inside an app context."""

    def __init__(self, holder: str, seconds: float) -> None:
        self.holder = holder
        self.seconds = seconds

    def acquire(self) -> bool:
        """Take the lease if it is free or expired, or renew it if it is ours; True when held."""
        now = machine_utcnow()
        until = now + timedelta(seconds=self.seconds)
        table = SchedulerLease.__table__
        try:
            renewed = db.session.execute(
                update(table)
                .where(table.c.name == LEASE_NAME, or_(table.c.holder == self.holder, table.c.expires_at < now))
                .values(
                    holder=self.holder,
                    expires_at=until,
                    acquired_at=case((table.c.holder == self.holder, table.c.acquired_at), else_=now),
                )
            ).rowcount == 1
            held = renewed or insert_if_absent(
                db.session, table,
                {"name": LEASE_NAME, "holder": self.holder, "acquired_at": now, "expires_at": until}, ["name"],
            )
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return held

    def is_mine(self) -> bool:
        """Checked before every job run: a paused or cut-off process must not run jobs."""
        lease = current_lease()
        return lease is not None and lease.holder == self.holder and lease.active

    def release(self) -> None:
        """Let a waiting scheduler take over at once (a clean stop)."""
        table = SchedulerLease.__table__
        db.session.execute(
            update(table).where(table.c.name == LEASE_NAME, table.c.holder == self.holder).values(expires_at=machine_utcnow())
        )
        db.session.commit()
