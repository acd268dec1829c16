"""The compliance matrix as CSV and XLSX, streamed.

Both read ``compliance.export_rows`` (one query read in batches). The CSV is written line by
line into the response. The XLSX is written by XlsxWriter in ``constant_memory`` mode (each row
goes to disk as soon as the next begins) into a temporary file, which is then sent in chunks and
removed: memory does not grow with the number of rows.
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import suppress
from datetime import date

import xlsxwriter
from flask_babel import gettext as _

from plugins.learning.compliance import NEVER, Scope, export_rows, status_labels
from plugins.learning.models import Requirement

CHUNK = 64 * 1024
FILLS = {  # background, text: the same meaning as the colours of the page
    "compliant": ("#d1e7dd", "#0f5132"),
    "expiring": ("#fff3cd", "#664d03"),
    "expired": ("#ffe5d0", "#7a3400"),
    "overdue": ("#f8d7da", "#842029"),
    "missing": ("#e2e3e5", "#41464b"),
}


def _header(requirements: list[Requirement]) -> list[str]:
    columns = [_("Name"), _("Employee number"), _("Team"), _("Job title")]
    for requirement in requirements:
        columns += [requirement.title, _("%(title)s: valid until", title=requirement.title)]
    return columns


def _valid_until(value: date | None) -> str:
    if value is None:
        return ""
    return _("does not expire") if value == NEVER else value.isoformat()


def _cells(row, requirements: list[Requirement], labels: dict[str, str]) -> list[str]:
    values = [row.name, row.employee_number, row.team, row.job_title]
    for requirement in requirements:
        cell = row.cells.get(requirement.id)
        values += [labels[cell.status], _valid_until(cell.valid_until)] if cell else [_("not applicable"), ""]
    return values


def csv_lines(scope: Scope, requirements: list[Requirement], at: date) -> Iterator[str]:
    labels = status_labels()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")  # what Dutch spreadsheet programs open directly

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield "\ufeff" + line(_header(requirements))  # byte-order mark: Excel reads it as UTF-8
    for row in export_rows(scope, at):
        yield line(_cells(row, requirements, labels))


def write_xlsx(scope: Scope, requirements: list[Requirement], at: date) -> str:
    """Write the workbook to a temporary file and return its path (the caller removes it)."""
    fd, path = tempfile.mkstemp(prefix="learning-matrix-", suffix=".xlsx")
    os.close(fd)
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    try:
        _fill_workbook(workbook, scope, requirements, at)
        workbook.close()
    except BaseException:
        with suppress(Exception):
            workbook.close()
        os.unlink(path)
        raise
    return path


def _fill_workbook(workbook, scope: Scope, requirements: list[Requirement], at: date) -> None:
    labels = status_labels()
    sheet = workbook.add_worksheet(_("Compliance")[:31])
    bold = workbook.add_format({"bold": True})
    fills = {status: workbook.add_format({"bg_color": bg, "font_color": fg}) for status, (bg, fg) in FILLS.items()}
    sheet.write_row(0, 0, _header(requirements), bold)
    sheet.freeze_panes(1, 1)
    for number, row in enumerate(export_rows(scope, at), start=1):
        values = _cells(row, requirements, labels)
        sheet.write_row(number, 0, values[:4])
        column = 4
        for requirement in requirements:
            cell = row.cells.get(requirement.id)
            sheet.write_string(number, column, values[column], fills[cell.status] if cell else None)
            sheet.write_string(number, column + 1, values[column + 1])
            column += 2


def stream_file(path: str) -> Iterator[bytes]:
    """The file's bytes in chunks; the file is removed afterwards (also when the client leaves)."""
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)
