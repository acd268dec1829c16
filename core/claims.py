"""Claiming rows so that two processes never work on the same one (events, background tasks).

A claim names its holder and runs until ``claimed_until``; the holder renews it while it works.
A process that dies leaves its claim to run out, and then another process takes the row over.
Claiming is one statement, ``WITH candidates AS MATERIALIZED (SELECT ... FOR UPDATE SKIP LOCKED)
UPDATE ... WHERE id IN candidates`` that re-checks that each row is free: on PostgreSQL concurrent
claimers skip each other's rows, and SQLite runs one writing statement at a time. Times are the machine's, like the scheduler lease's.
"""
from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta

from sqlalchemy import or_, select, update

from core.clock import machine_utcnow
from core.extensions import db

CLAIM_SECONDS = 300  # far longer than one event or one batch of work takes


def new_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim_until():
    return machine_utcnow() + timedelta(seconds=CLAIM_SECONDS)


def claim(model, holder: str, limit: int, *where) -> list[int]:
    """Claim up to ``limit`` free rows of ``model`` that match ``where``, lowest ids first; commits
    and returns their ids."""
    table = model.__table__
    now = machine_utcnow()
    free = or_(table.c.claimed_until.is_(None), table.c.claimed_until < now)
    # Materialised, so the candidates are picked once: as a plain subquery PostgreSQL may scan it
    # again while updating, and the rows it has just claimed no longer match, so it takes more.
    candidates = (
        select(table.c.id).where(free, *where).order_by(table.c.id).limit(limit).with_for_update(skip_locked=True)
        .cte("candidates").prefix_with("MATERIALIZED")
    )
    ids = db.session.scalars(
        update(table)
        .where(table.c.id.in_(select(candidates.c.id)), free, *where)
        .values(claimed_by=holder, claimed_until=claim_until())
        .returning(table.c.id)
    ).all()
    db.session.commit()
    return sorted(ids)


def renew(model, row_id: int, holder: str, **values) -> bool:
    """Extend our claim on a row (setting ``values`` too); False when it is no longer ours. The
    caller commits."""
    table = model.__table__
    renewed = db.session.execute(
        update(table).where(table.c.id == row_id, table.c.claimed_by == holder)
        .values(claimed_until=claim_until(), **values)
    )
    return renewed.rowcount == 1


def release(model, row_id: int, holder: str, **values) -> bool:
    """Give a row free (setting ``values`` too), if it is still ours. The caller commits."""
    table = model.__table__
    released = db.session.execute(
        update(table).where(table.c.id == row_id, table.c.claimed_by == holder)
        .values(claimed_by=None, claimed_until=None, **values)
    )
    return released.rowcount == 1


def release_all(model, row_ids: list[int], holder: str) -> None:
    """Give free the rows of ``row_ids`` that are still ours. The caller commits."""
    table = model.__table__
    db.session.execute(
        update(table).where(table.c.id.in_(row_ids), table.c.claimed_by == holder)
        .values(claimed_by=None, claimed_until=None)
    )
