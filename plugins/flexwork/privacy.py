"""Privacy hooks: everything flexwork holds about a person, and erasing it."""
from __future__ import annotations

from sqlalchemy import delete, or_, select, update

from core.api import db
from plugins.flexwork.models import Agreement, FeedKey, FlexRequest, Swap


def _day(value):
    return value.isoformat() if value else None


def export(person) -> dict:
    agreements = db.session.scalars(
        select(Agreement).where(Agreement.person_id == person.id).order_by(Agreement.valid_from).execution_options(all_tenants=True)
    )
    requests = db.session.scalars(
        select(FlexRequest).where(FlexRequest.person_id == person.id).order_by(FlexRequest.id).execution_options(all_tenants=True)
    )
    swaps = db.session.scalars(
        select(Swap).where(or_(Swap.requester_id == person.id, Swap.partner_id == person.id)).order_by(Swap.id)
        .execution_options(all_tenants=True)
    )
    return {
        "agreements": [
            {"valid_from": _day(a.valid_from), "valid_to": _day(a.valid_to), "contract_hours": float(a.contract_hours),
             "flex_hours": float(a.flex_hours or 0), "pattern": a.pattern}
            for a in agreements
        ],
        "requests": [
            {"kind": r.kind, "state": r.state, "start_date": _day(r.start_date), "end_date": _day(r.end_date),
             "contract_hours": float(r.contract_hours), "flex_hours": float(r.flex_hours or 0), "pattern": r.pattern,
             "motivation": r.motivation, "submitted_on": _day(r.submitted_on), "decision_deadline": _day(r.decision_deadline),
             "conditions": r.conditions, "trial_end": _day(r.trial_end), "reject_category": r.reject_category,
             "reject_reason": r.reject_reason}
            for r in requests
        ],
        "swaps": [
            {"role": "requester" if s.requester_id == person.id else "partner", "week_start": _day(s.week_start),
             "requester_day": s.requester_day, "partner_day": s.partner_day, "state": s.state, "note": s.note}
            for s in swaps
        ],
        "calendar_subscription": db.session.scalar(
            select(FeedKey.id).where(FeedKey.person_id == person.id).execution_options(all_tenants=True)) is not None,
    }


def erase(person) -> None:
    """Their agreements, requests, swaps and calendar address go; decisions they took on others'
    requests stay, without their name."""
    db.session.execute(update(Agreement).where(Agreement.created_by_id == person.id).values(created_by_id=None))
    db.session.execute(update(FlexRequest).where(FlexRequest.decided_by_id == person.id).values(decided_by_id=None))
    db.session.execute(update(Swap).where(Swap.decided_by_id == person.id).values(decided_by_id=None))
    db.session.execute(delete(Agreement).where(Agreement.person_id == person.id))
    db.session.execute(delete(FlexRequest).where(FlexRequest.person_id == person.id))
    db.session.execute(delete(Swap).where(or_(Swap.requester_id == person.id, Swap.partner_id == person.id)))
    db.session.execute(delete(FeedKey).where(FeedKey.person_id == person.id))
