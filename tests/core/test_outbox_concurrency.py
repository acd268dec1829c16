"""Two outbox runs at once — the scheduler's and a manual ``flask journey jobs run`` — in two real
processes against one database and a real SMTP server: every message goes exactly once."""
from __future__ import annotations

import asyncio
import sys
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from core.models import Foundation, OutboxMessage
from core.notifications import send_outbox
from tests.core.test_scheduler_lease import _env, database, processes  # noqa: F401 (database: a fixture)
from tests.core.test_smtp_outage import LoopbackSMTP, Recorder

MESSAGES = 60


class SlowRecorder(Recorder):
    """Takes a moment per message, so that two runs surely overlap."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


def _queue(engine) -> None:
    with engine.begin() as conn:
        foundation_id = conn.scalar(select(Foundation.id))
        conn.execute(insert(OutboxMessage.__table__), [
            {"foundation_id": foundation_id, "to_address": f"person{n}@example.org", "subject": f"Message {n}",
             "text_body": "Hello", "state": "queued", "attempts": 0, "next_attempt_at": datetime(2026, 1, 1),
             "created_at": datetime(2026, 1, 1)}
            for n in range(MESSAGES)
        ])


def test_two_concurrent_runs_send_each_message_once(database, tmp_path):  # noqa: F811 (fixture)
    url, engine = database
    _queue(engine)
    server = LoopbackSMTP()
    server.handler = SlowRecorder()
    server.start()
    env = _env(url, tmp_path, JOURNEY_MAIL_BACKEND="smtp", JOURNEY_MAIL_SMTP_HOST="127.0.0.1",
               JOURNEY_MAIL_SMTP_PORT=str(server.port), JOURNEY_MAIL_SMTP_SECURITY="none")
    args = [sys.executable, "-m", "flask", "--app", "core:create_app", "journey", "jobs", "run", "core.send_outbox"]
    try:
        with processes() as spawn:
            runs = [spawn(args, env, tmp_path / f"run{n}.log") for n in range(2)]
            for run in runs:
                run.wait(timeout=120)
        logs = [(tmp_path / f"run{n}.log").read_text() for n in range(2)]
        assert [run.returncode for run in runs] == [0, 0], logs
    finally:
        server.stop()
    subjects = Counter(message["Subject"] for message in server.handler.received)
    assert len(subjects) == MESSAGES
    assert max(subjects.values()) == 1, [subject for subject, n in subjects.items() if n > 1]
    with engine.connect() as conn:
        assert set(conn.scalars(select(OutboxMessage.state))) == {"sent"}


def test_a_dead_runs_claim_is_taken_over(db, make):
    """A run that died leaves its messages claimed; once the claim has run out the next run sends them."""
    person = make.person(make.foundation())
    claimed_until = datetime(2026, 3, 4, 9, 45)
    message = OutboxMessage(foundation_id=person.foundation_id, to_address=person.email, subject="Left behind",
                            text_body="x", state="sending", next_attempt_at=claimed_until)
    db.session.add(message)
    db.session.commit()
    assert send_outbox(now=claimed_until - timedelta(minutes=1)).sent == 0  # still the other run's
    assert send_outbox(now=claimed_until).sent == 1
    db.session.refresh(message)
    assert message.state == "sent"
