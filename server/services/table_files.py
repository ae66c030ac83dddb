"""Spreadsheets in and out: reading a CSV or XLSX into rows, writing rows as CSV or XLSX.

Used by the console's import, `scorecard evaluate` and GET /evaluations/export, so a file
HR exports, edits and imports is read and written the same way everywhere.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from server.engine.language import T, Text

CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # Excel in China often saves CSV as GB18030
CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


class TableRefused(ValueError):
    """A file that cannot be read as a table at all; `message` says why (a Text)."""

    def __init__(self, message: Text):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """A table read from a file: the header, the data rows and each row's number in the file.

    Row 1 is the header (the first non-empty row); blank rows are skipped but counted, so a
    problem is reported on the row a person sees in the spreadsheet.
    """

    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    truncated: bool = False  # more data rows than the reader was asked to keep


def file_format(filename: str) -> str:
    """`csv` or `xlsx` from a file name; TableRefused for anything else."""
    name = filename.lower()
    for kind in FORMATS:
        if name.endswith("." + kind):
            return kind
    raise TableRefused(T("use a .csv or .xlsx file"))


def read_table(filename: str, data: bytes, max_rows: int | None = None) -> Sheet:
    """Read a CSV (UTF-8 with or without BOM, or GB18030) or an XLSX workbook's first sheet."""
    if file_format(filename) == "csv":
        return _collect(_csv_rows(data), max_rows, T("the file is empty"))
    rows = _xlsx_rows(data)
    try:
        return _collect(rows, max_rows, T("the workbook's first sheet is empty"))
    finally:
        rows.close()  # closes the workbook also when reading stopped at max_rows


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _collect(rows: Any, max_rows: int | None, empty: Text) -> Sheet:
    sheet: Sheet | None = None
    for number, row in enumerate(rows, start=1):
        if all(_blank(cell) for cell in row):
            continue
        if sheet is None:
            sheet = Sheet([str(h).strip() if h is not None else "" for h in row])
            continue
        if max_rows is not None and len(sheet.rows) >= max_rows:
            sheet.truncated = True
            break
        sheet.rows.append(list(row))
        sheet.numbers.append(number)
    if sheet is None:
        raise TableRefused(empty)
    while sheet.header and not sheet.header[-1]:
        sheet.header.pop()  # trailing empty header cells (Excel leaves them) are no column
    return sheet


def _csv_rows(data: bytes) -> Any:
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableRefused(T("the CSV is neither UTF-8 nor GB18030 text"))
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise TableRefused(T("not a readable CSV file (%(error)s)", error=str(exc))) from None


def _xlsx_rows(data: bytes) -> Any:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableRefused(
            T("not a readable XLSX workbook (%(error)s)", error=type(exc).__name__)
        ) from None
    try:
        yield from (list(row) for row in book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """A UTF-8 CSV with a BOM (so that Excel shows Chinese headers), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]], title: str = "") -> bytes:
    """An XLSX workbook of one sheet: the header in bold, numbers kept as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(title))
    bold = Font(bold=True)
    heading = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in title).strip()
    return cleaned[:31] or "Sheet1"


def table_bytes(
    kind: str, header: Sequence[str], rows: Sequence[Sequence[Any]], title: str = ""
) -> bytes:
    """The table as a `csv` or `xlsx` file."""
    return xlsx_bytes(header, rows, title) if kind == "xlsx" else csv_bytes(header, rows)


def media_type(kind: str) -> str:
    """The media type of a `csv` or `xlsx` file."""
    return XLSX_MEDIA_TYPE if kind == "xlsx" else CSV_MEDIA_TYPE + "; charset=utf-8"
