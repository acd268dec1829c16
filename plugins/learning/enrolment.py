"""Enrolment: seats, the waiting list, manager approval, cancellation.

Every change to a session's seats starts by bumping the session's ``lock_version`` with an
UPDATE. That takes the row's write lock (PostgreSQL: the row; SQLite: the database) until the
transaction ends, so two people taking the last seat, or two cancellations promoting from the
waiting list, are handled one after the other and never overbook the session.
"""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, contains_eager

from core.api import Person, clock, db, plugin_settings
from plugins.learning import KEY, notices
from plugins.learning.dates import local_datetime
from plugins.learning.models import CourseSession, Enrolment
from plugins.learning.vocabulary import OPEN_ENROLMENT

DEFAULT_CANCEL_DEADLINE_HOURS = 48


class EnrolmentRefused(ValueError):
    """The enrolment or cancellation is not possible; the message says why. Nothing changed."""


def cancel_deadline_hours(foundation_id: int) -> int:
    return int(plugin_settings(KEY, foundation_id).get("cancel_deadline_hours", DEFAULT_CANCEL_DEADLINE_HOURS))


def _lock_seats(session: CourseSession) -> None:
    db.session.execute(
        update(CourseSession).where(CourseSession.id == session.id).values(lock_version=CourseSession.lock_version + 1),
        execution_options={"synchronize_session": False},
    )


def _enrolled_count(session_id: int) -> int:
    return db.session.scalar(
        select(func.count(Enrolment.id)).where(Enrolment.session_id == session_id, Enrolment.status == "enrolled")
    )


def _check_open(session: CourseSession) -> None:
    if session.cancelled:
        raise EnrolmentRefused(_("This session is cancelled."))
    if session.starts_at <= clock.local_now():
        raise EnrolmentRefused(_("This session has already started."))


def other_session_of_course(session: CourseSession, person_id: int) -> Enrolment | None:
    """The person's open enrolment in another session of the same course that has not ended yet:
    one place per course at a time (an ended session may be followed by a repeat)."""
    return db.session.scalar(
        select(Enrolment).join(Enrolment.session).options(contains_eager(Enrolment.session))
        .where(Enrolment.person_id == person_id, Enrolment.status.in_(OPEN_ENROLMENT),
               CourseSession.course_id == session.course_id, CourseSession.id != session.id,
               CourseSession.cancelled.is_(False), CourseSession.ends_at > clock.local_now())
        .order_by(CourseSession.starts_at).limit(1)
    )


def clashes(enrolments: list[Enrolment]) -> dict[int, list[Enrolment]]:
    """Per enrolment id, the same person's other open enrolments, in other courses, whose sessions
    overlap it in time; one query for a whole page."""
    if not enrolments:
        return {}
    mine, my_session = aliased(Enrolment), aliased(CourseSession)
    rows = db.session.execute(
        select(mine.id, Enrolment)
        .join(my_session, my_session.id == mine.session_id)
        .join(Enrolment, (Enrolment.person_id == mine.person_id) & (Enrolment.id != mine.id))
        .join(Enrolment.session).options(contains_eager(Enrolment.session).joinedload(CourseSession.course))
        .where(mine.id.in_([e.id for e in enrolments]), Enrolment.status.in_(OPEN_ENROLMENT),
               CourseSession.course_id != my_session.course_id, CourseSession.cancelled.is_(False),
               CourseSession.starts_at < my_session.ends_at, CourseSession.ends_at > my_session.starts_at)
        .order_by(CourseSession.starts_at)
    ).all()
    found: dict[int, list[Enrolment]] = {}
    for enrolment_id, other in rows:
        found.setdefault(enrolment_id, []).append(other)
    return found


def clashes_with(session: CourseSession, person_id: int) -> list[Enrolment]:
    """The person's open enrolments, in other courses, whose sessions overlap ``session``: what
    enrolling in it would clash with."""
    return list(db.session.scalars(
        select(Enrolment).join(Enrolment.session)
        .options(contains_eager(Enrolment.session).joinedload(CourseSession.course))
        .where(Enrolment.person_id == person_id, Enrolment.status.in_(OPEN_ENROLMENT),
               CourseSession.course_id != session.course_id, CourseSession.cancelled.is_(False),
               CourseSession.starts_at < session.ends_at, CourseSession.ends_at > session.starts_at)
        .order_by(CourseSession.starts_at)
    ))


def describe(enrolments: list[Enrolment]) -> str:
    """"Course (when), Course (when)": the sessions named in a message."""
    return ", ".join(f"{e.session.course.title} ({local_datetime(e.session.starts_at)})" for e in enrolments)


def enrol(session: CourseSession, person: Person, actor, *, approval: bool = False) -> Enrolment:
    """Put ``person`` on ``session``: a seat while there is one, else the waiting list; or, with
    ``approval``, a request for their manager. The caller commits."""
    _check_open(session)
    if person.foundation_id != session.foundation_id:
        raise EnrolmentRefused(_("%(name)s belongs to another foundation.", name=person.full_name))
    existing = db.session.scalar(
        select(Enrolment).where(Enrolment.session_id == session.id, Enrolment.person_id == person.id)
    )
    if existing is not None and existing.status in OPEN_ENROLMENT:
        raise EnrolmentRefused(_("%(name)s is already enrolled for this session.", name=person.full_name))
    elsewhere = other_session_of_course(session, person.id)
    if elsewhere is not None:
        raise EnrolmentRefused(_(
            "%(name)s is already enrolled for this course, in the session of %(when)s. Cancel that enrolment first "
            "to take this session instead.", name=person.full_name, when=local_datetime(elsewhere.session.starts_at)))
    enrolment = existing or Enrolment(foundation_id=session.foundation_id, session_id=session.id, person_id=person.id)
    enrolment.session, enrolment.person = session, person
    enrolment.enrolled_by_id = actor.id if actor is not None else None
    enrolment.decided_by_id = None
    enrolment.attendance = enrolment.result = enrolment.score = None
    enrolment.queued_at = clock.utcnow()
    if approval:
        enrolment.status = "requested"
    else:
        _lock_seats(session)
        enrolment.status = "enrolled" if _enrolled_count(session.id) < session.capacity else "waitlisted"
    if existing is None:
        db.session.add(enrolment)
    try:
        db.session.flush()
    except IntegrityError:  # the same person enrolled at the same moment in another request
        db.session.rollback()
        raise EnrolmentRefused(_("%(name)s is already enrolled for this session.", name=person.full_name)) from None
    notices.enrolment_changed(enrolment)
    manager = person.team.manager if approval and person.team is not None else None
    if manager is not None:
        notices.approval_requested(enrolment, manager)
    return enrolment


def decide(enrolment: Enrolment, actor, approve: bool) -> None:
    """A manager's (or HR's) answer to a request: a seat or the waiting list, or rejected."""
    if enrolment.status != "requested":
        raise EnrolmentRefused(_("This enrolment is not awaiting approval."))
    session = enrolment.session
    enrolment.decided_by_id = actor.id
    if approve:
        _check_open(session)
        _lock_seats(session)
        enrolment.status = "enrolled" if _enrolled_count(session.id) < session.capacity else "waitlisted"
    else:
        enrolment.status = "rejected"
    notices.enrolment_changed(enrolment)


def cancel(enrolment: Enrolment, actor, *, by_admin: bool = False) -> Enrolment | None:
    """Cancel; a freed seat goes to the first on the waiting list (returned, if any). People
    cancel their own seat until the foundation's deadline before the start; HR at any time
    before the start."""
    session = enrolment.session
    if enrolment.status not in OPEN_ENROLMENT:
        raise EnrolmentRefused(_("This enrolment is not open."))
    if session.starts_at <= clock.local_now():
        raise EnrolmentRefused(_("This session has already started."))
    deadline = session.starts_at - timedelta(hours=cancel_deadline_hours(session.foundation_id))
    if enrolment.status == "enrolled" and not by_admin and clock.local_now() > deadline:
        raise EnrolmentRefused(_("Cancelling is possible until %(hours)d hours before the start. Ask HR.",
                                 hours=cancel_deadline_hours(session.foundation_id)))
    _lock_seats(session)
    had_seat = enrolment.status == "enrolled"
    enrolment.status = "cancelled"
    enrolment.decided_by_id = actor.id if actor is not None else None
    db.session.flush()
    notices.enrolment_changed(enrolment)
    promoted = fill_seats(session)
    return promoted[0] if had_seat and promoted else None


def fill_seats(session: CourseSession) -> list[Enrolment]:
    """Promote from the waiting list, first come first served, while seats are free (after a
    cancellation or a larger capacity). Call with the seats locked."""
    free = session.capacity - _enrolled_count(session.id)
    if free <= 0 or session.cancelled or session.starts_at <= clock.local_now():
        return []
    waiting = db.session.scalars(
        select(Enrolment).where(Enrolment.session_id == session.id, Enrolment.status == "waitlisted")
        .order_by(Enrolment.queued_at, Enrolment.id).limit(free)
    ).all()
    for enrolment in waiting:
        enrolment.status = "enrolled"
        notices.enrolment_changed(enrolment)
    db.session.flush()
    return list(waiting)


def resize(session: CourseSession, capacity: int) -> list[Enrolment]:
    """Change the capacity; a larger session takes people from its waiting list."""
    _lock_seats(session)
    session.capacity = capacity
    db.session.flush()
    return fill_seats(session)


def enrol_group(session: CourseSession, people: list[Person], actor) -> dict[str, int]:
    """HR enrols a group without approval; people already on the session, or on another
    session of the course that has not ended, are skipped."""
    counts = {"enrolled": 0, "waitlisted": 0, "skipped": 0}
    _check_open(session)
    taken = set(db.session.scalars(
        select(Enrolment.person_id).join(Enrolment.session)
        .where(Enrolment.status.in_(OPEN_ENROLMENT), CourseSession.course_id == session.course_id,
               CourseSession.cancelled.is_(False), CourseSession.ends_at > clock.local_now())
    ))
    for person in people:
        if person.id in taken:
            counts["skipped"] += 1
            continue
        counts[enrol(session, person, actor).status] += 1
    return counts
