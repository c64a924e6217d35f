"""Every CSV and XLSX the registry hands out is written here, so no export can forget to defuse a
formula.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula (and Excel
also after a leading tab or carriage return): a name typed as ``=HYPERLINK("http://…","klik")``
or ``=cmd|' /C calc'!A0`` in a roster would run on the HR officer's machine (OWASP "CSV
Injection"). Such a text cell gets a leading ``'``, which spreadsheets show as text and the reader
sees at once. Only text is touched: numbers (JP, counts) stay numbers, in XLSX as real numeric
cells that can be summed.

CSV is RFC 4180 (comma, CRLF) in UTF-8 with a byte-order mark, so Excel reads the Indonesian
names (é in "Andé", the curly quotes SIMPEG exports) instead of guessing a code page.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from registry.domain.decimals import plain_decimal
from registry.domain.export_tables import Cell, ExportTable

__all__ = ["EXPORT_FORMATS", "ExportFile", "neutralise", "render", "to_csv", "to_xlsx"]

#: The characters that make a spreadsheet read a cell as a formula (or, tab and CR, hide one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_WIDEST_COLUMN = 60


@dataclass(frozen=True)
class ExportFile:
    filename: str
    media_type: str
    content: bytes


def neutralise(text: str) -> str:
    """``=1+1`` -> ``'=1+1``; text that a spreadsheet would not evaluate is returned as is."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return plain_decimal(cell)
    if isinstance(cell, int):
        return str(cell)
    return neutralise(cell)


def to_csv(table: ExportTable) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_text(cell) for cell in table.header])
    for row in table.rows:
        writer.writerow([_text(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_value(cell: Cell) -> str | int | Decimal | None:
    if isinstance(cell, str):
        return neutralise(cell)
    if isinstance(cell, Decimal):
        # An exact decimal as the number it is (JP are at most a few digits after the point).
        return int(cell) if cell == cell.to_integral_value() else cell
    return cell


def to_xlsx(table: ExportTable) -> bytes:
    book = Workbook(write_only=False)
    sheet = book.create_sheet(table.title, 0)
    book.remove(book.worksheets[1])  # the empty default sheet
    sheet.append([neutralise(label) for label in table.header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xlsx_value(cell) for cell in row])
    for written in sheet.iter_rows(min_row=2):
        for cell in written:
            if isinstance(cell.value, str):
                # Never a formula, whatever openpyxl guesses from the text (it reads a leading
                # "=" as one): the neutralised text is stored as the text it is.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for index, label in enumerate(table.header, start=1):
        longest = max(
            [len(label), *(len(_text(row[index - 1])) for row in table.rows)], default=len(label)
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, _WIDEST_COLUMN)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render(table: ExportTable, format: str) -> ExportFile:
    """The table as a download in ``format`` (``csv`` or ``xlsx``)."""
    if format == "csv":
        content = to_csv(table)
    elif format == "xlsx":
        content = to_xlsx(table)
    else:
        raise ValueError(f"unknown export format: {format!r}")
    return ExportFile(f"{table.filename}.{format}", MEDIA_TYPES[format], content)
