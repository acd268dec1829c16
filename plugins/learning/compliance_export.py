"""The compliance matrix as CSV and XLSX rows, for core's export helpers (``csv_response``,
``xlsx_response``), which neutralise formulas and write dates as dates.

Both read ``compliance.export_rows`` (one query read in batches) lazily, so memory does not grow
with the number of people. In the workbook a status cell has the colour it has on the page.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask_babel import gettext as _

from core.api import XlsxSheet
from plugins.learning.compliance import NEVER, ExportRow, Scope, export_rows, status_labels
from plugins.learning.models import Requirement

FILLS = {  # background, text: the same meaning as the colours of the page
    "compliant": ("#d1e7dd", "#0f5132"),
    "expiring": ("#fff3cd", "#664d03"),
    "expired": ("#ffe5d0", "#7a3400"),
    "overdue": ("#f8d7da", "#842029"),
    "missing": ("#e2e3e5", "#41464b"),
}
PERSON_COLUMNS = 4  # name, employee number, team, job title; then two columns per requirement


def header(requirements: list[Requirement]) -> list[str]:
    columns = [_("Name"), _("Employee number"), _("Team"), _("Job title")]
    for requirement in requirements:
        columns += [requirement.title, _("%(title)s: valid until", title=requirement.title)]
    return columns


def _valid_until(value: date | None) -> date | str | None:
    return _("does not expire") if value == NEVER else value


def _values(row: ExportRow, requirements: list[Requirement], labels: dict[str, str]) -> list:
    values = [row.name, row.employee_number, row.team, row.job_title]
    for requirement in requirements:
        cell = row.cells.get(requirement.id)
        values += [labels[cell.status], _valid_until(cell.valid_until)] if cell else [_("not applicable"), None]
    return values


def rows(scope: Scope, requirements: list[Requirement], at: date) -> Iterator[list]:
    """The matrix's rows, one per person, in the order of ``header``."""
    labels = status_labels()
    for row in export_rows(scope, at):
        yield _values(row, requirements, labels)


def fill_sheet(sheet: XlsxSheet, scope: Scope, requirements: list[Requirement], at: date) -> None:
    """Write the matrix to ``sheet``, each status cell in its colour."""
    labels = status_labels()
    fills = {status: sheet.add_format({"bg_color": bg, "font_color": fg}) for status, (bg, fg) in FILLS.items()}
    sheet.header(header(requirements))
    for row in export_rows(scope, at):
        formats = [None] * PERSON_COLUMNS
        for requirement in requirements:
            cell = row.cells.get(requirement.id)
            formats += [fills[cell.status] if cell else None, None]
        sheet.write_row(_values(row, requirements, labels), formats)
