"""MyASN "Riwayat Diklat" rows and the SIASN jenisDiklatId of every path (pure)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from registry.domain.jp import DevelopmentPath
from registry.domain.myasn import (
    MYASN_COLUMNS,
    SIASN_TRAINING_TYPES,
    SIASN_TYPE_OF_PATH,
    myasn_rows,
    myasn_table,
    siasn_date,
)
from tests.support.credited import credit, document

P = DevelopmentPath


def test_every_path_has_a_siasn_type_of_the_25() -> None:
    assert set(SIASN_TRAINING_TYPES) == set(range(1, 26))
    assert set(SIASN_TYPE_OF_PATH) == set(DevelopmentPath)
    assert set(SIASN_TYPE_OF_PATH.values()) <= set(SIASN_TRAINING_TYPES)


@pytest.mark.parametrize(
    ("path", "type_id"),
    [
        (P.PELATIHAN_STRUKTURAL, 1),
        (P.PELATIHAN_FUNGSIONAL, 2),
        (P.PELATIHAN_TEKNIS, 3),
        (P.WORKSHOP, 4),
        (P.PELATIHAN_MANAJERIAL, 5),
        (P.PELATIHAN_SOSIAL_KULTURAL, 6),
        (P.SOSIALISASI, 7),
        (P.BIMBINGAN_TEKNIS, 8),
        (P.SEMINAR, 9),
        (P.MAGANG, 10),
        (P.KURSUS, 11),
        (P.PENATARAN, 12),
        (P.PENDIDIKAN_TINGGI, 13),
        (P.COACHING, 14),
        (P.MENTORING, 15),
        (P.E_LEARNING, 16),
        (P.PELATIHAN_JARAK_JAUH, 17),
        (P.DETASERING, 18),
        (P.OUTBOND, 19),
        (P.PATOK_BANDING, 20),
        (P.PERTUKARAN, 21),
        (P.BELAJAR_MANDIRI, 22),
        (P.KOMUNITAS_BELAJAR, 23),
        (P.BIMBINGAN_TEMPAT_KERJA, 24),
        (P.FGD, 25),
    ],
)
def test_each_path_maps_to_its_siasn_type(path: P, type_id: int) -> None:
    assert SIASN_TYPE_OF_PATH[path] == type_id
    row = myasn_rows([document(path, credit(path, "2026-03-02", "4"))], 2026)[0]
    assert (row.jenis_diklat_id, row.jenis_diklat) == (type_id, SIASN_TRAINING_TYPES[type_id])


def test_a_row_carries_the_form_fields_with_dd_mm_yyyy_dates() -> None:
    doc = document(
        P.BIMBINGAN_TEKNIS,
        credit(P.BIMBINGAN_TEKNIS, "2026-03-29", "20", end="2026-04-02"),
        number="00007/SERT/BPSDM/2026",
    )
    doc = dataclasses.replace(doc, pdf_url="https://v.example/api/v1/documents/x/pdf")
    (row,) = myasn_rows([doc], 2026)
    assert row.jenis_diklat == "Bimbingan Teknis"
    assert row.nama_diklat == "Kegiatan bimbingan_teknis"
    assert row.institusi_penyelenggara == "BPSDM"
    assert row.nomor_sertifikat == "00007/SERT/BPSDM/2026"
    assert (row.tahun_diklat, row.tanggal_mulai, row.tanggal_selesai) == (
        2026,
        "29-03-2026",
        "02-04-2026",
    )
    assert (row.durasi_jam, row.rumpun_diklat) == (Decimal(20), None)
    assert row.pdf_url == "https://v.example/api/v1/documents/x/pdf"
    assert row.verify_url == doc.verify_url


def test_the_issuer_stands_in_for_a_missing_organiser() -> None:
    doc = dataclasses.replace(
        document(P.SEMINAR, credit(P.SEMINAR, "2026-03-02", "4")), organizer=None, issuer="BKPSDM"
    )
    assert myasn_rows([doc], 2026)[0].institusi_penyelenggara == "BKPSDM"


def test_a_document_is_in_the_export_of_the_year_it_ended_only() -> None:
    spanning = document(
        P.COACHING, credit(P.COACHING, "2025-12-31", "2"), credit(P.COACHING, "2026-01-01", "2")
    )
    inside = document(P.SEMINAR, credit(P.SEMINAR, "2025-12-31", "4"), number="2")
    assert [r.nomor_sertifikat for r in myasn_rows([spanning, inside], 2025)] == ["2"]
    assert [r.tahun_diklat for r in myasn_rows([spanning, inside], 2026)] == [2026]


def test_siasn_dates_keep_leading_zeros() -> None:
    assert siasn_date(document(P.SEMINAR, credit(P.SEMINAR, "2026-01-05", "4")).start_date) == (
        "05-01-2026"
    )


def test_the_table_has_the_form_columns_in_seed_order() -> None:
    assert MYASN_COLUMNS[:9] == (
        "Jenis Diklat",
        "Nama Diklat",
        "Institusi Penyelenggara",
        "Nomor Sertifikat",
        "Tahun Diklat",
        "Tanggal Mulai",
        "Tanggal Selesai",
        "Durasi (Jam)",
        "Rumpun Diklat",
    )
    rows = myasn_rows([document(P.SEMINAR, credit(P.SEMINAR, "2026-03-02", "8"))], 2026)
    table = myasn_table("198503152010011012", 2026, rows)
    assert table.filename == "myasn-198503152010011012-2026"
    assert table.rows[0][:5] == ("Seminar", "Kegiatan seminar", "BPSDM", "00001/SERT/BPSDM/2026",
                                 2026)  # fmt: skip
    assert table.rows[0][7] == Decimal(8)
    assert table.rows[0][9] == 9
