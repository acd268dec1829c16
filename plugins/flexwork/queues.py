"""What waits for a manager or for HR: open requests and agreed swaps of their teams."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from core.api import Person, db
from plugins.flexwork.models import OPEN_STATES, FlexRequest, Swap


def queue_query(team_ids):
    """Open requests of the people in ``team_ids``, nearest deadline first, with their person."""
    return (
        select(FlexRequest)
        .join(Person, Person.id == FlexRequest.person_id)
        .options(contains_eager(FlexRequest.person))
        .where(Person.team_id.in_(team_ids), FlexRequest.state.in_(OPEN_STATES))
        .order_by(FlexRequest.decision_deadline, FlexRequest.id)
    )


def queue(team_ids, manager_id: int) -> list[FlexRequest]:
    """The manager's queue; never their own request (a manager in their own team decides nothing there)."""
    return list(db.session.scalars(queue_query(team_ids).where(FlexRequest.person_id != manager_id)))


def swaps_awaiting(team_ids, manager_id: int) -> list[Swap]:
    return list(db.session.scalars(
        select(Swap).where(Swap.team_id.in_(team_ids), Swap.state == "agreed", Swap.requester_id != manager_id,
                           Swap.partner_id != manager_id)
        .order_by(Swap.week_start, Swap.id)
    ))


def waiting_count(team_ids, manager_id: int) -> int:
    waiting = queue_query(team_ids).where(FlexRequest.person_id != manager_id)
    return db.session.scalar(select(func.count()).select_from(waiting.subquery()))


def foundation_open(foundation_id: int, limit: int) -> list[FlexRequest]:
    """All undecided requests of a foundation, nearest deadline first (for HR)."""
    return list(db.session.scalars(
        select(FlexRequest).join(Person, Person.id == FlexRequest.person_id).options(contains_eager(FlexRequest.person))
        .where(FlexRequest.foundation_id == foundation_id, FlexRequest.state.in_(OPEN_STATES))
        .order_by(FlexRequest.decision_deadline, FlexRequest.id).limit(limit)
    ))


def due_soon_count(foundation_id: int, today: date, days: int) -> int:
    return db.session.scalar(
        select(func.count(FlexRequest.id)).where(
            FlexRequest.foundation_id == foundation_id, FlexRequest.state.in_(OPEN_STATES),
            FlexRequest.decision_deadline <= today + timedelta(days=days),
        )
    )
