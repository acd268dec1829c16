"""The people list as CSV, streamed in chunks. Same columns as the import, so a file goes round.

Written for Dutch spreadsheets: UTF-8 with a byte-order mark, ';' between cells and a decimal
comma. Cells that a spreadsheet would run as a formula are defused with a leading apostrophe.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sqlalchemy import Select

from core.extensions import db
from core.people.csv_import import COLUMNS

CHUNK_CHARS = 16_384
BATCH = 500
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cells(person) -> list[str]:
    hours = f"{person.contract_hours:.2f}".replace(".", ",") if person.contract_hours is not None else None
    values = {
        "email": person.email, "first_name": person.first_name, "last_name": person.last_name,
        "person_type": person.person_type, "status": person.status, "team": person.team.name if person.team else None,
        "employee_number": person.employee_number, "job_title": person.job_title,
        "start_date": person.start_date.isoformat() if person.start_date else None,
        "end_date": person.end_date.isoformat() if person.end_date else None,
        "contract_hours": hours, "locale": person.locale,
    }
    return [_cell(values[column]) for column in COLUMNS]


def people_csv(query: Select) -> Iterator[str]:
    """Chunks of CSV text for the people ``query`` selects (it must eager-load ``Person.team``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for person in db.session.scalars(query.execution_options(yield_per=BATCH)):
        writer.writerow(_cells(person))
        if buffer.tell() >= CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
