"""Demo data: one greeting in each foundation the plugin is on for."""
from __future__ import annotations

from core.api import db
from journey_hello.models import HelloGreeting


def seed(foundation, people: list[int], rng, scale: str) -> None:
    if scale == "demo" and people:
        db.session.add(HelloGreeting(foundation_id=foundation.id, person_id=rng.choice(people), text="Welkom!"))
