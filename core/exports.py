"""Exports for spreadsheets: CSV and XLSX through one helper, so every report is safe to open.

- A text cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a
  carriage return) gets a leading apostrophe: a name like ``=HYPERLINK(...)`` stays text.
- CSV is written for Dutch spreadsheets: UTF-8 with a byte-order mark, ';' between cells.
- XLSX cells keep their type: dates as dates, numbers as numbers, everything else as text
  (never as a formula). The workbook is written in constant memory to a temporary file and
  streamed, so memory does not grow with the number of rows.
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from flask import Response, stream_with_context

CSV_CHUNK_CHARS = 16_384
FILE_CHUNK = 64 * 1024
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value) -> str:
    """``value`` as spreadsheet text that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_value(value) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")  # Dutch spreadsheets read a decimal comma
    if isinstance(value, bool | int):
        return str(value)
    return safe_text(value)


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """CSV text in chunks: a byte-order mark, the header, then the rows (read lazily)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    buffer.write("\ufeff")
    writer.writerow([safe_text(name) for name in header])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
        if buffer.tell() >= CSV_CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """A streamed CSV download (rows may be a generator reading the database)."""
    return Response(stream_with_context(csv_chunks(header, rows)), mimetype="text/csv; charset=utf-8",
                    headers=_attachment(filename))


class XlsxSheet:
    """One worksheet being written: ``write_row`` takes Python values and an optional format per
    cell (``formats`` made by ``add_format``)."""

    def __init__(self, workbook, title: str):
        self._workbook = workbook
        self._sheet = workbook.add_worksheet(title[:31])
        self._date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self._moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self._bold = workbook.add_format({"bold": True})
        self.rows = 0

    def add_format(self, properties: dict):
        return self._workbook.add_format(properties)

    def header(self, names: Sequence[str]) -> None:
        for column, name in enumerate(names):
            self._sheet.write_string(self.rows, column, safe_text(name), self._bold)
        self._sheet.freeze_panes(1, 1)
        self.rows += 1

    def write_row(self, values: Sequence, formats: Sequence | None = None) -> None:
        for column, value in enumerate(values):
            self._write(column, value, formats[column] if formats else None)
        self.rows += 1

    def _write(self, column: int, value, cell_format) -> None:
        row, sheet = self.rows, self._sheet
        if value is None:
            sheet.write_blank(row, column, None, cell_format)
        elif isinstance(value, datetime):
            sheet.write_datetime(row, column, value, cell_format or self._moment)
        elif isinstance(value, date):
            sheet.write_datetime(row, column, datetime(value.year, value.month, value.day), cell_format or self._date)
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value, cell_format)
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(row, column, float(value), cell_format)
        else:  # write_string never makes a formula; the apostrophe keeps it so once saved as CSV
            sheet.write_string(row, column, safe_text(value), cell_format)


def xlsx_response(filename: str, title: str, fill: Callable[[XlsxSheet], None]) -> Response:
    """A streamed XLSX download: ``fill(sheet)`` writes the rows; the temporary file is removed
    once sent (also when the client leaves)."""
    fd, path = tempfile.mkstemp(prefix="journey-export-", suffix=".xlsx")
    os.close(fd)
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    try:
        fill(XlsxSheet(workbook, title))
        workbook.close()
    except BaseException:
        with suppress(Exception):
            workbook.close()
        os.unlink(path)
        raise
    return Response(_file_chunks(path), headers=_attachment(filename),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _file_chunks(path: str) -> Iterator[bytes]:
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(FILE_CHUNK):
                yield chunk
    finally:
        os.unlink(path)
