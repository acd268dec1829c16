"""Importing historical training records from CSV: check every row, then create all or none.

Reading the file (encoding, delimiter, rows numbered as in a spreadsheet: the header is row 1),
its header and dates come from ``core.api`` (``read_import``), as for core's people import.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.api import (
    CsvLayout,
    ImportResult,
    ImportRow,
    Person,
    commit_and_fire,
    db,
    parse_date,
    read_import,
    record_audit,
)
from plugins.learning.catalogue import visible_to
from plugins.learning.models import Course, TrainingRecord
from plugins.learning.records import create_record
from plugins.learning.vocabulary import FIRST_DATE, LAST_DATE, MAX_SCORE

LAYOUT = CsvLayout(
    columns=("email", "employee_number", "course_code", "completed_on", "expires_on", "score"),
    required=("course_code", "completed_on"),
    one_of=(("email", "employee_number"),),
)
COLUMNS = LAYOUT.columns


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
            continue
        latest = LAST_DATE if column == "expires_on" else date.max  # a later completion "lies in the future"
        if values[column] is not None and not FIRST_DATE <= values[column] <= latest:
            row.add_error(column, _("Use a date between %(first)d and %(last)d.", first=FIRST_DATE.year, last=LAST_DATE.year))
            del values[column]
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
    else:
        if values["score"] is not None and not 0 <= values["score"] <= MAX_SCORE:
            row.add_error("score", _("Use a score between 0 and %(max)d.", max=MAX_SCORE))


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
    result = read_import(content, LAYOUT, _("The file has a header but no records."))
    if result.file_errors:
        return result
    rows = result.rows
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
    record_audit("learning.records_imported", foundation_id=foundation_id, actor=actor, details={"count": len(result.rows)})
    commit_and_fire()
    result.imported = len(result.rows)
    return result
