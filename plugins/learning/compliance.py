"""Mandatory-training compliance, computed set-based.

A requirement applies to a person when every filter it fills in matches (team, job title, person
type) in the requirement's foundation. For each applicable (person, requirement) pair, one
GROUP BY over the verified records of the requirement's courses gives the best expiry and the
best end of grace. The status follows from those two dates, the person's start date and the
requirement's "within N days of the start":

- ``compliant``: a valid record that expires after the next 90 days (or never);
- ``expiring``: a valid record whose last valid day is within the next 90 days;
- ``expired``: the last valid day has passed but the course's grace days have not;
- ``overdue``: no valid record (nor grace) and the deadline, start date + N days, has passed
  (no start date: the deadline has passed);
- ``missing``: no valid record yet, but the deadline is still ahead (a newcomer).

``status_of`` is that rule in Python (pages and exports compute it per row of a query);
``status_case`` is the same rule as an SQL CASE (counts, filters and the forecast run in the
database). A test keeps the two in step. Every function here runs a fixed number of queries
however many people there are.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import selectinload

from core.api import Person, Team, db, remember_for_request
from plugins.learning.models import Course, Requirement, TrainingRecord, requirement_course
from plugins.learning.vocabulary import EXPIRING_WITHIN_DAYS, FORECAST_HORIZONS, STATUSES

NEVER = date(9999, 12, 31)  # the expiry of a record that does not expire
COUNTED_PERSON_STATUSES = ("preboarding", "active", "leaving")  # people who have left are not counted


def status_of(best_expiry: date | None, best_grace: date | None, start_date: date | None, within_days: int,
              at: date) -> str:
    """The status of one (person, requirement) on day ``at``. ``best_expiry`` is None without any
    verified record and ``NEVER`` for a record that does not expire."""
    if best_expiry is not None and best_expiry >= at:
        return "expiring" if best_expiry <= at + timedelta(days=EXPIRING_WITHIN_DAYS) else "compliant"
    if best_grace is not None and best_grace >= at:
        return "expired"
    if start_date is None or start_date + timedelta(days=within_days or 0) < at:
        return "overdue"
    return "missing"


def status_case(best_expiry, best_grace, start_date, requirement_id, requirements: list[Requirement], at: date):
    """``status_of`` as an SQL expression over the columns of ``pairs``."""
    cutoffs = {r.id: at - timedelta(days=r.within_days or 0) for r in requirements}
    cutoff = case(cutoffs, value=requirement_id, else_=literal(at)) if cutoffs else literal(at)
    return case(
        (best_expiry >= at, case((best_expiry <= at + timedelta(days=EXPIRING_WITHIN_DAYS), "expiring"), else_="compliant")),
        (best_grace >= at, "expired"),
        (or_(start_date.is_(None), start_date < cutoff), "overdue"),
        else_="missing",
    )


@dataclass
class Scope:
    """Whose compliance: a foundation, optionally some teams, a search or a single person."""

    foundation_id: int
    team_ids: frozenset[int] | None = None  # None: the whole foundation
    team_id: int | None = None
    person_id: int | None = None
    q: str = ""

    def people(self) -> Select:
        query = select(Person.id).where(Person.foundation_id == self.foundation_id,
                                        Person.status.in_(COUNTED_PERSON_STATUSES))
        return self.filter(query)

    def filter(self, query: Select) -> Select:
        if self.team_ids is not None:
            query = query.where(Person.team_id.in_(self.team_ids))
        if self.team_id is not None:
            query = query.where(Person.team_id == self.team_id)
        if self.person_id is not None:
            query = query.where(Person.id == self.person_id)
        for word in self.q.split():
            query = query.where(or_(Person.first_name.icontains(word, autoescape=True),
                                    Person.last_name.icontains(word, autoescape=True),
                                    Person.employee_number.icontains(word, autoescape=True)))
        return query


def requirements_of(foundation_id: int) -> list[Requirement]:
    """The foundation's active requirements with their courses; read once per request."""
    return remember_for_request("learning_requirements", foundation_id, lambda: list(db.session.scalars(
        select(Requirement).where(Requirement.foundation_id == foundation_id, Requirement.active.is_(True))
        # Callers link to a requirement's courses; the rest of a course (its description) stays unloaded.
        .options(selectinload(Requirement.courses).load_only(Course.id, Course.code, Course.title))
        .order_by(Requirement.title, Requirement.id)
    )))


def _best_records(foundation_id: int, person_ids: Select | list[int] | None):
    """Per person and requirement: the latest expiry and end of grace among verified records."""
    query = (
        select(
            TrainingRecord.person_id.label("person_id"),
            requirement_course.c.requirement_id.label("requirement_id"),
            func.max(func.coalesce(TrainingRecord.expires_on, literal(NEVER))).label("best_expiry"),
            func.max(func.coalesce(TrainingRecord.grace_until, literal(NEVER))).label("best_grace"),
        )
        .join(requirement_course, requirement_course.c.course_id == TrainingRecord.course_id)
        .join(Requirement, Requirement.id == requirement_course.c.requirement_id)
        .where(TrainingRecord.foundation_id == foundation_id, TrainingRecord.status == "verified",
               Requirement.foundation_id == foundation_id, Requirement.active.is_(True))
        .group_by(TrainingRecord.person_id, requirement_course.c.requirement_id)
    )
    if person_ids is not None:
        query = query.where(TrainingRecord.person_id.in_(person_ids))
    return query.subquery("best")


def _applies():
    return and_(
        Requirement.foundation_id == Person.foundation_id,
        Requirement.active.is_(True),
        or_(Requirement.team_id.is_(None), Requirement.team_id == Person.team_id),
        or_(Requirement.job_title.is_(None), func.lower(Requirement.job_title) == func.lower(Person.job_title)),
        or_(Requirement.person_type.is_(None), Requirement.person_type == Person.person_type),
    )


def pairs(scope: Scope, person_ids: list[int] | None = None):
    """The applicable (person, requirement) pairs of the scope with their best dates, as a
    subquery: person_id, requirement_id, start_date, within_days, best_expiry, best_grace."""
    people = person_ids if person_ids is not None else scope.people()
    best = _best_records(scope.foundation_id, people)
    query = (
        select(
            Person.id.label("person_id"), Requirement.id.label("requirement_id"), Person.start_date.label("start_date"),
            Requirement.within_days.label("within_days"), best.c.best_expiry, best.c.best_grace,
        )
        .select_from(Person)
        .join(Requirement, _applies())
        .outerjoin(best, and_(best.c.person_id == Person.id, best.c.requirement_id == Requirement.id))
        .where(Person.foundation_id == scope.foundation_id)
    )
    query = query.where(Person.id.in_(person_ids)) if person_ids is not None else scope.filter(
        query.where(Person.status.in_(COUNTED_PERSON_STATUSES)))
    return query.subquery("pairs")


@dataclass
class Cell:
    requirement_id: int
    status: str
    valid_until: date | None  # None: no record; NEVER: does not expire


def cells_for(scope: Scope, person_ids: list[int], at: date) -> dict[int, dict[int, Cell]]:
    """``{person_id: {requirement_id: Cell}}`` for the given people, in one query."""
    if not person_ids:
        return {}
    sub = pairs(scope, person_ids)
    result: dict[int, dict[int, Cell]] = {pid: {} for pid in person_ids}
    for row in db.session.execute(select(sub)):
        status = status_of(row.best_expiry, row.best_grace, row.start_date, row.within_days, at)
        result[row.person_id][row.requirement_id] = Cell(row.requirement_id, status, row.best_expiry)
    return result


def counts(scope: Scope, requirements: list[Requirement], at: date) -> dict[int, Counter]:
    """``{requirement_id: Counter(status -> people)}`` for the whole scope, in one query."""
    if not requirements:
        return {}
    sub = pairs(scope)
    status = status_case(sub.c.best_expiry, sub.c.best_grace, sub.c.start_date, sub.c.requirement_id, requirements, at)
    rows = db.session.execute(
        select(sub.c.requirement_id, status.label("status"), func.count()).group_by(sub.c.requirement_id, status)
    )
    result: dict[int, Counter] = {r.id: Counter() for r in requirements}
    for requirement_id, status_key, n in rows:
        result.setdefault(requirement_id, Counter())[status_key] = n
    return result


def total_counts(per_requirement: dict[int, Counter]) -> Counter:
    return sum(per_requirement.values(), Counter())


def people_with_status(scope: Scope, requirements: list[Requirement], wanted: str, at: date) -> Select:
    """Ids of people of the scope with at least one requirement in status ``wanted``."""
    sub = pairs(scope)
    status = status_case(sub.c.best_expiry, sub.c.best_grace, sub.c.start_date, sub.c.requirement_id, requirements, at)
    return select(sub.c.person_id).where(status == wanted)


# -- forecast -------------------------------------------------------------------------------------

@dataclass
class Page:
    """A page of rows, for the ``pager`` macro."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


@dataclass
class ForecastRow:
    person: Person
    requirement_id: int
    status_now: str
    overdue_within: int  # the first horizon (30/60/90) at which the pair is overdue
    valid_until: date | None


@dataclass
class Forecast:
    page: Page
    counts: dict[int, int] = field(default_factory=dict)  # horizon -> pairs overdue by then


def forecast(scope: Scope, requirements: list[Requirement], today: date, page: int, per_page: int) -> Forecast:
    """Pairs that are not overdue today but will be within 30, 60 or 90 days: in three queries
    (counts per horizon, the page's rows, its people)."""
    if not requirements:
        return Forecast(Page([], page, per_page, 0))
    sub = pairs(scope)
    cols = (sub.c.best_expiry, sub.c.best_grace, sub.c.start_date, sub.c.requirement_id)
    now = status_case(*cols, requirements, today)
    later = {h: status_case(*cols, requirements, today + timedelta(days=h)) for h in FORECAST_HORIZONS}
    first = case(*[(later[h] == "overdue", h) for h in FORECAST_HORIZONS], else_=None)
    base = select(sub.c.person_id, sub.c.requirement_id, sub.c.best_expiry, now.label("now"), first.label("within")).where(
        now != "overdue", later[FORECAST_HORIZONS[-1]] == "overdue")
    inner = base.subquery("forecast")
    by_horizon = {h: n for h, n in db.session.execute(select(inner.c.within, func.count()).group_by(inner.c.within))}
    total = sum(by_horizon.values())
    rows = db.session.execute(
        select(inner).order_by(inner.c.within, inner.c.best_expiry, inner.c.person_id, inner.c.requirement_id)
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    people = {p.id: p for p in db.session.scalars(
        select(Person).where(Person.id.in_({r.person_id for r in rows})).options(selectinload(Person.team))
    )} if rows else {}
    items = [ForecastRow(people[r.person_id], r.requirement_id, r.now, r.within, r.best_expiry) for r in rows]
    running, cumulative = 0, {}
    for h in FORECAST_HORIZONS:
        running += by_horizon.get(h, 0)
        cumulative[h] = running
    return Forecast(Page(items, page, per_page, total), cumulative)


# -- export rows ----------------------------------------------------------------------------------

@dataclass
class ExportRow:
    person_id: int
    name: str
    employee_number: str
    team: str
    job_title: str
    cells: dict[int, Cell]


def export_rows(scope: Scope, at: date, batch: int = 1000) -> Iterator[ExportRow]:
    """Every person of the scope with their cells, streamed in person order: the rows come from
    one query read ``batch`` rows at a time (a server-side cursor on PostgreSQL), so memory stays
    flat whatever the size of the foundation."""
    sub = pairs(scope)
    query = (
        select(sub, Person.first_name, Person.last_name, Person.employee_number, Person.job_title, Team.name.label("team"))
        .join(Person, Person.id == sub.c.person_id)
        .outerjoin(Team, Team.id == Person.team_id)
        .order_by(func.lower(Person.last_name), func.lower(Person.first_name), Person.id, sub.c.requirement_id)
        .execution_options(yield_per=batch)
    )
    current: ExportRow | None = None
    for row in db.session.execute(query):
        if current is None or current.person_id != row.person_id:
            if current is not None:
                yield current
            current = ExportRow(row.person_id, f"{row.first_name} {row.last_name}", row.employee_number or "",
                                row.team or "", row.job_title or "", {})
        status = status_of(row.best_expiry, row.best_grace, row.start_date, row.within_days, at)
        current.cells[row.requirement_id] = Cell(row.requirement_id, status, row.best_expiry)
    if current is not None:
        yield current


def status_labels() -> dict[str, str]:
    return {key: str(label) for key, label in STATUSES.items()}
