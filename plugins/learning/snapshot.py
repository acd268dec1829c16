"""The whole-foundation compliance summary, kept as a snapshot.

Counting every person × requirement of a 60,000-person foundation takes about half a second, too
long for the matrix page and the HR widget. So the counts are stored per foundation and reused
for the same day for up to ``MAX_AGE``; any change to the foundation's records or requirements
deletes the snapshot (once, when the transaction commits), and a job refreshes it in the
background. Smaller scopes (a team, a manager's teams, a search) are always counted live.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import delete, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.api import clock, db
from plugins.learning.compliance import Scope, counts, requirements_of
from plugins.learning.models import ComplianceSnapshot, Requirement

MAX_AGE = timedelta(minutes=15)
_CHANGED = "learning_compliance_changed"


def foundation_counts(foundation_id: int, requirements: list[Requirement], today: date
                      ) -> tuple[dict[int, Counter], datetime]:
    """``({requirement id: Counter}, computed at)`` for the whole foundation: the stored
    snapshot when it is fresh and about these requirements, else counted now and stored."""
    row = db.session.scalar(select(ComplianceSnapshot).where(ComplianceSnapshot.foundation_id == foundation_id))
    wanted = {str(r.id) for r in requirements}
    if row is not None and row.day == today and row.computed_at >= clock.utcnow() - MAX_AGE and set(row.counts) == wanted:
        return {int(k): Counter(v) for k, v in row.counts.items()}, row.computed_at
    result = counts(Scope(foundation_id), requirements, today)
    return result, _store(foundation_id, today, result)


def _store(foundation_id: int, today: date, result: dict[int, Counter]) -> datetime:
    now = clock.utcnow()
    values = {"day": today, "computed_at": now, "counts": {str(k): dict(v) for k, v in result.items()}}
    try:
        with db.session.begin_nested():  # two requests may count at once: the second one's insert just yields
            row = db.session.scalar(select(ComplianceSnapshot).where(ComplianceSnapshot.foundation_id == foundation_id))
            if row is None:
                db.session.add(ComplianceSnapshot(foundation_id=foundation_id, **values))
            else:
                for name, value in values.items():
                    setattr(row, name, value)
    except IntegrityError:
        pass
    db.session.commit()
    return now


def refresh(foundation) -> None:
    """The job: count the foundation afresh (where learning is on)."""
    _store(foundation.id, clock.today(), counts(Scope(foundation.id), requirements_of(foundation.id), clock.today()))


def forget(foundation_id: int) -> None:
    """The foundation's records or requirements change: drop its snapshot when this commits."""
    db.session.info.setdefault(_CHANGED, set()).add(foundation_id)


@event.listens_for(Session, "before_commit")
def _drop_changed(session: Session) -> None:
    changed = session.info.pop(_CHANGED, None)
    if changed:
        session.execute(delete(ComplianceSnapshot).where(ComplianceSnapshot.foundation_id.in_(changed)))


@event.listens_for(Session, "after_rollback")
def _keep(session: Session) -> None:
    session.info.pop(_CHANGED, None)
