"""Participant lists: CSV/XLSX/JSON reading, per-row drafts, and all-or-nothing batch validation."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from openpyxl import Workbook

from registry.adapters.spreadsheets import read_recipients, read_rows
from registry.domain.batch_rows import (
    MAX_ERRORS,
    MAX_ROWS,
    BatchInvalid,
    BatchRecipient,
    draft_for,
    recipients_from_json,
    validate_batch,
)
from registry.domain.drafts import ActivityDraft, DocumentDraft, ValidDraft, validate_draft
from registry.domain.errors import InvalidInput
from registry.domain.numbering import DEFAULT_SERIES_TOML, parse_series_toml
from tests.support.drafts import PNS_NIP, PPPK_NIP

CATALOG = parse_series_toml(DEFAULT_SERIES_TOML)
ACTIVITY = ActivityDraft(
    title="Pelatihan Teknis Pengadaan Barang/Jasa",
    path="pelatihan_teknis",
    scope="nasional",
    start_date=date(2026, 3, 2),
    end_date=date(2026, 3, 6),
    jp=Decimal(40),
    organizer="BPSDM",
)
SUBJECTS = {"subjects": [{"name": "Etika Pengadaan", "jp": "8"}]}


def nip(sequence: int) -> str:
    """A valid PNS NIP that differs from PNS_NIP only in its 3-digit sequence (1-999)."""
    return PNS_NIP[:15] + f"{sequence:03d}"


def validate(draft: DocumentDraft) -> ValidDraft:
    return validate_draft(draft, catalog=CATALOG, rule_set="tangsel-2022", today=date(2026, 3, 10))


def build(recipient: BatchRecipient, *, type: str = "sttp") -> DocumentDraft:
    return draft_for(
        recipient, type=type, activity=ACTIVITY, unit_code=None, series=None, details=SUBJECTS
    )


def csv_bytes(lines: list[str], *, bom: bool = False) -> bytes:
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def rows_of(data: bytes) -> list[dict[str, str]]:
    return read_rows(data, filename="peserta.csv", media_type="text/csv")


def recipients(count: int, **changes: str) -> list[BatchRecipient]:
    """``count`` distinct valid participants on spreadsheet rows 2.., with column changes by row."""
    lines = ["nip,nama,jabatan"]
    for index in range(count):
        row = index + 2
        lines.append(f"{changes.get(str(row), nip(index + 1))},Peserta {row},Analis")
    return read_recipients(csv_bytes(lines), filename=None, media_type=None)


def errors_of(excinfo: pytest.ExceptionInfo[BatchInvalid]) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = excinfo.value.extra["errors"]
    return errors


# --- reading files -------------------------------------------------------------------------------


def test_csv_with_commas_is_read_with_canonical_columns_and_row_numbers() -> None:
    rows = rows_of(csv_bytes(["nip,name,position,unit", f"{PNS_NIP},Siti Aminah,Analis,Dinas PU"]))
    assert rows == [
        {
            "row": "2",
            "nip": PNS_NIP,
            "name": "Siti Aminah",
            "position": "Analis",
            "unit": "Dinas PU",
        }
    ]


def test_excel_semicolon_csv_with_bom_and_indonesian_headers() -> None:
    data = csv_bytes(
        [
            "No; NIP ;Nama;Jabatan;Unit Kerja;Status;Pangkat/Golongan;Tempat Lahir;Nilai",
            f"1;{PNS_NIP};Dra. Siti Aminah, M.Si.;Analis;Dinas PU;PNS;Penata (III/c);Bandung;85,5",
        ],
        bom=True,
    )
    [recipient] = read_recipients(data, filename="peserta.csv", media_type=None)
    assert recipient.nip == PNS_NIP
    assert recipient.name == "Dra. Siti Aminah, M.Si."
    assert (recipient.position, recipient.unit, recipient.employment) == (
        "Analis",
        "Dinas PU",
        "PNS",
    )
    assert (recipient.rank, recipient.birth_place, recipient.score) == (
        "Penata (III/c)",
        "Bandung",
        "85,5",
    )
    draft = build(recipient)
    assert draft.recipient.employment == "pns"
    assert draft.details == {
        **SUBJECTS,
        "final_score": "85.5",  # printed with its predikat in the STTP's sentence
        "rank": "Penata (III/c)",
        "birth_place": "Bandung",
    }
    assert build(recipient, type="transkrip").details == {
        **SUBJECTS,
        "final_score": "85.5",
        "rank": "Penata (III/c)",
        "birth_place": "Bandung",
    }
    assert validate(draft).details == draft.details


def test_blank_rows_are_skipped_but_row_numbers_stay_those_of_the_sheet() -> None:
    rows = rows_of(csv_bytes(["nip,nama", "", f"{nip(1)},A", ",", f"{nip(2)},B"]))
    assert [(row["row"], row["name"]) for row in rows] == [("3", "A"), ("5", "B")]


def test_unknown_column_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput, match="Email") as excinfo:
        rows_of(csv_bytes(["nip,nama,Email", f"{PNS_NIP},A,a@b.c"]))
    assert excinfo.value.extra["column"] == "Email"


@pytest.mark.parametrize(("header", "missing"), [("nama,jabatan", "nip"), ("NIP,jabatan", "name")])
def test_missing_required_column_is_refused(header: str, missing: str) -> None:
    with pytest.raises(InvalidInput, match=missing) as excinfo:
        rows_of(csv_bytes([header, "x,y"]))
    assert excinfo.value.extra["missing"] == [missing]


def test_duplicate_column_under_two_aliases_is_refused() -> None:
    with pytest.raises(InvalidInput, match="name"):
        rows_of(csv_bytes(["nip,nama,name", f"{PNS_NIP},A,B"]))


def test_data_under_a_column_without_header_is_refused() -> None:
    with pytest.raises(BatchInvalid) as excinfo:
        rows_of(csv_bytes(["nip,nama", f"{PNS_NIP},A,stray"]))
    assert errors_of(excinfo) == [
        {"row": 2, "column": None, "detail": "Kolom ke-3 berisi data tetapi tidak berjudul"}
    ]


def test_nip_in_scientific_notation_from_an_excel_csv_is_refused_with_advice() -> None:
    data = csv_bytes(["nip;nama", "1,98503E+17;A", f"{PNS_NIP};B"])
    with pytest.raises(BatchInvalid, match="1 baris") as excinfo:
        rows_of(data)
    [error] = errors_of(excinfo)
    assert (error["row"], error["column"]) == (2, "nip")
    assert "Teks" in error["detail"]


def test_too_many_rows_is_refused() -> None:
    lines = ["nip,nama"] + [f"{nip(1)},A"] * (MAX_ROWS + 1)
    with pytest.raises(InvalidInput, match=str(MAX_ROWS)):
        rows_of(csv_bytes(lines))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "kosong"),
        (b"nip,nama\r\n\xff\xfeA,B\r\n", "UTF-8"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", ".xls"),
        (b"PK\x03\x04not really a zip", "XLSX"),
        (b"%PDF-1.7\x00\x01", "bukan CSV"),
    ],
)
def test_unreadable_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        rows_of(data)


def xlsx(rows: list[list[Any]], *, exact_ints: dict[int, str] | None = None) -> bytes:
    """An XLSX built by openpyxl; ``exact_ints`` rewrites placeholder numbers to exact digits.

    openpyxl (like Excel) writes numbers with 15 significant digits, so an exact 18-digit integer
    cell, as a script or another tool may write it, has to be put into the XML directly.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not exact_ints:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                for placeholder, digits in exact_ints.items():
                    old = f"<v>{placeholder}</v>".encode()
                    assert old in content
                    content = content.replace(old, f"<v>{digits}</v>".encode())
            target.writestr(item, content)
    return patched.getvalue()


def test_xlsx_reads_text_and_exact_integer_nips_and_numeric_cells() -> None:
    data = xlsx(
        [
            ["NIP", "Nama", "JP", "Nilai"],
            [PPPK_NIP, "Budi", 24, 90.0],
            [],
            [424242, "Wati", 2.5, 85.25],
        ],
        exact_ints={424242: PNS_NIP},
    )
    rows = read_rows(data, filename="peserta.xlsx", media_type=None)
    assert rows == [
        {"row": "2", "nip": PPPK_NIP, "name": "Budi", "jp": "24", "score": "90"},
        {"row": "4", "nip": PNS_NIP, "name": "Wati", "jp": "2.5", "score": "85.25"},
    ]


def test_xlsx_float_nip_lost_its_digits_and_is_refused_with_advice() -> None:
    data = xlsx([["nip", "nama"], [PNS_NIP, "A"], [1.98503152010011e17, "B"]])
    with pytest.raises(BatchInvalid) as excinfo:
        read_rows(data, filename="peserta.xlsx", media_type=None)
    [error] = errors_of(excinfo)
    assert (error["row"], error["column"]) == (3, "nip")
    assert "1.98503152010011e+17" in error["detail"]
    assert "format kolom NIP sebagai Teks" in error["detail"]


# --- JSON ----------------------------------------------------------------------------------------


def test_json_recipients_take_numbers_and_their_own_details() -> None:
    [first, second] = recipients_from_json(
        [
            {"nip": PNS_NIP, "name": "A", "jp": 12, "score": 88.5},
            {"nip": PPPK_NIP, "name": "B", "employment": "pppk", "details": {"place": "Serpong"}},
        ]
    )
    assert (first.row, first.jp, first.score) == (1, "12", "88.5")
    draft = build(second)
    assert draft.details == {**SUBJECTS, "place": "Serpong"}
    assert validate(draft).employee.employment == "pppk"


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"nip": PNS_NIP, "name": "A", "email": "a@b.c"}, "recipients[0]"),
        ({"nip": PNS_NIP, "name": ["A"]}, "recipients[0].name"),
        ({"nip": PNS_NIP, "name": "A", "details": [1]}, "recipients[0].details"),
    ],
)
def test_malformed_json_recipients_are_refused(item: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        recipients_from_json([item])
    assert excinfo.value.field == field


# --- validating a batch --------------------------------------------------------------------------


def test_valid_batch_of_100_returns_every_draft_in_order() -> None:
    valid = validate_batch(recipients(100), build, validate)
    assert [draft.employee.digits for draft in valid] == [nip(i) for i in range(1, 101)]
    assert all(draft.jp == Decimal(40) for draft in valid)


def test_one_bad_nip_among_100_names_its_spreadsheet_row() -> None:
    # The 57th participant sits on row 58: the header is row 1.
    batch = recipients(100, **{"58": "19850315201001101"})
    with pytest.raises(BatchInvalid, match=r"^1 baris") as excinfo:
        validate_batch(batch, build, validate)
    [error] = errors_of(excinfo)
    assert (error["row"], error["column"]) == (58, "nip")
    assert "18 digit" in error["detail"]
    assert excinfo.value.extra["error_count"] == 1


def test_every_bad_row_is_reported_not_only_the_first() -> None:
    batch = recipients(10, **{"3": "abc", "7": PNS_NIP[:8] + "2010131012"})
    with pytest.raises(BatchInvalid, match=r"^2 baris") as excinfo:
        validate_batch(batch, build, validate)
    assert [(e["row"], e["column"]) for e in errors_of(excinfo)] == [(3, "nip"), (7, "nip")]


def test_duplicate_nip_names_both_rows() -> None:
    batch = recipients(6, **{"6": nip(2)})  # row 3 holds nip(2) already
    with pytest.raises(BatchInvalid) as excinfo:
        validate_batch(batch, build, validate)
    assert errors_of(excinfo) == [{"row": 6, "column": "nip", "detail": "NIP sama dengan baris 3"}]


def test_duplicates_are_recognised_through_the_printed_spaces() -> None:
    spaced = f"{PNS_NIP[:8]} {PNS_NIP[8:14]} {PNS_NIP[14]} {PNS_NIP[15:]}"
    batch = recipients_from_json([{"nip": PNS_NIP, "name": "A"}, {"nip": spaced, "name": "A"}])
    with pytest.raises(BatchInvalid):
        validate_batch(batch, build, validate)


def test_error_list_is_capped_but_counted() -> None:
    batch = recipients_from_json([{"nip": "1", "name": f"P{i}"} for i in range(150)])
    with pytest.raises(BatchInvalid, match=r"^150 baris") as excinfo:
        validate_batch(batch, build, validate)
    assert len(errors_of(excinfo)) == MAX_ERRORS
    assert excinfo.value.extra["error_count"] == 150
    assert errors_of(excinfo)[-1]["row"] == MAX_ERRORS


def test_row_values_map_back_to_their_columns() -> None:
    batch = recipients_from_json(
        [
            {"nip": nip(1), "name": "A", "jp": "banyak"},
            {"nip": nip(2), "name": "B", "score": "101"},
            {"nip": nip(3), "name": "  "},
            {"nip": nip(4), "name": "D", "employment": "honorer"},
            {"nip": nip(5), "name": "E", "rank": "x" * 201},
            {"nip": nip(6), "name": "F", "jp": "-1"},
        ]
    )
    with pytest.raises(BatchInvalid, match=r"^6 baris") as excinfo:
        validate_batch(batch, build, validate)
    assert [(e["row"], e["column"]) for e in errors_of(excinfo)] == [
        (1, "jp"),
        (2, "score"),
        (3, "name"),
        (4, "employment"),
        (5, "rank"),
        (6, "jp"),
    ]


def test_row_jp_overrides_the_activity_jp() -> None:
    batch = recipients_from_json(
        [{"nip": nip(1), "name": "A", "jp": "24"}, {"nip": nip(2), "name": "B"}]
    )
    first, second = validate_batch(batch, build, validate)
    assert (first.jp, second.jp) == (Decimal(24), Decimal(40))


def test_a_batch_level_error_is_raised_once_not_per_row() -> None:
    bad_activity = ActivityDraft(**{**ACTIVITY.__dict__, "path": "rapat"})
    with pytest.raises(InvalidInput) as excinfo:
        validate_batch(
            recipients(50),
            partial(
                draft_for,
                type="sttp",
                activity=bad_activity,
                unit_code=None,
                series=None,
                details=None,
            ),
            validate,
        )
    assert not isinstance(excinfo.value, BatchInvalid)
    assert excinfo.value.field == "activity.path"


def test_empty_and_oversized_batches_are_refused() -> None:
    with pytest.raises(InvalidInput, match="kosong"):
        validate_batch([], build, validate)
    oversized = [BatchRecipient(row=i, nip=nip(1), name="A") for i in range(MAX_ROWS + 1)]
    with pytest.raises(InvalidInput, match="terlalu panjang"):
        validate_batch(oversized, build, validate)


def test_errors_in_details_point_at_the_row_cell_that_filled_them() -> None:
    def strict(draft: DocumentDraft) -> ValidDraft:
        # Stands in for a details validator, which names fields like "details.rank".
        details = draft.details or {}
        if details.get("rank") == "??":
            raise InvalidInput("Pangkat tidak dikenal", field="details.rank")
        if Decimal(details.get("final_score", "100")) < 10:
            raise InvalidInput("Nilai terlalu rendah", field="details.final_score")
        if "bad" in details:
            raise InvalidInput("Isian tidak dikenal", field="details.bad[0]")
        return validate(draft)

    batch = recipients_from_json(
        [
            {"nip": nip(1), "name": "A", "rank": "??"},
            {"nip": nip(2), "name": "B", "score": "5"},
            {"nip": nip(3), "name": "C", "details": {"bad": [1]}},
            {"nip": nip(4), "name": "D"},
        ]
    )
    with pytest.raises(BatchInvalid) as excinfo:
        validate_batch(batch, partial(build, type="transkrip"), strict)
    assert [(e["row"], e["column"]) for e in errors_of(excinfo)] == [
        (1, "rank"),
        (2, "score"),
        (3, "details"),
    ]
    # The same problem coming from the batch's shared details is the batch's: raised once.
    shared = partial(
        draft_for,
        type="sttp",
        activity=ACTIVITY,
        unit_code=None,
        series=None,
        details={"bad": [1]},
    )
    with pytest.raises(InvalidInput) as raised:
        validate_batch(batch[3:], shared, strict)
    assert not isinstance(raised.value, BatchInvalid)
    assert raised.value.field == "details.bad[0]"


def test_score_column_is_refused_once_for_documents_without_a_score() -> None:
    batch = recipients_from_json([{"nip": nip(i), "name": "A", "score": "90"} for i in (1, 2)])
    with pytest.raises(InvalidInput, match="sttp dan transkrip") as excinfo:
        validate_batch(batch, partial(build, type="sertifikat"), validate)
    assert not isinstance(excinfo.value, BatchInvalid)
    transcripts = validate_batch(batch, partial(build, type="transkrip"), validate)
    assert [draft.details for draft in transcripts] == [{**SUBJECTS, "final_score": "90"}] * 2
    # An STTP prints the score too ("dengan nilai akhir 90,00 dan predikat Sangat Memuaskan").
    sttps = validate_batch(batch, build, validate)
    assert [draft.details for draft in sttps] == [{**SUBJECTS, "final_score": "90"}] * 2
