"""One person's learning at a glance: requirements, upcoming sessions, records, registrations
and paths. Each part is a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.api import Person, db
from plugins.learning.catalogue import paths_select
from plugins.learning.compliance import NEVER, Cell, Scope, cells_for, requirements_of
from plugins.learning.models import CourseSession, Enrolment, LearningPath, Requirement, TrainingRecord
from plugins.learning.vocabulary import OPEN_ENROLMENT, STATUSES

URGENCY = list(STATUSES)  # overdue first, compliant last


@dataclass
class RequirementLine:
    requirement: Requirement
    cell: Cell
    at: date

    @property
    def days_left(self) -> int | None:
        """Days until the last valid day (negative once passed); None without an expiry."""
        valid_until = self.cell.valid_until
        return None if valid_until in (None, NEVER) else (valid_until - self.at).days


def requirement_lines(person: Person, at: date) -> list[RequirementLine]:
    """The requirements that apply to ``person``, most urgent first (three queries)."""
    requirements = requirements_of(person.foundation_id)
    cells = cells_for(Scope(person.foundation_id), [person.id], at).get(person.id, {}) if requirements else {}
    lines = [RequirementLine(r, cells[r.id], at) for r in requirements if r.id in cells]
    lines.sort(key=lambda line: (URGENCY.index(line.cell.status), line.cell.valid_until or date.min))
    return lines


def upcoming_enrolments(person: Person, now: datetime, limit: int | None = None) -> list[Enrolment]:
    return list(db.session.scalars(
        select(Enrolment).join(Enrolment.session)
        .where(Enrolment.person_id == person.id, Enrolment.status.in_(OPEN_ENROLMENT), CourseSession.ends_at >= now)
        .options(joinedload(Enrolment.session).joinedload(CourseSession.course))
        .order_by(CourseSession.starts_at, Enrolment.id).limit(limit)
    ))


def trainer_sessions(person: Person, now: datetime) -> list[CourseSession]:
    """Sessions the person trains; those of the last two weeks stay listed so attendance can
    still be registered."""
    return list(db.session.scalars(
        select(CourseSession)
        .where(CourseSession.trainer_id == person.id, CourseSession.cancelled.is_(False),
               CourseSession.ends_at >= now - timedelta(days=14))
        .options(joinedload(CourseSession.course)).order_by(CourseSession.starts_at).limit(50)
    ))


def records_of(person: Person, limit: int = 100) -> list[TrainingRecord]:
    return list(db.session.scalars(
        select(TrainingRecord).where(TrainingRecord.person_id == person.id)
        .options(joinedload(TrainingRecord.course))
        .order_by(TrainingRecord.completed_on.desc(), TrainingRecord.id.desc()).limit(limit)
    ))


@dataclass
class PathProgress:
    path: LearningPath
    done: set[int]

    @property
    def total(self) -> int:
        return len(self.path.steps)

    @property
    def completed(self) -> int:
        return sum(1 for step in self.path.steps if step.course_id in self.done)

    @property
    def percent(self) -> int:
        return int(self.completed * 100 / self.total) if self.total else 0


def completed_course_ids(person: Person) -> set[int]:
    return set(db.session.scalars(
        select(TrainingRecord.course_id).where(TrainingRecord.person_id == person.id, TrainingRecord.status == "verified")
    ))


def path_progress(person: Person, done: set[int] | None = None) -> list[PathProgress]:
    done = completed_course_ids(person) if done is None else done
    return [PathProgress(path, done) for path in db.session.scalars(paths_select(person.foundation_id))]
