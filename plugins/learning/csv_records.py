"""Importing historical training records from CSV: check every row, then create all or none.

Reading the file (encoding, delimiter, rows numbered as in a spreadsheet: the header is row 1)
and dates are shared with core's people import (``core.people.csv_import``).
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import func, select

from core import audit, events
from core.extensions import db
from core.models import Person
from core.people.csv_import import FileProblem, ImportResult, ImportRow, parse_date, read_rows
from plugins.learning.catalogue import visible_to
from plugins.learning.models import Course, TrainingRecord
from plugins.learning.records import create_record

COLUMNS = ("email", "employee_number", "course_code", "completed_on", "expires_on", "score")
REQUIRED_COLUMNS = ("course_code", "completed_on")


def header_problems(header: list[str]) -> list[str]:
    named = [name for name in header if name]
    problems = []
    doubled = sorted({name for name in named if named.count(name) > 1})
    if doubled:
        problems.append(_("Columns appear more than once: %(names)s.", names=", ".join(doubled)))
    unknown = [name for name in named if name not in COLUMNS]
    if unknown:
        problems.append(_("Unknown columns: %(names)s. Known columns: %(known)s.", names=", ".join(unknown), known=", ".join(COLUMNS)))
    missing = [name for name in REQUIRED_COLUMNS if name not in named]
    if "email" not in named and "employee_number" not in named:
        missing.append("email / employee_number")
    if missing:
        problems.append(_("Required columns are missing: %(names)s. The first line must name the columns.", names=", ".join(missing)))
    return problems


class _Lookups:
    """People and courses of the foundation, loaded once for the whole file."""

    def __init__(self, foundation_id: int, rows: list[ImportRow]):
        emails = {r.cells.get("email", "").lower() for r in rows} - {""}
        numbers = {r.cells.get("employee_number", "") for r in rows} - {""}
        people = db.session.scalars(select(Person).where(
            Person.foundation_id == foundation_id,
            func.lower(Person.email).in_(emails) | Person.employee_number.in_(numbers),
        )).all()
        self.by_email = {p.email.lower(): p for p in people}
        self.by_number = {p.employee_number: p for p in people if p.employee_number}
        codes = {r.cells.get("course_code", "").lower() for r in rows} - {""}
        courses = db.session.scalars(select(Course).where(visible_to(Course, foundation_id), func.lower(Course.code).in_(codes))).all()
        # A foundation's own course wins over a group-wide one with the same code.
        self.courses = {c.code.lower(): c for c in sorted(courses, key=lambda c: c.foundation_id is not None)}
        self.existing = {tuple(row) for row in db.session.execute(
            select(TrainingRecord.person_id, TrainingRecord.course_id, TrainingRecord.completed_on)
            .where(TrainingRecord.foundation_id == foundation_id,
                   TrainingRecord.person_id.in_([p.id for p in people]), TrainingRecord.status != "rejected")
        )}


def _check_row(row: ImportRow, lookups: _Lookups, today: date) -> None:
    cells, values = row.cells, row.values
    email, number = cells.get("email", ""), cells.get("employee_number", "")
    person = lookups.by_email.get(email.lower()) if email else lookups.by_number.get(number) if number else None
    if person is None:
        row.add_error("email" if email or not number else "employee_number",
                      _("No person of this foundation has this e-mail address or employee number."))
    values["person"] = person
    code = cells.get("course_code", "")
    values["course"] = lookups.courses.get(code.lower())
    if values["course"] is None:
        row.add_error("course_code", _("The catalogue has no course with code \"%(code)s\".", code=code))
    for column in ("completed_on", "expires_on"):
        try:
            values[column] = parse_date(cells.get(column, ""))
        except ValueError:
            row.add_error(column, _("Use a date like 2025-03-31 or 31-03-2025."))
    if "completed_on" in values and values["completed_on"] is None:
        row.add_error("completed_on", _("Fill in the completion date."))
    completed, expires = values.get("completed_on"), values.get("expires_on")
    if completed and completed > today:
        row.add_error("completed_on", _("The completion date lies in the future."))
    if completed and expires and expires < completed:
        row.add_error("expires_on", _("The expiry date lies before the completion date."))
    try:
        values["score"] = Decimal(cells["score"].replace(",", ".")) if cells.get("score") else None
        if values["score"] is not None and not values["score"].is_finite():
            raise InvalidOperation
    except InvalidOperation:
        row.add_error("score", _("Use a number, like 8 or 7,5."))


def _check_duplicates(rows: list[ImportRow], existing: set) -> None:
    first_row: dict[tuple, int] = {}
    for row in rows:
        person, course, completed = row.values.get("person"), row.values.get("course"), row.values.get("completed_on")
        if row.errors or not (person and course and completed):
            continue
        key = (person.id, course.id, completed)
        if key in existing:
            row.add_error("course_code", _("This record exists already."))
        elif key in first_row:
            row.add_error("course_code", _("Also in row %(n)d.", n=first_row[key]))
        else:
            first_row[key] = row.number


def check(foundation_id: int, content: bytes, today: date) -> ImportResult:
    """Read and check the whole file; changes nothing."""
    try:
        header, rows = read_rows(content)
    except FileProblem as problem:
        return ImportResult(file_errors=[str(problem)])
    result = ImportResult(columns=[n for n in header if n in COLUMNS], rows=rows, file_errors=header_problems(header))
    if result.file_errors:
        return result
    if not rows:
        result.file_errors.append(_("The file has a header but no records."))
        return result
    lookups = _Lookups(foundation_id, rows)
    for row in rows:
        _check_row(row, lookups, today)
    _check_duplicates(rows, lookups.existing)
    return result


def import_records(foundation_id: int, content: bytes, today: date, actor=None, dry_run: bool = False) -> ImportResult:
    """Check; unless a dry run, and only when every row is fine, create every record in one
    transaction (``training_completed`` fires for each after the commit)."""
    result = check(foundation_id, content, today)
    if dry_run or not result.ok:
        return result
    for row in result.rows:
        v = row.values
        create_record(v["person"], v["course"], v["completed_on"], "import", score=v["score"],
                      expires_on=v["expires_on"], created_by=actor)
    audit.record("learning.records_imported", foundation_id=foundation_id, actor=actor, details={"count": len(result.rows)})
    events.commit()
    result.imported = len(result.rows)
    return result
