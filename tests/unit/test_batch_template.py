"""The downloadable participant-list template: read back by the batch reader, its example valid."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from registry.adapters.spreadsheets import participant_template_xlsx, read_recipients, read_rows
from registry.domain.batch_rows import COLUMNS, PARTICIPANT_COLUMNS, draft_for, validate_batch
from registry.domain.batch_template import EXAMPLE_NIP, TEMPLATE_COLUMNS
from tests.unit.test_batch_rows import ACTIVITY, SUBJECTS, validate


def test_the_template_is_read_back_by_the_batch_reader_with_a_valid_example_row() -> None:
    data = participant_template_xlsx()
    [example] = read_recipients(data, filename="templat.xlsx", media_type=None)
    assert example.row == 2
    assert example.nip == EXAMPLE_NIP
    assert example.score is None  # valid for every document type, not only STTP and transkrip
    for document_type, details in (("sertifikat", None), ("sttp", SUBJECTS)):
        [valid] = validate_batch(
            [example],
            lambda r, t=document_type, d=details: draft_for(
                r, type=t, activity=ACTIVITY, unit_code=None, series=None, details=d
            ),
            validate,
        )
        assert valid.employee.digits == EXAMPLE_NIP


def test_the_header_is_every_canonical_column_in_order() -> None:
    sheet = load_workbook(io.BytesIO(participant_template_xlsx())).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == list(COLUMNS)
    assert [c.name for c in TEMPLATE_COLUMNS] == list(COLUMNS)
    # Every header is one the reader knows, so a filled-in template is never refused for it.
    [row] = read_rows(participant_template_xlsx(), filename=None, media_type=None)
    assert set(row) == {"row", *COLUMNS}
    assert {column for column, value in row.items() if value} == {
        "row",
        *(c.name for c in TEMPLATE_COLUMNS if c.example),
    }


def test_the_nip_column_is_text_so_excel_keeps_18_digits() -> None:
    book = load_workbook(io.BytesIO(participant_template_xlsx()))
    sheet = book["Peserta"]
    assert sheet.column_dimensions["A"].number_format == "@"
    assert sheet["A2"].number_format == "@"
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == EXAMPLE_NIP
    assert all((sheet.column_dimensions[c].width or 0) >= 10 for c in "ABCDEFGHIJ")
    assert sheet.freeze_panes == "A2"


def test_employment_offers_its_two_values() -> None:
    sheet = load_workbook(io.BytesIO(participant_template_xlsx()))["Peserta"]
    [choice] = sheet.data_validations.dataValidation
    assert choice.formula1 == '"pns,pppk"'
    assert str(choice.sqref).startswith("E2:")
    assert choice.showErrorMessage


def test_the_help_sheet_explains_every_column_in_indonesian() -> None:
    guide = load_workbook(io.BytesIO(participant_template_xlsx()))["Petunjuk"]
    rows = [[cell.value for cell in row] for row in guide.iter_rows()]
    header_at = next(i for i, row in enumerate(rows) if row[0] == "Kolom")
    assert rows[header_at] == ["Kolom", "Wajib", "Nama kolom lain yang diterima", "Isi", "Contoh"]
    explained = {row[0]: row for row in rows[header_at + 1 :]}
    assert list(explained) == list(COLUMNS)
    assert explained["nip"][1] == "Ya" and explained["name"][1] == "Ya"
    assert explained["position"][1] == "Tidak"
    assert explained["name"][2] == "nama"
    assert explained["employment"][2] == "status, status_kepegawaian"
    assert "pns, pppk" in str(explained["employment"][3])
    assert "Teks" in str(explained["nip"][3])
    assert "STTP" in str(explained["score"][3])
    for column, row in explained.items():
        aliases = PARTICIPANT_COLUMNS.aliases[column]
        assert row[2] == (", ".join(aliases) or "-")
    notes = " ".join(str(row[0]) for row in rows[:header_at])
    assert "hapus" in notes and "5.000" in notes
