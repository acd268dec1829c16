"""The people list as CSV, streamed in chunks. Same columns as the import, so a file goes round.
Written by ``core.exports``: Dutch spreadsheets, no cell that runs as a formula."""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Select

from core.exports import csv_chunks
from core.extensions import db
from core.people.csv_import import COLUMNS

BATCH = 500


def _values(person) -> list:
    values = {
        "email": person.email, "first_name": person.first_name, "last_name": person.last_name,
        "person_type": person.person_type, "status": person.status, "team": person.team.name if person.team else None,
        "employee_number": person.employee_number, "job_title": person.job_title,
        "start_date": person.start_date, "end_date": person.end_date,
        "contract_hours": person.contract_hours, "locale": person.locale,
    }
    return [values[column] for column in COLUMNS]


def people_csv(query: Select) -> Iterator[str]:
    """Chunks of CSV text for the people ``query`` selects (it must eager-load ``Person.team``)."""
    people = db.session.scalars(query.execution_options(yield_per=BATCH))
    return csv_chunks(COLUMNS, (_values(person) for person in people))
