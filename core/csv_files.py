"""Reading an uploaded CSV file for an import: one reader for core's people import and every
plugin's, so a file that works for one works for all.

The file is UTF-8 (with or without Excel's byte-order mark) or, as Excel saves "CSV" on a Dutch
Windows computer, Windows-1252, which charset-normalizer recognises; ';' or ',' between cells, and
its first line names the columns. Rows are numbered as in a spreadsheet: the header is row 1.
An import checks every row first and changes nothing unless all are fine. A NUL character (a zero
byte, which PostgreSQL refuses in text) is a problem of its cell.
"""
from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from charset_normalizer import from_bytes
from flask_babel import gettext as _

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y")  # ISO, and the Dutch day-month-year of HR exports
# Besides UTF-8, the encoding spreadsheets on Dutch Windows computers save CSV in. Only this one is
# tried: on a few lines charset-normalizer cannot tell Windows-1252 from its Central European and
# Baltic cousins, which read "Zoë" as "Zoļ"; it does tell text from what is not text.
LEGACY_ENCODINGS = ["cp1252"]
# Excel's "Unicode text" (UTF-16, tab-separated) is not CSV: ask for "CSV UTF-8" instead.
WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)
NUL = "\x00"


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
    task_id: int | None = None  # the background task finishing an import too large for one request

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(row.errors for row in self.rows)

    def problems(self) -> list[str]:
        """Every problem as one line, for the command line."""
        lines = list(self.file_errors)
        for row in self.rows:
            lines += [_("Row %(n)d, %(column)s: %(message)s", n=row.number, column=c, message=m) for c, m in row.errors]
        return lines


@dataclass(frozen=True)
class CsvLayout:
    """The columns an import knows. ``required`` must all be there; of each group in ``one_of``
    at least one (a person named by e-mail address or by employee number)."""

    columns: tuple[str, ...]
    required: tuple[str, ...]
    one_of: tuple[tuple[str, ...], ...] = ()

    def header_problems(self, header: list[str]) -> list[str]:
        problems = []
        named = [name for name in header if name]
        doubled = sorted(name for name, times in Counter(named).items() if times > 1)  # linear: a header may be huge
        if doubled:
            problems.append(_("Columns appear more than once: %(names)s.", names=", ".join(doubled)))
        unknown = [name for name in named if name not in self.columns]
        if unknown:
            problems.append(_("Unknown columns: %(names)s. Known columns: %(known)s.",
                              names=", ".join(unknown), known=", ".join(self.columns)))
        missing = [name for name in self.required if name not in named]
        missing += [" / ".join(group) for group in self.one_of if not any(name in named for name in group)]
        if missing:
            problems.append(_("Required columns are missing: %(names)s. The first line must name the columns.",
                              names=", ".join(missing)))
        return problems


def _header_name(cell: str) -> str:
    return cell.strip().lower().replace(" ", "_").replace("-", "_")


def _dialect(header_line: str):
    """The header names hold no delimiters, so the header line alone tells ';' from ','."""
    try:
        return csv.Sniffer().sniff(header_line, delimiters=";,")
    except csv.Error:
        return csv.excel


def decode(content: bytes) -> str:
    """The file's text: UTF-8, else the legacy encoding charset-normalizer finds it is in."""
    if not content.startswith(WIDE_BOMS):
        try:
            return content.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
        except UnicodeDecodeError:
            pass
        # NUL bytes make any text look like binary; they are reported per cell once it is read
        found = from_bytes(content.replace(b"\x00", b""), cp_isolation=LEGACY_ENCODINGS).best()
        if found is not None:
            return content.decode(found.encoding)
    raise FileProblem(_("The file is not UTF-8 text. Save it as \"CSV UTF-8\" and try again."))


def read_rows(content: bytes) -> tuple[list[str], list[ImportRow]]:
    """The header's column names and the non-blank rows, keyed by column name."""
    text = decode(content)
    if not text.strip():
        raise FileProblem(_("The file is empty."))
    header_line = text.splitlines()[0]
    if NUL in header_line:
        raise FileProblem(_("The first line holds a NUL character (a zero byte). Remove it and try again."))
    # strict: a stray quote is an error rather than a silently shifted row
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(header_line), strict=True)
    try:
        header = [_header_name(cell) for cell in next(reader)]
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            row = ImportRow(number, {})
            if len(cells) > len(header):
                row.add_error(_("(no name)"), _("The row has more cells than the header has columns."))
            for name, cell in zip(header, cells, strict=False):  # rows may be short or long
                if NUL in cell:  # refused, and kept out of the checks that query the database
                    row.add_error(name or _("(no name)"), _("The cell holds a NUL character (a zero byte)."))
                    cell = cell.replace(NUL, "")
                if name:
                    row.cells[name] = cell.strip()
                elif cell.strip():
                    row.add_error(_("(no name)"), _("A value stands in a column without a name."))
            rows.append(row)
    except csv.Error as problem:
        raise FileProblem(_("The file is not valid CSV (line %(n)d): %(problem)s", n=reader.line_num, problem=problem)) from None
    return header, rows


def read_import(content: bytes, layout: CsvLayout, no_rows_message: str) -> ImportResult:
    """Read the file and check its header. The result holds the rows still to be checked one by
    one, or the problems of the file as a whole (``no_rows_message`` when it has only a header)."""
    try:
        header, rows = read_rows(content)
    except FileProblem as problem:
        return ImportResult(file_errors=[str(problem)])
    result = ImportResult(columns=[name for name in header if name in layout.columns], rows=rows,
                          file_errors=layout.header_problems(header))
    if not result.file_errors and not rows:
        result.file_errors.append(no_rows_message)
    return result


def parse_date(text: str) -> date | None:
    """A cell's date, as ``2025-03-31`` or ``31-03-2025``; None when empty; ValueError otherwise."""
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_decimal(text: str, places: int = 2) -> Decimal | None:
    """A cell's number with a decimal comma or point, rounded to ``places``; None when empty;
    ValueError otherwise."""
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    try:
        return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # too many digits to round to ``places``: 1e30
        raise ValueError(text) from None
