"""Daily jobs of learning, per foundation: expiry reminders (through core's date reminders),
automatic re-enrolment for recertification, and registration reminders. All idempotent."""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from core.api import DateReminder, JobSpec, Person, Team, clock, db, plugin_settings, run_date_reminders
from plugins.learning import KEY, snapshot
from plugins.learning import enrolment as enrolments
from plugins.learning.models import CourseSession, Enrolment, Registration, TrainingRecord
from plugins.learning.registrations import points_earned
from plugins.learning.vocabulary import OPEN_ENROLMENT

DEFAULT_AUTO_ENROL_DAYS = 60
REGISTRATION_OFFSETS = (-180, -90, -30)


def latest_records():
    """Verified records not superseded by a later one of the same person and course (the
    higher id breaks a tie of dates)."""
    newer = aliased(TrainingRecord)
    return select(TrainingRecord).where(
        TrainingRecord.status == "verified",
        ~exists().where(newer.person_id == TrainingRecord.person_id, newer.course_id == TrainingRecord.course_id,
                        newer.status == "verified",
                        or_(newer.completed_on > TrainingRecord.completed_on,
                            and_(newer.completed_on == TrainingRecord.completed_on, newer.id > TrainingRecord.id))),
        TrainingRecord.person.has(Person.status != "left"),
    )


def _record_query(foundation):
    return latest_records().options(
        selectinload(TrainingRecord.course),
        selectinload(TrainingRecord.person).selectinload(Person.team).selectinload(Team.manager),
    )


CERTIFICATE_EXPIRY = DateReminder(
    key="learning.expiry",
    kind="learning.expiry",
    query=_record_query,
    date=TrainingRecord.expires_on,
    offsets_days=(-90, -30, -7),
    recipients=lambda record: [record.person],
    render=lambda record, offset: (
        _("Your certificate %(course)s is valid until %(date)s", course=record.course.title, date=format_date(record.expires_on)),
        _("Enrol for a refresher in time."),
        f"/learning/courses/{record.course_id}",
    ),
)

CERTIFICATE_EXPIRED = DateReminder(
    key="learning.expired_team",
    kind="learning.expired_team",
    query=_record_query,
    date=TrainingRecord.expires_on,
    offsets_days=(1,),  # the day after the last valid day
    recipients=lambda record: [record.person.team.manager if record.person.team else None],
    render=lambda record, offset: (
        _("%(name)s: %(course)s was valid until %(date)s", name=record.person.full_name, course=record.course.title,
          date=format_date(record.expires_on)),
        _("The certificate has expired. Plan a refresher together."),
        "/learning/compliance",
    ),
)

REGISTRATION_CYCLE_END = DateReminder(
    key="learning.registration",
    kind="learning.registration",
    query=lambda foundation: select(Registration)
    .where(Registration.points_required > points_earned())
    .options(selectinload(Registration.person), selectinload(Registration.register)),
    date=Registration.cycle_end,
    offsets_days=REGISTRATION_OFFSETS,
    recipients=lambda registration: [registration.person],
    render=lambda registration, offset: (
        _("Your registration %(register)s: the cycle ends on %(date)s with points still missing",
          register=registration.register.name, date=format_date(registration.cycle_end)),
        _("See your progress under Learning."),
        "/learning/",
    ),
)


def send_expiry_reminders(foundation) -> None:
    run_date_reminders(foundation, [CERTIFICATE_EXPIRY, CERTIFICATE_EXPIRED])


def send_registration_reminders(foundation) -> None:
    run_date_reminders(foundation, [REGISTRATION_CYCLE_END])


def auto_enrol(foundation, today: date | None = None) -> int:
    """When the foundation asks for it: put people whose certificate expires within the set
    number of days on the next session of that course with room, else on the first upcoming
    session's waiting list. People with an open enrolment for an upcoming session are skipped, so
    a second run enrols nobody twice. Returns the number enrolled."""
    settings = plugin_settings(KEY, foundation.id)
    if not settings.get("auto_enrol"):
        return 0
    today = today or clock.today()
    horizon = today + timedelta(days=int(settings.get("auto_enrol_days") or DEFAULT_AUTO_ENROL_DAYS))
    now = clock.local_now()
    upcoming = aliased(CourseSession)
    already = exists().where(
        Enrolment.person_id == TrainingRecord.person_id, Enrolment.status.in_(OPEN_ENROLMENT),
        Enrolment.session_id == upcoming.id, upcoming.course_id == TrainingRecord.course_id, upcoming.starts_at > now,
    )
    due = db.session.scalars(
        latest_records().where(TrainingRecord.foundation_id == foundation.id,
                               TrainingRecord.expires_on.between(today, horizon), ~already)
        .options(selectinload(TrainingRecord.person).selectinload(Person.team))
        .order_by(TrainingRecord.expires_on, TrainingRecord.id)
    ).all()
    if not due:
        return 0
    sessions = _upcoming_sessions(foundation.id, {r.course_id for r in due}, now)
    enrolled = 0
    for record in due:
        options = sessions.get(record.course_id)
        if not options:
            continue
        seats = [s for s, taken in options if taken < s.capacity]
        session = seats[0] if seats else options[0][0]
        enrolments.enrol(session, record.person, None)
        options[:] = [(s, taken + 1 if s is session else taken) for s, taken in options]
        enrolled += 1
    return enrolled


def _upcoming_sessions(foundation_id: int, course_ids: set[int], now) -> dict[int, list]:
    """Per course: upcoming sessions with their taken seats, soonest first (one query)."""
    taken = (
        select(func.count(Enrolment.id)).where(Enrolment.session_id == CourseSession.id, Enrolment.status == "enrolled")
        .correlate(CourseSession).scalar_subquery()
    )
    rows = db.session.execute(
        select(CourseSession, taken).where(
            and_(CourseSession.foundation_id == foundation_id, CourseSession.course_id.in_(course_ids),
                 CourseSession.cancelled.is_(False), CourseSession.starts_at > now))
        .options(selectinload(CourseSession.course))
        .order_by(CourseSession.starts_at, CourseSession.id)
    ).all()
    result: dict[int, list] = {}
    for session, count in rows:
        result.setdefault(session.course_id, []).append((session, count))
    return result


JOBS = [
    JobSpec(id="learning.compliance_snapshot", func=snapshot.refresh, trigger={"interval": {"minutes": 10}},
            per_foundation=True, description=_l("Count the foundation's compliance for the summary and the HR widget")),
    JobSpec(id="learning.expiry_reminders", func=send_expiry_reminders, trigger={"cron": {"hour": 6, "minute": 30}},
            per_foundation=True, description=_l("Remind people of certificates that expire, and managers once expired")),
    JobSpec(id="learning.auto_enrol", func=auto_enrol, trigger={"cron": {"hour": 6, "minute": 45}},
            per_foundation=True, description=_l("Enrol people whose certificate expires soon in the next session")),
    JobSpec(id="learning.registration_reminders", func=send_registration_reminders,
            trigger={"cron": {"hour": 7, "minute": 0}}, per_foundation=True,
            description=_l("Remind people whose registration cycle ends with points missing")),
]
