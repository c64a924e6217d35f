"""Hostile uploads refused by the spreadsheet reader: zip bombs, far headers, wide rows, bad XML.

Every file is built here (:mod:`tests.support.hostile_spreadsheets`) just past the limit it
probes, so a refusal shows the limit holds; the limits themselves are the reader's
(:mod:`registry.adapters.spreadsheet_limits`), not copies.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

import pytest

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
