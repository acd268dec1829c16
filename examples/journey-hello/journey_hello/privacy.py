"""What the plugin holds about a person, for the privacy export and erasure."""
from __future__ import annotations

from sqlalchemy import delete, select

from core.api import db
from journey_hello.models import HelloGreeting


def export(person) -> dict:
    rows = db.session.scalars(select(HelloGreeting).where(HelloGreeting.person_id == person.id)).all()
    return {"greetings": [{"text": g.text, "at": g.created_at.isoformat()} for g in rows]}


def erase(person) -> None:
    db.session.execute(delete(HelloGreeting).where(HelloGreeting.person_id == person.id))
