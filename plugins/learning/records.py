"""Training records: expiry from the course's validity, verification, and the
``training_completed`` event for every record that becomes verified."""
from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.api import Person, Team, clock, db, fire_event, has_permission
from plugins.learning import snapshot
from plugins.learning.models import Course, TrainingRecord

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def expiry_for(course: Course, completed_on: date) -> tuple[date | None, date | None]:
    """``(expires_on, grace_until)``: the last valid day is ``validity_months`` after completion
    (month ends clamp: 31 January + 1 month is 28 or 29 February), then ``grace_days`` more."""
    if not course.validity_months:
        return None, None
    expires_on = completed_on + relativedelta(months=course.validity_months)
    return expires_on, expires_on + timedelta(days=course.grace_days or 0)


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def create_record(person: Person, course: Course, completed_on: date, source: str, *, verified: bool = True,
                  score: Decimal | None = None, session_id: int | None = None, created_by=None, note: str = "",
                  expires_on: date | None = None) -> TrainingRecord:
    """Add a record (the caller commits with ``commit_and_fire()``). ``expires_on`` overrides the
    computed expiry (an imported certificate whose end date is known)."""
    computed, grace_until = expiry_for(course, completed_on)
    if expires_on is not None:
        grace_until = expires_on + timedelta(days=course.grace_days or 0)
    else:
        expires_on = computed
    record = TrainingRecord(
        foundation_id=person.foundation_id, person_id=person.id, course_id=course.id, completed_on=completed_on,
        expires_on=expires_on, grace_until=grace_until, score=score, source=source, status="pending",
        session_id=session_id, register_id=course.register_id, points=course.accreditation_points,
        created_by_id=created_by.id if created_by is not None else None, note=note or "",
    )
    record.person, record.course = person, course
    db.session.add(record)
    if verified:
        verify(record, created_by)
    return record


def verify(record: TrainingRecord, actor=None) -> None:
    """Mark verified, give it a verification code and queue ``training_completed``."""
    record.status = "verified"
    record.verified_at = clock.utcnow()
    record.verified_by_id = actor.id if actor is not None else None
    record.verification_code = record.verification_code or new_verification_code()
    db.session.flush()
    snapshot.forget(record.foundation_id)
    fire_event("training_completed", record.foundation_id, person=record.person, course=record.course, record=record)


def may_see_person(viewer, person: Person, foundation_id: int) -> bool:
    """The person themselves, HR of the foundation, or the manager of the person's team."""
    if person.id == viewer.id:
        return True
    if person.foundation_id != foundation_id:
        return False
    if has_permission(viewer, "learning.manage", foundation_id):
        return True
    return bool(person.team_id) and has_permission(viewer, "learning.view_team", foundation_id) and db.session.scalar(
        select(Team.id).where(Team.id == person.team_id, Team.manager_id == viewer.id)
    ) is not None


def record_or_404(record_id: int, foundation_id: int) -> TrainingRecord:
    """A record the signed-in person may see; anything else is not found."""
    record = db.session.scalars(  # scoped to the viewer's foundations, like tenancy.get_or_404
        select(TrainingRecord).where(TrainingRecord.id == record_id)
        .options(joinedload(TrainingRecord.person), joinedload(TrainingRecord.course))
    ).one_or_none()
    if record is None or not may_see_person(current_user, record.person, foundation_id):
        abort(404)
    return record
