"""Unit rosters: the participant-list reader with roster columns, row-by-row, all or nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from registry.adapters.spreadsheets import read_rows
from registry.domain.errors import InvalidInput
from registry.domain.roster_rows import (
    ROSTER_COLUMNS,
    RosterEmployee,
    RosterInvalid,
    validate_roster,
)
from registry.domain.units import HeadDraft, UnitDraft, head_signer, validate_unit
from tests.support.drafts import PNS_NIP, PPPK_NIP, distinct_nips

TODAY = date(2026, 3, 10)
UNIT = "DPUPR"
UNIT_NAME = "Dinas Pekerjaan Umum dan Penataan Ruang"
HEADER = "NIP;Nama;Unit Kerja;Status;Jenis Jabatan;Jabatan;Pangkat"


def csv_bytes(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def roster(data: bytes) -> list[RosterEmployee]:
    rows = read_rows(data, filename="pegawai.csv", media_type=None, columns=ROSTER_COLUMNS)
    return list(validate_roster(rows, unit_code=UNIT, unit_name=UNIT_NAME, today=TODAY))


def refusal(data: bytes) -> list[dict[str, object]]:
    with pytest.raises(RosterInvalid) as caught:
        roster(data)
    errors: list[dict[str, object]] = caught.value.extra["errors"]
    return errors


def test_a_simpeg_export_with_indonesian_headers_is_read_column_by_column() -> None:
    data = csv_bytes(
        [
            HEADER,
            f"{PNS_NIP};Andi Wijaya, S.Kom.;{UNIT_NAME};PNS;Fungsional;"
            "Pranata Komputer Ahli Pertama;Penata Muda (III/a)",
            f"{PPPK_NIP};Siti Aminah;DPUPR;PPPK;jabatan pelaksana;Pengadministrasi;IX",
        ]
    )
    first, second = roster(data)
    assert (first.nip, first.name, first.employment, first.jabatan_type) == (
        PNS_NIP,
        "Andi Wijaya, S.Kom.",
        "pns",
        "fungsional",
    )
    assert first.rank == "Penata Muda (III/a)"
    assert (second.employment, second.jabatan_type, second.row) == ("pppk", "pelaksana", 3)


def test_only_nip_and_name_are_required_and_the_employment_comes_from_the_nip() -> None:
    (employee,) = roster(csv_bytes(["nip,nama", f"{PPPK_NIP},Siti"]))
    assert employee.employment == "pppk"
    assert employee.jabatan_type is None


def test_every_bad_row_is_named_with_its_column_and_nothing_passes() -> None:
    nips = distinct_nips(5)
    errors = refusal(
        csv_bytes(
            [
                HEADER,
                f"{nips[0]};Baik;DPUPR;PNS;struktural;Kepala Bidang;Pembina (IV/a)",
                f"{nips[1]};Lain unit;DINKES;PNS;struktural;Kepala Bidang;Pembina (IV/a)",
                f"{nips[2]};Status aneh;DPUPR;Honorer;struktural;;",
                f"{nips[3]};Jenis aneh;DPUPR;PNS;tenaga ahli;;",
                "12345;NIP pendek;DPUPR;PNS;;;",
                f"{nips[0]};Ganda;DPUPR;PNS;;;",
                f"{nips[4]};;DPUPR;PNS;;;",
            ]
        )
    )
    assert [(error["row"], error["column"]) for error in errors] == [
        (3, "unit"),
        (4, "employment"),
        (5, "jabatan_type"),
        (6, "nip"),
        (7, "nip"),
        (8, "name"),
    ]
    assert "baris 2" in str(errors[4]["detail"])


def test_a_status_that_contradicts_the_nip_structure_is_a_nip_error() -> None:
    errors = refusal(csv_bytes(["nip,nama,status", f"{PNS_NIP},Andi,PPPK"]))
    assert [(error["row"], error["column"]) for error in errors] == [(2, "nip")]


def test_a_nip_excel_stored_as_a_number_is_refused_by_the_reader_as_a_roster_error() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["NIP", "Nama"])
    sheet.append([float(PNS_NIP), "Andi"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(RosterInvalid, match="tidak ada pegawai yang diimpor") as caught:
        roster(buffer.getvalue())
    assert caught.value.extra["errors"][0]["column"] == "nip"


def test_a_participant_only_column_is_an_unknown_column_in_a_roster() -> None:
    with pytest.raises(InvalidInput, match="Kolom tidak dikenal: 'Nilai'"):
        roster(csv_bytes(["NIP,Nama,Nilai", f"{PNS_NIP},Andi,90"]))


def test_a_roster_without_rows_is_refused() -> None:
    with pytest.raises(InvalidInput, match="kosong"):
        roster(csv_bytes(["NIP,Nama"]))


def test_a_unit_head_is_complete_or_absent_and_its_nip_is_checked() -> None:
    head = HeadDraft(
        name="Ir. Bambang Sutrisno, M.T.",
        nip=PNS_NIP,
        rank="Pembina Utama Muda (IV/c)",
        position="Kepala Dinas",
    )
    unit = validate_unit(UnitDraft(code="DPUPR", name=f"  {UNIT_NAME} ", head=head), today=TODAY)
    assert unit.name == UNIT_NAME
    assert unit.head is not None
    assert head_signer(unit.head).nip == PNS_NIP
    assert validate_unit(UnitDraft("DPUPR", UNIT_NAME, HeadDraft()), today=TODAY).head is None
    with pytest.raises(InvalidInput, match=r"head\.rank, head\.position") as missing:
        validate_unit(UnitDraft("DPUPR", UNIT_NAME, HeadDraft("Bambang", PNS_NIP)), today=TODAY)
    assert missing.value.field == "head.rank"
    bad_nip = HeadDraft("Bambang", "1985", "Pembina", "Kepala Dinas")
    with pytest.raises(InvalidInput) as wrong:
        validate_unit(UnitDraft("DPUPR", UNIT_NAME, bad_nip), today=TODAY)
    assert wrong.value.field == "head.nip"
    with pytest.raises(InvalidInput) as code:
        validate_unit(UnitDraft("dpupr", UNIT_NAME), today=TODAY)
    assert code.value.field == "code"
