"""The rules of greetings: a service module, named after what it holds."""
from __future__ import annotations

from sqlalchemy import func, select

from core.api import db
from journey_hello.models import HelloGreeting


def leave(foundation_id: int, person, text: str) -> HelloGreeting:
    greeting = HelloGreeting(foundation_id=foundation_id, person_id=person.id, text=text)
    db.session.add(greeting)
    db.session.commit()
    return greeting


def latest(foundation_id: int, limit: int = 20) -> list[HelloGreeting]:
    return db.session.scalars(
        select(HelloGreeting).where(HelloGreeting.foundation_id == foundation_id)
        .order_by(HelloGreeting.id.desc()).limit(limit)
    ).all()


def count(foundation_id: int) -> int:
    return db.session.scalar(select(func.count(HelloGreeting.id)).where(HelloGreeting.foundation_id == foundation_id))
