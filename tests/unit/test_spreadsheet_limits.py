"""Hostile uploads refused by the spreadsheet reader: zip bombs, far headers, wide rows, bad XML.

Every file is built here (:mod:`tests.support.hostile_spreadsheets`) just past the limit it
probes, so a refusal shows the limit holds; the limits themselves are the reader's
(:mod:`registry.adapters.spreadsheet_limits`), not copies.
"""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
from collections.abc import Callable, Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.adapters import spreadsheet_limits as limits
from registry.adapters.spreadsheets import read_rows
from registry.domain.errors import InvalidInput
from registry.domain.roster_rows import ROSTER_COLUMNS
from tests.support.drafts import PNS_NIP
from tests.support.hostile_spreadsheets import (
    SHARED_STRINGS,
    SHEET,
    base_xlsx,
    column_letter,
    crowded_row,
    shared_strings_bomb,
    sheet_xml,
    text_cells,
    text_row,
    xlsx_with,
)

WIDEST = "XFD"  # Excel's last column, 16,384
HEADER = ["nip", "nama"]


def read(data: bytes) -> list[dict[str, str]]:
    return read_rows(data, filename="peserta.xlsx", media_type=None)


def numbered_strings(total_bytes: int) -> Iterable[bytes]:
    """Distinct shared strings that deflate like real ones (well under the ratio limit)."""
    yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    count = total_bytes // len(b"<si><t>00000000 x</t></si>") + 1
    for start in range(0, count, 10_000):
        stop = min(count, start + 10_000)
        items = (f"<si><t>{n:08d} {os.urandom(1).hex()}</t></si>" for n in range(start, stop))
        yield "".join(items).encode()
    yield b"</sst>"


def filler(total_bytes: int) -> Iterable[bytes]:
    """Bytes that deflate about 30-fold: a little noise in every 32 KiB window."""
    block = (os.urandom(1024) + bytes(31 * 1024)) * 32
    for _ in range(total_bytes // len(block) + 1):
        yield block


# --- 1. the zip is looked at before anything is inflated -------------------------------------


def test_a_shared_strings_bomb_is_refused_before_it_is_inflated() -> None:
    bomb = xlsx_with({SHARED_STRINGS: shared_strings_bomb(8 * 2**20)})
    assert len(bomb) < 50_000  # a thousandfold: the shape of the 1.1 MB -> 1.15 GB upload
    with pytest.raises(InvalidInput, match=r"dipadatkan secara tidak wajar") as excinfo:
        read(bomb)
    assert SHARED_STRINGS in str(excinfo.value)
    assert "simpan" in str(excinfo.value).lower()


@pytest.mark.parametrize(
    ("part", "content", "limit"),
    [
        (SHARED_STRINGS, numbered_strings, limits.MAX_SHARED_STRINGS_BYTES),
        (SHEET, filler, limits.MAX_SHEET_XML_BYTES),
        ("xl/styles.xml", filler, limits.MAX_OTHER_PART_BYTES),
    ],
)
def test_a_part_over_its_size_limit_is_refused_whatever_its_ratio(
    part: str, content: Callable[[int], Iterable[bytes]], limit: int
) -> None:
    data = xlsx_with({part: content(limit + 2**16)})
    with pytest.raises(InvalidInput, match=r"terlalu besar setelah dibuka") as excinfo:
        read(data)
    assert part in str(excinfo.value)


def test_parts_under_their_limits_but_too_big_together_are_refused() -> None:
    part_bytes = limits.MAX_OTHER_PART_BYTES - 2**16
    count = limits.MAX_UNCOMPRESSED_BYTES // part_bytes + 1
    data = xlsx_with({f"xl/media/image{n}.png": filler(part_bytes) for n in range(count)})
    with pytest.raises(InvalidInput, match=r"terlalu besar setelah dibuka"):
        read(data)


def test_a_zip_of_more_parts_than_any_workbook_has_is_refused_before_any_is_read() -> None:
    """Tens of thousands of tiny parts pass every size limit but cost seconds to walk."""
    count = limits.MAX_PARTS + 1
    data = xlsx_with({f"xl/worksheets/filler{n}.xml": b"<a/>" for n in range(count)})
    with pytest.raises(InvalidInput, match=r"terlalu banyak bagian"):
        read(data)


def test_a_workbook_with_many_sheets_and_images_is_within_the_part_limit() -> None:
    members = {f"xl/media/image{n}.png": b"\x89PNG" for n in range(limits.MAX_PARTS - 40)}
    assert read(xlsx_with(members)) == []


def test_a_real_roster_of_the_largest_size_is_read() -> None:
    header = ["NIP", "Nama", "Unit Kerja", "Status", "Jenis Jabatan", "Jabatan", "Pangkat"]
    body = [
        [PNS_NIP, f"Pegawai Nomor {n}", "DPUPR", "PNS", "fungsional", "Analis", "Penata (III/c)"]
        for n in range(ROSTER_COLUMNS.max_rows)
    ]
    rows = read_rows(
        base_xlsx([header, *body]), filename="pegawai.xlsx", media_type=None, columns=ROSTER_COLUMNS
    )
    assert len(rows) == ROSTER_COLUMNS.max_rows
    assert rows[-1]["name"] == f"Pegawai Nomor {ROSTER_COLUMNS.max_rows - 1}"


# --- 2. rows and columns are streamed and bounded, whatever the sheet declares -----------------


def sheet(*rows: bytes, dimension: str = "A1") -> bytes:
    return xlsx_with({SHEET: b"".join(sheet_xml(rows, dimension=dimension))})


def test_a_header_far_down_a_sheet_declared_as_wide_as_excel_is_refused() -> None:
    data = sheet(text_row(10_000, HEADER), dimension=f"A1:{WIDEST}10000")
    assert len(data) < 10_000
    with pytest.raises(InvalidInput, match=f"{limits.MAX_HEADER_ROW} baris pertama"):
        read(data)


def test_a_header_on_the_last_allowed_row_is_read_and_the_declared_size_ignored() -> None:
    last = limits.MAX_HEADER_ROW
    data = sheet(
        text_row(last, HEADER), text_row(last + 1, [PNS_NIP, "Budi"]), dimension=f"A1:{WIDEST}2"
    )
    assert read(data) == [{"row": str(last + 1), "nip": PNS_NIP, "name": "Budi"}]


@pytest.mark.parametrize(
    "row",
    [
        text_row(2, [PNS_NIP, "Budi", *["x"] * (limits.MAX_COLUMNS - 1)]),
        text_row(2, [PNS_NIP, "Budi"], after=text_cells(2, ["x"], first_column=16_384)),
        text_row(2, ["x"] * 16_384),  # the 4.4 MB wide sheet, one row of it
    ],
    ids=["one-column-too-many", "a-cell-in-the-last-column", "every-column-filled"],
)
def test_data_right_of_the_allowed_columns_is_refused(row: bytes) -> None:
    with pytest.raises(InvalidInput, match=f"{limits.MAX_COLUMNS} kolom pertama"):
        read(sheet(text_row(1, HEADER), row))


def test_empty_formatted_cells_right_of_the_list_are_ignored() -> None:
    styled = f'<c r="{WIDEST}2" s="0"/><c r="{column_letter(limits.MAX_COLUMNS + 1)}2"/>'
    row = text_row(2, [PNS_NIP, "Budi"], after=styled)
    assert read(sheet(text_row(1, HEADER), row)) == [{"row": "2", "nip": PNS_NIP, "name": "Budi"}]


@pytest.mark.parametrize(
    "rows",
    [
        # Rows as wide as Excel, padded by the reader: 16,384 cells read for each.
        [text_row(n, [PNS_NIP], after=f'<c r="{WIDEST}{n}"/>') for n in range(2, 100)],
        # Rows far apart, each gap read as empty rows, never a long enough run to stop at.
        [text_row(n, [PNS_NIP]) for n in range(2, limits.MAX_CELLS + 1000, 999)],
    ],
    ids=["wide-empty-rows", "sparse-rows"],
)
def test_a_sheet_costing_more_cells_than_allowed_is_refused(rows: list[bytes]) -> None:
    with pytest.raises(InvalidInput, match="sel"):
        read(sheet(text_row(1, HEADER), *rows))


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        # Every cell in column A: read as one cell, but parsed (and held) as 16,385.
        ([crowded_row(2, limits.MAX_ROW_CELLS + 1)], "lebih dari 16.384 sel"),
        (
            [crowded_row(n, 16_000) for n in range(2, limits.MAX_CELLS // 16_000 + 3)],
            "lebih dari 1.000.000 sel",
        ),
    ],
    ids=["one-crowded-row", "crowded-rows"],
)
def test_cells_crowded_into_few_columns_are_refused_before_openpyxl_holds_them(
    rows: list[bytes], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        read(sheet(text_row(1, HEADER), *rows))


# --- 3. a file that is not a readable list is a 422 saying how to save it ----------------------

SAVE_AS = r"simpan .*\.xlsx atau CSV UTF-8"


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_encrypted_flag(data: bytes) -> bytes:
    """The zip with every part marked as password-protected (general-purpose flag bit 0)."""
    patched = bytearray(data)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = patched.find(signature)
        while start != -1:
            patched[start + flag_offset] |= 1
            start = patched.find(signature, start + 4)
    return bytes(patched)


UNREADABLE_XLSX = {
    "sheet-xml-cut-short": lambda: xlsx_with({SHEET: b"<worksheet><sheetData><row r='1'><c"}),
    "workbook-xml-not-xml": lambda: xlsx_with({"xl/workbook.xml": b"not xml at all"}),
    "shared-strings-not-xml": lambda: xlsx_with({SHARED_STRINGS: b"<sst><si><t>a</si>"}),
    "shared-string-out-of-range": lambda: sheet(b'<row r="1"><c r="A1" t="s"><v>99</v></c></row>'),
    "number-cell-not-a-number": lambda: sheet(
        text_row(1, HEADER), b'<row r="2"><c r="A2"><v>abc</v></c></row>'
    ),
    "zip-without-a-workbook": lambda: zip_of({"readme.txt": b"bukan lembar kerja"}),
    "docx-not-xlsx": lambda: zip_of(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"}
    ),
    "zip-cut-short": lambda: base_xlsx()[:1500],
    "zip-with-password": lambda: with_encrypted_flag(base_xlsx()),
}


@pytest.mark.parametrize("case", UNREADABLE_XLSX)
def test_an_unreadable_xlsx_is_refused_with_how_to_save_it(case: str) -> None:
    with pytest.raises(InvalidInput, match=SAVE_AS) as excinfo:
        read(UNREADABLE_XLSX[case]())
    assert str(excinfo.value).startswith("peserta.xlsx")


def test_an_encrypted_workbook_or_old_xls_is_refused_with_how_to_save_it() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # how Excel stores a password-set file
    with pytest.raises(InvalidInput, match=SAVE_AS) as excinfo:
        read(ole)
    assert "kata sandi" in str(excinfo.value)


PARTS = ["[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", SHEET]
DAMAGE = [b"<", b'"', b"&x;", b"</c>", b"<v>z</v>", b' r="ZZZZ1"', b' t="s"', b' t="d"', b' s="99"']


@settings(max_examples=150, derandomize=True, deadline=None)
@given(part=st.sampled_from(PARTS), data=st.data())
def test_damaged_xml_anywhere_is_read_or_refused_never_an_error(
    part: str, data: st.DataObject
) -> None:
    base = base_xlsx([["nip", "nama", "jp"], [PNS_NIP, "Budi", 2.5], [PNS_NIP, "Wati", "x"]])
    content = bytearray(zipfile.ZipFile(io.BytesIO(base)).read(part))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(content) - 1))
        if data.draw(st.booleans()):
            del content[at : at + data.draw(st.integers(1, 20))]
        else:
            content[at:at] = data.draw(st.sampled_from(DAMAGE))
    with contextlib.suppress(InvalidInput):
        read(xlsx_with({part: bytes(content)}, base))


UNREADABLE_CSV = {
    "millions-of-columns": (b"nip,nama\r\n" + b"," * 3_000_000 + b"\r\n", "terlalu panjang"),
    "one-gigantic-line": (b"nip,nama\r\n" + b"A" * 5_000_000, "terlalu panjang"),
    "wide-but-short-lines": (
        b"nip,nama\r\n" + b"1," * (limits.MAX_COLUMNS + 1) + b"\r\n",
        f"{limits.MAX_COLUMNS} kolom pertama",
    ),
    "utf-16-from-excel": ("nip\tnama\r\n1\tBudi\r\n".encode("utf-16"), "UTF-16"),
    "windows-1252": ("nip,nama\r\n1,Budi Süß\r\n".encode("cp1252"), "CSV UTF-8"),
    "binary": (b"nip,nama\r\n\x00\x01\x02", SAVE_AS),
}


@pytest.mark.parametrize("case", UNREADABLE_CSV)
def test_an_unreadable_csv_is_refused_with_what_to_do(case: str) -> None:
    data, message = UNREADABLE_CSV[case]
    with pytest.raises(InvalidInput, match=message):
        read_rows(data, filename="peserta.csv", media_type="text/csv")
