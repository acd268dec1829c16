"""The daily jobs: escalating expiry reminders, the manager at expiry, automatic re-enrolment and
registration reminders. Each run twice sends once."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from core.api import clock
from core.jobs import registered_jobs
from core.models import Notification
from core.plugin_switch import state_row
from plugins.learning.jobs import auto_enrol, send_expiry_reminders, send_registration_reminders
from plugins.learning.models import Enrolment, Registration
from tests.plugins.learning import support


def _notes(db, person, kind):
    return db.session.scalars(select(Notification).where(Notification.person_id == person.id, Notification.kind == kind)
                              .order_by(Notification.id)).all()


def _expiring_in(person, course, days):
    """A record whose last valid day is ``days`` from today."""
    today = clock.today()
    row = support.record(person, course, today - timedelta(days=30))
    row.expires_on, row.grace_until = today + timedelta(days=days), today + timedelta(days=days + course.grace_days)
    support.db.session.commit()
    return row


def test_learnings_jobs_are_registered(app):
    ids = set(registered_jobs(app))
    assert {"learning.expiry_reminders", "learning.auto_enrol", "learning.registration_reminders"} <= ids


def test_expiry_reminders_at_90_30_and_7_days_once_each(app, org, db):
    course = support.course(title="BHV")
    for days in (90, 30, 7):
        person = {90: org.employee, 30: org.colleague, 7: org.manager}[days]
        _expiring_in(person, course, days)
    _expiring_in(org.hr, course, 45)  # no reminder due today
    send_expiry_reminders(org.foundation)
    send_expiry_reminders(org.foundation)  # a second run sends nothing more
    for person in (org.employee, org.colleague, org.manager):
        [note] = _notes(db, person, "learning.expiry")
        assert "BHV" in note.subject and note.url == f"/learning/courses/{course.id}"
    assert _notes(db, org.hr, "learning.expiry") == []


def test_a_renewed_certificate_stops_the_reminders(app, org, db):
    course = support.course()
    _expiring_in(org.employee, course, 30)
    support.record(org.employee, course, clock.today() - timedelta(days=2))  # renewed
    send_expiry_reminders(org.foundation)
    assert _notes(db, org.employee, "learning.expiry") == []


def test_the_manager_hears_the_day_after_expiry(app, org, db):
    course = support.course(title="BLS")
    _expiring_in(org.employee, course, -1)
    send_expiry_reminders(org.foundation)
    [note] = _notes(db, org.manager, "learning.expired_team")
    assert "Mila Werkman" in note.subject and "BLS" in note.subject
    assert _notes(db, org.employee, "learning.expired_team") == []


def test_auto_enrolment_is_off_unless_the_foundation_switches_it_on(app, org, db):
    course = support.course()
    support.session(org.foundation, course, days=20, capacity=5)
    _expiring_in(org.employee, course, 30)
    assert auto_enrol(org.foundation) == 0
    assert db.session.scalar(select(Enrolment.id)) is None


def test_auto_enrolment_takes_the_next_session_with_room_or_the_waiting_list(app, org, db, make):
    course = support.course()
    full = support.session(org.foundation, course, days=10, capacity=1)
    later = support.session(org.foundation, course, days=20, capacity=1)
    db.session.add(Enrolment(foundation_id=org.foundation.id, session_id=full.id, person_id=org.hr.id, status="enrolled"))
    row = state_row(org.foundation, "learning")
    row.settings = {"auto_enrol": True, "auto_enrol_days": 60}
    db.session.commit()
    _expiring_in(org.employee, course, 30)
    _expiring_in(org.colleague, course, 40)
    _expiring_in(org.manager, course, 90)  # beyond 60 days: not yet
    assert auto_enrol(org.foundation) == 2
    db.session.commit()
    assert support.enrolment_of(org.employee, later).status == "enrolled"  # the first with room
    assert support.enrolment_of(org.colleague, full).status == "waitlisted"  # none with room left: the first session's list
    assert support.enrolment_of(org.manager, later) is None
    assert auto_enrol(org.foundation) == 0  # a second run enrols nobody twice


def test_registration_reminder_only_when_points_are_missing(app, org, db, make):
    register = support.register(points=Decimal("10"))
    course = support.course(code="MED", validity_months=None, register_id=register.id, accreditation_points=Decimal("4"))
    today = clock.today()
    for person, points_done in ((org.employee, 1), (org.colleague, 3)):
        db.session.add(Registration(foundation_id=org.foundation.id, person_id=person.id, register_id=register.id,
                                    cycle_start=today - timedelta(days=1500), cycle_end=today + timedelta(days=90),
                                    points_required=Decimal("10")))
        db.session.commit()
        for n in range(points_done):
            support.record(person, course, today - timedelta(days=100 + n))
    send_registration_reminders(org.foundation)
    send_registration_reminders(org.foundation)
    assert len(_notes(db, org.employee, "learning.registration")) == 1  # 4 of 10 points
    assert _notes(db, org.colleague, "learning.registration") == []  # 12 of 10 points
