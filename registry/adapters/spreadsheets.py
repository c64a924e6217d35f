"""Reading uploaded lists: CSV or XLSX bytes into rows keyed by canonical column.

The format is detected from the content, not the name. The first non-empty row is the header; which
headers a list may have is its :class:`~registry.domain.table_columns.ColumnSet` (participant lists:
:mod:`registry.domain.batch_rows`, the default; unit rosters: :mod:`registry.domain.roster_rows`).
Turning rows into drafts and checking them is the domain's work. The template a participant list
is filled in from is written here too (:func:`participant_template_xlsx`).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any
from xml.parsers import expat

from registry.adapters import spreadsheet_limits as limits
from registry.domain.batch_rows import (
    MAX_ROWS,
    PARTICIPANT_COLUMNS,
    BatchRecipient,
    recipients_from_rows,
)
from registry.domain.batch_template import TEMPLATE_COLUMNS, TEMPLATE_NOTES
from registry.domain.errors import InvalidInput
from registry.domain.formatting import number_id
from registry.domain.table_columns import IGNORED_HEADERS, ROW, ColumnSet, header_name

_SKIP = ""  # header slot of an ignored column; None marks a column without a header
_SCIENTIFIC = re.compile(r"\A\s*\d+(?:[.,]\d*)?[eE][+-]?\d+\s*\Z")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
_SAVE_AGAIN = "buka di Excel lalu simpan ulang sebagai .xlsx atau CSV UTF-8"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# What openpyxl raises on a damaged or foreign zip: broken XML (SyntaxError covers both parsers',
# ExpatError the limits' scan), a missing part (KeyError), a shared string or style out of range
# (IndexError), a cell that is not what its type says (ValueError, TypeError, ArithmeticError), a
# password on the zip (RuntimeError) or a compression it does not know (NotImplementedError).
_UNREADABLE_XLSX = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    SyntaxError,
    expat.ExpatError,
    LookupError,
    ValueError,
    TypeError,
    AttributeError,
    ArithmeticError,
    RuntimeError,
)
# Trailing formatted-but-empty rows can run to Excel's last row; stop looking after this many.
_MAX_BLANK_RUN = 1000


def read_rows(
    data: bytes,
    *,
    filename: str | None,
    media_type: str | None,
    columns: ColumnSet = PARTICIPANT_COLUMNS,
) -> list[dict[str, str]]:
    """Read a CSV or XLSX list into dicts keyed by canonical column of ``columns``, plus ``"row"``.

    ``filename`` and ``media_type`` only make error messages clearer; the format comes from the
    bytes. Fully empty rows are skipped; every cell that cannot be read faithfully (a NIP that
    Excel stored as a number) is reported at once, as ``columns.invalid_rows`` makes the error.
    """
    label = filename or media_type or "berkas"
    if data.startswith(_ZIP_MAGIC):
        raw_rows = _xlsx_rows(data, label)
    elif data.startswith(_OLE_MAGIC):
        # Excel also wraps a password-protected .xlsx in this container.
        raise InvalidInput(
            f"{label}: berkas .xls lama atau berkas Excel berkata sandi tidak dapat dibaca; "
            f"hapus kata sandinya bila ada, lalu {_SAVE_AGAIN}",
            field="file",
        )
    else:
        raw_rows = _csv_rows(data, label)
    return _table(raw_rows, columns)


def read_recipients(
    data: bytes, *, filename: str | None, media_type: str | None
) -> list[BatchRecipient]:
    return recipients_from_rows(read_rows(data, filename=filename, media_type=media_type))


def _table(raw_rows: Iterator[tuple[int, list[Any]]], columns: ColumnSet) -> list[dict[str, str]]:
    header: list[str | None] | None = None
    rows: list[dict[str, str]] = []
    errors: list[dict[str, Any]] = []
    blank_run = 0
    cells_read = 0
    for number, row_cells in raw_rows:
        # An empty row still costs a step, and a row costs every cell it was padded to.
        cells_read += max(len(row_cells), 1)
        if cells_read > limits.MAX_CELLS:
            raise InvalidInput(
                f"{columns.label} terlalu besar untuk dibaca (lebih dari "
                f"{number_id(limits.MAX_CELLS)} sel, termasuk sel dan baris kosong); hapus baris "
                "dan kolom kosong di luar daftar, atau simpan sebagai CSV UTF-8",
                field="file",
            )
        if header is None and number > limits.MAX_HEADER_ROW:
            raise InvalidInput(
                f"Baris judul kolom tidak ditemukan di {limits.MAX_HEADER_ROW} baris pertama; "
                "letakkan judul kolom (nip, nama, ...) di baris paling atas daftar",
                field="file",
            )
        cells = _within_columns(row_cells, number)
        texts = [_cell_text(cell) for cell in cells]
        if not any(texts):
            blank_run += 1
            if header is not None and blank_run >= _MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if header is None:
            header = _parse_header(texts, columns)
            continue
        if len(rows) >= columns.max_rows:
            raise InvalidInput(
                f"{columns.label} terlalu panjang (lebih dari {columns.max_rows} baris); "
                "bagi menjadi beberapa unggahan",
                field="file",
            )
        row: dict[str, str] = {ROW: str(number)}
        for position, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            column = header[position] if position < len(header) else None
            if column is None:
                if text:
                    detail = f"Kolom ke-{position + 1} berisi data tetapi tidak berjudul"
                    errors.append({"row": number, "column": None, "detail": detail})
                continue
            if column == _SKIP:
                continue
            if column == "nip" and _lost_digits(cell, text):
                errors.append(
                    {
                        "row": number,
                        "column": "nip",
                        "detail": f"NIP tersimpan sebagai angka ({text}) sehingga digit "
                        "terakhirnya hilang; format kolom NIP sebagai Teks lalu ketik ulang NIP",
                    }
                )
            row[column] = text
        rows.append(row)
    if header is None:
        raise InvalidInput("Berkas kosong: baris judul kolom tidak ditemukan", field="file")
    if errors:
        raise columns.invalid_rows(errors)
    return rows


def _within_columns(cells: list[Any], number: int) -> list[Any]:
    if len(cells) <= limits.MAX_COLUMNS:
        return cells
    beyond = cells[limits.MAX_COLUMNS :]
    # count() runs in C: a row padded to Excel's 16,384 columns is mostly None.
    if beyond.count(None) != len(beyond):
        for offset, cell in enumerate(beyond):
            if _cell_text(cell):
                raise InvalidInput(
                    f"Baris {number} berisi data di kolom ke-"
                    f"{limits.MAX_COLUMNS + offset + 1}, di luar {limits.MAX_COLUMNS} kolom "
                    "pertama; hapus kolom di sebelah kanan daftar",
                    field="file",
                    row=number,
                )
    return cells[: limits.MAX_COLUMNS]


def _parse_header(texts: list[str], known: ColumnSet) -> list[str | None]:
    header_names = known.header_names
    columns: list[str | None] = []
    for text in texts:
        name = header_name(text)
        if not name or name in IGNORED_HEADERS:
            columns.append(_SKIP if name else None)
            continue
        if name not in header_names:
            raise InvalidInput(
                f"Kolom tidak dikenal: {text.strip()!r} "
                f"(kolom yang dikenal: {', '.join(known.columns)})",
                field="file",
                column=text.strip(),
            )
        column = header_names[name]
        if column in columns:
            raise InvalidInput(f"Kolom {column} muncul lebih dari sekali", field="file")
        columns.append(column)
    missing = [column for column in known.required if column not in columns]
    if missing:
        raise InvalidInput(
            f"Kolom wajib tidak ada: {', '.join(missing)}", field="file", missing=missing
        )
    return columns


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 2**53:
        return str(int(cell))  # 20.0 typed as 20
    return str(cell).strip()


def _lost_digits(cell: Any, text: str) -> bool:
    """A NIP that went through a floating-point number (an XLSX float, or "1,98503E+17" text)."""
    if isinstance(cell, float):
        return True
    return bool(_SCIENTIFIC.match(text))


def _csv_rows(data: bytes, label: str) -> Iterator[tuple[int, list[Any]]]:
    if data.startswith(_UTF16_BOMS):
        raise InvalidInput(
            f"{label} tersimpan sebagai teks UTF-16 (Unicode); di Excel pilih Simpan Sebagai > "
            "'CSV UTF-8'",
            field="file",
        )
    if b"\x00" in data:
        raise InvalidInput(f"{label} bukan CSV atau XLSX; {_SAVE_AGAIN}", field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            f"{label} bukan teks UTF-8; di Excel pilih Simpan Sebagai > 'CSV UTF-8'",
            field="file",
        ) from None
    first_line = next((line for line in _bounded_lines(text, label) if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(_bounded_lines(text, label), delimiter=delimiter)
    try:
        # line_num counts physical lines, so a quoted cell spanning lines keeps numbers honest.
        for cells in reader:
            yield reader.line_num, list(cells)
    except csv.Error as exc:
        raise InvalidInput(
            f"{label}: CSV rusak dekat baris {reader.line_num}: {exc}", field="file"
        ) from None


def _bounded_lines(text: str, label: str) -> Iterator[str]:
    """Physical lines, refusing one too long before the CSV parser splits it into cells."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > limits.MAX_CSV_LINE_CHARS:
            raise InvalidInput(
                f"{label}: baris {number} terlalu panjang (lebih dari "
                f"{number_id(limits.MAX_CSV_LINE_CHARS)} karakter); periksa bahwa berkas adalah "
                f"daftar dengan satu baris per orang, atau {_SAVE_AGAIN}",
                field="file",
                row=number,
            )
        yield line


def _xlsx_rows(data: bytes, label: str) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        limits.refuse_inflating(data, label)
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it does not read (data validation,
            # conditional formatting); cell values are unaffected.
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _UNREADABLE_XLSX:
        raise _unreadable_xlsx(label) from None
    try:
        if not workbook.worksheets:
            raise InvalidInput(f"{label} tidak memuat lembar kerja; {_SAVE_AGAIN}", field="file")
        sheet = workbook.worksheets[0]
        # The declared size is the writer's claim: a lie truncates rows, an XFD width pads them.
        sheet.reset_dimensions()
        # Read-only sheets start at row 1 and fill gaps with empty rows, so numbers match Excel's.
        rows = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                row = next(rows, None)
            except _UNREADABLE_XLSX:
                raise _unreadable_xlsx(label) from None
            if row is None:
                return
            number += 1
            yield number, list(row)
    finally:
        workbook.close()


def _unreadable_xlsx(label: str) -> InvalidInput:
    return InvalidInput(
        f"{label} bukan berkas XLSX yang dapat dibaca (rusak, berkata sandi, atau bukan lembar "
        f"kerja Excel); {_SAVE_AGAIN}",
        field="file",
    )


def participant_template_xlsx() -> bytes:
    """The participant list to download, fill in and upload for batch issuance.

    Sheet "Peserta": the header row with the canonical column names, the example row of
    :mod:`registry.domain.batch_template`, the NIP column formatted as Text (so Excel keeps all
    18 digits of a typed or pasted NIP), a drop-down where only some values are allowed. Sheet
    "Petunjuk": what each column takes, in Indonesian. The reader reads the first sheet only.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Peserta"
    bold = Font(bold=True)
    for index, column in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column.name)
        header.font = bold
        example = sheet.cell(row=2, column=index, value=column.example or None)
        example.data_type = "s"  # text as typed, never a number or a formula
        sheet.column_dimensions[letter].width = column.width
        if column.name == "nip":
            # The column's style applies to every cell typed into it later, not only row 2.
            sheet.column_dimensions[letter].number_format = "@"
            example.number_format = "@"
        if column.choices:
            choice = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                error=f"Isi dengan salah satu: {', '.join(column.choices)}",
                errorTitle=f"Kolom {column.name}",
            )
            choice.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(choice)
    sheet.freeze_panes = "A2"

    guide = book.create_sheet("Petunjuk")
    for line in TEMPLATE_NOTES:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=13)
    guide.append([])
    guide.append(["Kolom", "Wajib", "Nama kolom lain yang diterima", "Isi", "Contoh"])
    for cell in guide[guide.max_row]:
        cell.font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in TEMPLATE_COLUMNS:
        choices = f" Pilihan: {', '.join(column.choices)}." if column.choices else ""
        guide.append(
            [
                column.name,
                "Ya" if column.required else "Tidak",
                ", ".join(column.aliases) or "-",
                column.description + choices,
                column.example or "-",
            ]
        )
        for cell in guide[guide.max_row]:
            cell.alignment = wrap
            cell.data_type = "s"
    for letter, width in zip("ABCDE", (14, 8, 26, 70, 36), strict=True):
        guide.column_dimensions[letter].width = width

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
