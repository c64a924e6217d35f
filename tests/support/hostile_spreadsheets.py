"""Hostile spreadsheets built in memory: zip bombs, far-away headers, wide rows, broken XML.

Each starts from a small workbook openpyxl writes and replaces or adds zip members, so the files
are real XLSX in every other respect. Big members are streamed into the zip in chunks, so a test
never holds more than the compressed file.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterable, Mapping

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTENT_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_RELATIONSHIP = (
    '<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
)

Content = bytes | Iterable[bytes]


def base_xlsx(rows: Iterable[list[object]] = (["nip", "nama"],)) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_with(members: Mapping[str, Content], base: bytes | None = None) -> bytes:
    """``base`` (a small valid workbook) with ``members`` replaced or added, chunk by chunk."""
    source = zipfile.ZipFile(io.BytesIO(base if base is not None else base_xlsx()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        names = [item.filename for item in source.infolist()]
        for name in names:
            if name not in members:
                target.writestr(name, _linked(name, source.read(name), members))
        for name, content in members.items():
            with target.open(name, "w", force_zip64=True) as member:
                for chunk in [content] if isinstance(content, bytes) else content:
                    member.write(chunk)
    return patched.getvalue()


def _linked(name: str, content: bytes, members: Mapping[str, Content]) -> bytes:
    """Declare an added sharedStrings part, as Excel does, so openpyxl reads it."""
    if SHARED_STRINGS not in members or b"sharedStrings" in content:
        return content
    if name == "[Content_Types].xml":
        return content.replace(b"</Types>", _CONTENT_TYPE.encode() + b"</Types>")
    if name == "xl/_rels/workbook.xml.rels":
        return content.replace(b"</Relationships>", _RELATIONSHIP.encode() + b"</Relationships>")
    return content


def sheet_xml(rows: Iterable[bytes], *, dimension: str = "A1") -> Iterable[bytes]:
    """A worksheet whose ``<sheetData>`` holds the given ``<row>`` elements, streamed."""
    yield (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN_NS}">'
        f'<dimension ref="{dimension}"/><sheetData>'
    ).encode()
    yield from rows
    yield b"</sheetData></worksheet>"


def text_row(number: int, values: Iterable[str], *, after: str = "") -> bytes:
    """Row ``number`` with ``values`` from column A on, then the cells XML ``after``."""
    return f'<row r="{number}">{text_cells(number, values)}{after}</row>'.encode()


def text_cells(number: int, values: Iterable[str], *, first_column: int = 1) -> str:
    return "".join(
        f'<c r="{column_letter(first_column + index)}{number}" t="inlineStr"><is><t>{value}</t>'
        "</is></c>"
        for index, value in enumerate(values)
    )


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def shared_strings_bomb(total_bytes: int, *, chunk_bytes: int = 1 << 20) -> Iterable[bytes]:
    """A sharedStrings part of about ``total_bytes`` that deflates about a thousandfold."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN_NS}">'.encode()
    item = b"<si><t>" + b"A" * (chunk_bytes - 16) + b"</t></si>"
    for _ in range(max(1, total_bytes // len(item))):
        yield item
    yield b"</sst>"


def crowded_row(number: int, cells: int) -> bytes:
    """One row of ``cells`` cells all claiming column A, with noise so it deflates like data."""
    values = (int.from_bytes(os.urandom(3), "big") for _ in range(cells))
    cells_xml = "".join(f'<c r="A{number}"><v>{value}</v></c>' for value in values)
    return f'<row r="{number}">{cells_xml}</row>'.encode()
