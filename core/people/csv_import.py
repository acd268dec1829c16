"""Importing people from CSV: read the file, check every row, then create all of them or none.

One implementation for the web upload and ``flask journey import-people``. Rows are numbered as
in a spreadsheet: the header is row 1, the first person row 2.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core import audit, background, clock, events
from core.csv_files import CsvLayout, ImportResult, ImportRow, parse_date, parse_decimal, read_import
from core.extensions import db
from core.models import Team
from core.people import service

LAYOUT = CsvLayout(
    columns=("email", "first_name", "last_name", "person_type", "status", "team", "employee_number", "job_title",
             "start_date", "end_date", "contract_hours", "locale"),
    required=("email", "first_name", "last_name"),
)
COLUMNS = LAYOUT.columns
COLUMN_OF_FIELD = {"team_id": "team"}  # service field names that differ from the CSV column


def _team_ids_by_name(foundation_id: int) -> dict[str, list[int]]:
    teams: dict[str, list[int]] = {}
    rows = db.session.execute(
        select(Team.id, Team.name).where(Team.foundation_id == foundation_id).execution_options(all_tenants=True)
    )
    for team_id, name in rows:
        teams.setdefault(name.strip().lower(), []).append(team_id)
    return teams


def _parse_row(row: ImportRow, teams: dict[str, list[int]], today: date) -> None:
    cells = row.cells
    values = {name: cells.get(name, "") for name in ("email", "first_name", "last_name", "employee_number", "job_title")}
    values["person_type"] = cells.get("person_type", "").lower() or "employee"
    values["locale"] = cells.get("locale", "").lower() or "nl"
    for column in ("start_date", "end_date"):
        try:
            values[column] = parse_date(cells.get(column, ""))
        except ValueError:
            row.add_error(column, _("Use a date like 2025-03-31 or 31-03-2025."))
    try:
        values["contract_hours"] = parse_decimal(cells.get("contract_hours", ""))
    except ValueError:
        row.add_error("contract_hours", _("Use a number of hours, like 32 or 28,5."))
    team_name = cells.get("team", "")
    if team_name:
        ids = teams.get(team_name.lower(), [])
        if len(ids) == 1:
            values["team_id"] = ids[0]
        else:
            row.add_error("team", _("This foundation has no team named \"%(name)s\".", name=team_name))
    start = values.get("start_date")
    values["status"] = cells.get("status", "").lower() or ("preboarding" if start and start > today else "active")
    row.values = service.clean_person_values(values)
    for name, message in service.rule_problems(row.values).items():
        row.add_error(COLUMN_OF_FIELD.get(name, name), message)


def _check_unique(rows: list[ImportRow], column: str, taken: set[str]) -> None:
    """A value may appear once in the file and must not be in use already."""
    first_row: dict[str, int] = {}
    for row in rows:
        value = row.values.get(column)
        if not value or any(c == column for c, _m in row.errors):
            continue
        if value in taken:
            row.add_error(column, _("Already in use: %(value)s.", value=value))
        elif value in first_row:
            row.add_error(column, _("Also in row %(n)d.", n=first_row[value]))
        else:
            first_row[value] = row.number


def check(foundation_id: int, content: bytes) -> ImportResult:
    """Read and check the whole file; changes nothing."""
    result = read_import(content, LAYOUT, _("The file has a header but no people."))
    if result.file_errors:
        return result
    rows = result.rows
    teams, today = _team_ids_by_name(foundation_id), clock.today()
    for row in rows:
        _parse_row(row, teams, today)
    _check_unique(rows, "email", service.taken_emails(r.values["email"] for r in rows if r.values.get("email")))
    numbers = [r.values["employee_number"] for r in rows if r.values.get("employee_number")]
    _check_unique(rows, "employee_number", service.taken_employee_numbers(foundation_id, numbers))
    return result


def import_people(foundation_id: int, content: bytes, actor=None, dry_run: bool = False,
                  background_above: int | None = None) -> ImportResult:
    """Check the file; unless it is a dry run and only when every row is fine, create everyone in
    one transaction. ``person_hired`` fires for each after the commit: at once, or, for more than
    ``background_above`` rows, in a background task (``result.task_id``)."""
    result = check(foundation_id, content)
    if dry_run or not result.ok:
        return result
    for row in result.rows:
        service.new_person(foundation_id, row.values)
    try:
        db.session.flush()
        audit.record("people.imported", foundation_id=foundation_id, actor=actor, details={"count": len(result.rows)})
        if background_above is not None and len(result.rows) > background_above:
            result.task_id = background.start_event_dispatch(foundation_id, len(result.rows), started_by=actor).id
        events.commit()
    except IntegrityError:  # someone took an e-mail address or number meanwhile: report it as such
        db.session.rollback()
        again = check(foundation_id, content)
        if again.ok:
            raise
        return again
    result.imported = len(result.rows)
    return result
