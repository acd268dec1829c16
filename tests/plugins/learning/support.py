"""Builders for learning tests: courses, sessions, records and requirements in one line each."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

from core.api import clock
from core.extensions import db
from plugins.learning.models import Course, CourseSession, Enrolment, Register, Requirement, TrainingRecord
from plugins.learning.records import expiry_for


def course(foundation=None, code="BHV", title="Bedrijfshulpverlening", **fields) -> Course:
    values = {"format": "classroom", "validity_months": 12, "grace_days": 30, "description": "", "category": "Veiligheid"}
    values.update(fields)
    row = Course(foundation_id=foundation.id if foundation is not None else None, code=code, title=title, **values)
    db.session.add(row)
    db.session.commit()
    return row


def session(foundation, course_row, days=7, capacity=2, trainer=None, **fields) -> CourseSession:
    """A session starting ``days`` from now (negative: in the past)."""
    start = (clock.local_now() + timedelta(days=days)).replace(second=0)
    row = CourseSession(foundation_id=foundation.id, course_id=course_row.id, starts_at=start,
                        ends_at=start + timedelta(hours=3), location="Hengelo", capacity=capacity,
                        trainer_id=trainer.id if trainer is not None else None, **fields)
    db.session.add(row)
    db.session.commit()
    return row


def record(person, course_row, completed_on: date, status="verified", source="import", **fields) -> TrainingRecord:
    expires_on, grace_until = expiry_for(course_row, completed_on)
    row = TrainingRecord(foundation_id=person.foundation_id, person_id=person.id, course_id=course_row.id,
                         completed_on=completed_on, expires_on=expires_on, grace_until=grace_until, source=source,
                         status=status, register_id=course_row.register_id, points=course_row.accreditation_points,
                         **fields)
    db.session.add(row)
    db.session.commit()
    return row


def requirement(foundation, courses, title="BHV", **fields) -> Requirement:
    row = Requirement(foundation_id=foundation.id, title=title, courses=list(courses), **fields)
    db.session.add(row)
    db.session.commit()
    return row


def register(code="KRVV", name="Kwaliteitsregister V&V", points=Decimal("184")) -> Register:
    row = Register(code=code, name=name, cycle_months=60, points_required=points, unit="points")
    db.session.add(row)
    db.session.commit()
    return row


def enrolment_of(person, session_row) -> Enrolment | None:
    db.session.expire_all()
    return db.session.scalar(db.select(Enrolment).where(Enrolment.person_id == person.id,
                                                        Enrolment.session_id == session_row.id))


def records_of(person) -> list[TrainingRecord]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(TrainingRecord).where(TrainingRecord.person_id == person.id)
                                   .order_by(TrainingRecord.id)))


def noon(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time()).replace(hour=12)


class _FormValues(HTMLParser):
    """The values of a page's form fields as a browser sends them back unchanged (ticked boxes
    only, the selected option, the text of a textarea); the CSRF token left out."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrf_token" and a.get("type") != "submit":
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.values[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.values[name] = ""
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = self.values[self._textarea]  # a browser drops the newline that opens a textarea
            self.values[self._textarea] = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_values(html: str) -> dict[str, str]:
    parser = _FormValues()
    parser.feed(html)
    return parser.values
