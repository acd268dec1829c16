"""Professional registrations: points of accredited records add up within the cycle."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from core.api import db
from plugins.learning.models import Registration, TrainingRecord


def points_earned():
    """Per registration row: the points of the person's verified records accredited by its
    register and completed within its cycle (a correlated subquery)."""
    return (
        select(func.coalesce(func.sum(TrainingRecord.points), 0))
        .where(TrainingRecord.person_id == Registration.person_id,
               TrainingRecord.register_id == Registration.register_id,
               TrainingRecord.status == "verified",
               TrainingRecord.completed_on >= Registration.cycle_start,
               TrainingRecord.completed_on <= Registration.cycle_end)
        .correlate(Registration)
        .scalar_subquery()
    )


def with_progress(query: Select) -> list[tuple[Registration, Decimal]]:
    """``(registration, points earned)`` for the registrations ``query`` selects, in one query."""
    rows = db.session.execute(
        query.add_columns(points_earned().label("earned")).options(joinedload(Registration.register))
    ).all()
    return [(registration, Decimal(earned or 0)) for registration, earned in rows]


def of_person(person_id: int) -> list[tuple[Registration, Decimal]]:
    return with_progress(select(Registration).where(Registration.person_id == person_id).order_by(Registration.cycle_end))


def percent(earned: Decimal, required: Decimal) -> int:
    if not required:
        return 100
    return min(100, int(earned * 100 / required))
