"""Importing people from CSV: read the file, check every row, then create all of them or none.

One implementation for the web upload and ``flask journey import-people``. Rows are numbered as
in a spreadsheet: the header is row 1, the first person row 2.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core import audit, events
from core.extensions import db
from core.models import Team
from core.people import service

COLUMNS = (
    "email", "first_name", "last_name", "person_type", "status", "team", "employee_number", "job_title",
    "start_date", "end_date", "contract_hours", "locale",
)
REQUIRED_COLUMNS = ("email", "first_name", "last_name")
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y")  # ISO, and the Dutch day-month-year of HR exports
COLUMN_OF_FIELD = {"team_id": "team"}  # service field names that differ from the CSV column


class FileProblem(ValueError):
    """The file as a whole cannot be read; no row was looked at."""


@dataclass
class ImportRow:
    number: int
    cells: dict[str, str]
    values: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)

    def add_error(self, column: str, message: str) -> None:
        self.errors.append((column, message))


@dataclass
class ImportResult:
    columns: list[str] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(row.errors for row in self.rows)

    def problems(self) -> list[str]:
        """Every problem as one line, for the command line."""
        lines = list(self.file_errors)
        for row in self.rows:
            lines += [_("Row %(n)d, %(column)s: %(message)s", n=row.number, column=c, message=m) for c, m in row.errors]
        return lines


# -- reading --------------------------------------------------------------------------------------

def _header_name(cell: str) -> str:
    return cell.strip().lower().replace(" ", "_").replace("-", "_")


def _dialect(header_line: str):
    """The header names hold no delimiters, so the header line alone tells ';' from ','."""
    try:
        return csv.Sniffer().sniff(header_line, delimiters=";,")
    except csv.Error:
        return csv.excel


def read_rows(content: bytes) -> tuple[list[str], list[ImportRow]]:
    """The header's column names and the non-blank rows, keyed by column name."""
    try:
        text = content.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError:
        raise FileProblem(_("The file is not UTF-8 text. Save it as \"CSV UTF-8\" and try again.")) from None
    if not text.strip():
        raise FileProblem(_("The file is empty."))
    # strict: a stray quote is an error rather than a silently shifted row
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text.splitlines()[0]), strict=True)
    try:
        header = [_header_name(cell) for cell in next(reader)]
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            row = ImportRow(number, {})
            if len(cells) > len(header):
                row.add_error(_("(no name)"), _("The row has more cells than the header has columns."))
            for name, cell in zip(header, cells):
                if name:
                    row.cells[name] = cell.strip()
                elif cell.strip():
                    row.add_error(_("(no name)"), _("A value stands in a column without a name."))
            rows.append(row)
    except csv.Error as problem:
        raise FileProblem(_("The file is not valid CSV (line %(n)d): %(problem)s", n=reader.line_num, problem=problem)) from None
    return header, rows


def header_problems(header: list[str]) -> list[str]:
    problems = []
    named = [name for name in header if name]
    doubled = sorted({name for name in named if named.count(name) > 1})
    if doubled:
        problems.append(_("Columns appear more than once: %(names)s.", names=", ".join(doubled)))
    unknown = [name for name in named if name not in COLUMNS]
    if unknown:
        problems.append(_("Unknown columns: %(names)s. Known columns: %(known)s.", names=", ".join(unknown), known=", ".join(COLUMNS)))
    missing = [name for name in REQUIRED_COLUMNS if name not in named]
    if missing:
        problems.append(_("Required columns are missing: %(names)s. The first line must name the columns.", names=", ".join(missing)))
    return problems


# -- checking -------------------------------------------------------------------------------------

def parse_date(text: str) -> date | None:
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_hours(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        hours = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None
    if not hours.is_finite():
        raise ValueError(text)
    return hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


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
        values["contract_hours"] = parse_hours(cells.get("contract_hours", ""))
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
    try:
        header, rows = read_rows(content)
    except FileProblem as problem:
        return ImportResult(file_errors=[str(problem)])
    result = ImportResult(columns=[name for name in header if name in COLUMNS], rows=rows, file_errors=header_problems(header))
    if result.file_errors:
        return result
    if not rows:
        result.file_errors.append(_("The file has a header but no people."))
        return result
    teams, today = _team_ids_by_name(foundation_id), date.today()
    for row in rows:
        _parse_row(row, teams, today)
    _check_unique(rows, "email", service.taken_emails(r.values["email"] for r in rows if r.values.get("email")))
    numbers = [r.values["employee_number"] for r in rows if r.values.get("employee_number")]
    _check_unique(rows, "employee_number", service.taken_employee_numbers(foundation_id, numbers))
    return result


def import_people(foundation_id: int, content: bytes, actor=None, dry_run: bool = False) -> ImportResult:
    """Check the file; unless it is a dry run and only when every row is fine, create everyone in
    one transaction. ``person_hired`` fires for each after the commit."""
    result = check(foundation_id, content)
    if dry_run or not result.ok:
        return result
    for row in result.rows:
        service.new_person(foundation_id, row.values)
    try:
        db.session.flush()
        audit.record("people.imported", foundation_id=foundation_id, actor=actor, details={"count": len(result.rows)})
        events.commit()
    except IntegrityError:  # someone took an e-mail address or number meanwhile: report it as such
        db.session.rollback()
        again = check(foundation_id, content)
        if again.ok:
            raise
        return again
    result.imported = len(result.rows)
    return result
