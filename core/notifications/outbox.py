"""Sending the outbox: the ``send_outbox`` job, retries with back-off, and resending by hand.

A message that fails is tried again after 1 min, 5 min, 30 min, 2 h, 6 h, 12 h and 24 h; after
``MAX_ATTEMPTS`` failures it is ``failed`` with its last error, until an administrator resends it.
When the mail server cannot be reached at all nothing is counted against the messages: they stay
queued, and the job raises so its status page shows the outage. Each message commits on its
own, so a crash mid-run never loses one.

Runs may overlap (the scheduler and a manual ``flask journey jobs run core.send_outbox``, or two
servers): each run first *claims* a batch in one statement — state ``sending``, with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite takes its write lock before the statement reads —
so no two runs send the same message. A claim lasts ``CLAIM_TIME``: the messages of a run that
died are queued again after it (the one message that was being handed over may then go twice).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from core import audit
from core.extensions import db
from core.models import utcnow
from core.models.notifications import OutboxMessage
from core.notifications.mail_backends import MailServerUnavailable, build_message, configured_backend

BACKOFF = (
    timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
    timedelta(hours=6), timedelta(hours=12), timedelta(hours=24),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
BATCH_SIZE = 100
CLAIM_TIME = timedelta(minutes=15)


@dataclass
class OutboxRun:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def send_outbox(now: datetime | None = None, batch_size: int = BATCH_SIZE) -> OutboxRun:
    """Send every queued message that is due. The scheduler runs this every minute."""
    now = now or utcnow()
    run = OutboxRun()
    backend = configured_backend()
    sender = current_app.config["MAIL_FROM"]
    _release_stale_claims(now)
    batch = []
    try:
        while batch := _claim(now, batch_size):
            # A connection per batch: servers limit the messages per connection.
            with backend.connect() as connection:
                while batch:
                    message = batch[0]
                    db.session.execute(
                        update(OutboxMessage).where(OutboxMessage.id == message.id).values(**_attempt(connection, message, sender, now, run))
                    )
                    db.session.commit()
                    batch.pop(0)
    except BaseException as error:  # the run stops: what it claimed and did not send waits for the next
        db.session.rollback()
        _unclaim([message.id for message in batch], now)
        if isinstance(error, MailServerUnavailable):
            _note_outage(now, str(error), batch_size)
        raise
    return run


def _claim(now: datetime, limit: int) -> list:
    """Claim the next due messages for this run, as plain rows (the commit after each message
    would expire ORM objects)."""
    # Materialised, so the candidates are picked once (see core/claims.py): as a plain subquery
    # PostgreSQL may scan it again while updating and claim more than ``limit``.
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.state == "queued", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("due").prefix_with("MATERIALIZED")
    )
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(select(due.c.id)), OutboxMessage.state == "queued")
        .values(state="sending", next_attempt_at=now + CLAIM_TIME)
        .returning(OutboxMessage.id, OutboxMessage.to_address, OutboxMessage.subject, OutboxMessage.text_body,
                   OutboxMessage.html_body, OutboxMessage.attempts)
    ).all()
    db.session.commit()
    return sorted(claimed, key=lambda row: row.id)


def _release_stale_claims(now: datetime) -> None:
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.state == "sending", OutboxMessage.next_attempt_at <= now)
        .values(state="queued")
    )
    db.session.commit()


def _unclaim(ids: list[int], now: datetime) -> None:
    if ids:
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.state == "sending")
            .values(state="queued", next_attempt_at=now)
        )
        db.session.commit()


def _due(now: datetime, limit: int):
    return db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.state == "queued", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()


def _attempt(connection, message, sender: str, now: datetime, run: OutboxRun) -> dict:
    """Send one message; returns the columns to update."""
    try:
        connection.send(build_message(message, sender), message.id)
    except MailServerUnavailable:
        raise
    except Exception as error:  # this message's failure; the others still go
        attempts = message.attempts + 1
        failure = {"attempts": attempts, "last_error": f"{type(error).__name__}: {error}"[:2000]}
        if attempts >= MAX_ATTEMPTS:
            run.failed += 1
            return {**failure, "state": "failed"}
        run.retrying += 1
        return {**failure, "state": "queued", "next_attempt_at": now + BACKOFF[attempts - 1]}
    run.sent += 1
    return {"state": "sent", "sent_at": now, "last_error": None}


def _note_outage(now: datetime, error: str, limit: int) -> None:
    """Show the outage on the waiting messages (the first batch is enough) without counting an attempt."""
    ids = _due(now, limit)
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(last_error=f"MailServerUnavailable: {error}"[:2000])
    )
    db.session.commit()


def resend(message: OutboxMessage, actor=None) -> None:
    """Put a failed message back in the queue with fresh attempts (the caller commits)."""
    if message.state != "failed":
        raise ValueError("only failed messages can be resent")
    message.state, message.attempts, message.next_attempt_at = "queued", 0, utcnow()
    audit.record("outbox.resent", message, details={"to": message.to_address}, actor=actor)
