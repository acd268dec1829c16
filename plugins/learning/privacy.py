"""Privacy: everything learning holds about a person, and its erasure.

Erasure removes the person's enrolments, records (with uploaded certificates, once the erasure
commits), registrations and calendar-feed secret. Sessions they trained keep running without a
trainer; statement ids received over xAPI stay (without the person) so a replay cannot bring a
record back.
"""
from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from core.api import db
from plugins.learning import snapshot, uploads
from plugins.learning.models import CourseSession, Enrolment, FeedToken, Registration, TrainingRecord, XapiStatement

ALL = {"all_tenants": True}  # HR may export someone of a foundation they administer from another


def export(person) -> dict:
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.person_id == person.id)
        .options(joinedload(Enrolment.session).joinedload(CourseSession.course)).execution_options(**ALL)
    ).all()
    records = db.session.scalars(
        select(TrainingRecord).where(TrainingRecord.person_id == person.id)
        .options(joinedload(TrainingRecord.course)).execution_options(**ALL)
    ).all()
    registrations = db.session.scalars(
        select(Registration).where(Registration.person_id == person.id)
        .options(joinedload(Registration.register)).execution_options(**ALL)
    ).all()
    trained = db.session.scalars(
        select(CourseSession).where(CourseSession.trainer_id == person.id)
        .options(joinedload(CourseSession.course)).execution_options(**ALL)
    ).all()
    has_feed = db.session.scalar(select(FeedToken.id).where(FeedToken.person_id == person.id).execution_options(**ALL))
    return {
        "enrolments": [{
            "course": e.session.course.title, "starts_at": e.session.starts_at, "status": e.status,
            "attendance": e.attendance, "result": e.result, "score": _number(e.score),
        } for e in enrolments],
        "training_records": [{
            "course": r.course.title, "completed_on": r.completed_on, "expires_on": r.expires_on, "score": _number(r.score),
            "source": r.source, "status": r.status, "points": _number(r.points), "verification_code": r.verification_code,
            "uploaded_certificate": r.evidence_name, "note": r.note,
        } for r in records],
        "registrations": [{
            "register": g.register.name, "number": g.number, "cycle_start": g.cycle_start, "cycle_end": g.cycle_end,
            "points_required": _number(g.points_required),
        } for g in registrations],
        "sessions_as_trainer": [{"course": s.course.title, "starts_at": s.starts_at} for s in trained],
        "calendar_feed": has_feed is not None,
    }


def _number(value):
    return float(value) if value is not None else None


def erase(person) -> None:
    stored = db.session.scalars(
        select(TrainingRecord.evidence_stored).where(TrainingRecord.person_id == person.id,
                                                     TrainingRecord.evidence_stored.is_not(None)).execution_options(**ALL)
    ).all()
    record_ids = select(TrainingRecord.id).where(TrainingRecord.person_id == person.id).scalar_subquery()
    db.session.execute(update(XapiStatement).where(XapiStatement.person_id == person.id)
                       .values(person_id=None, record_id=None), execution_options={"synchronize_session": False})
    db.session.execute(update(Enrolment).where(Enrolment.record_id.in_(record_ids)).values(record_id=None),
                       execution_options={"synchronize_session": False})
    for model in (Enrolment, TrainingRecord, Registration, FeedToken):
        db.session.execute(delete(model).where(model.person_id == person.id), execution_options={"synchronize_session": False})
    db.session.execute(update(CourseSession).where(CourseSession.trainer_id == person.id).values(trainer_id=None),
                       execution_options={"synchronize_session": False})
    uploads.discard_after_commit(stored)
    snapshot.forget(person.foundation_id)
