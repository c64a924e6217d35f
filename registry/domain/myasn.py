"""MyASN "Riwayat Diklat" rows and the SIASN training type of each document.

Seed 002 (DPUPR Kutai Barat, bab "Input Data ... pada MyASN", step 4 "Masukan data informasi
Riwayat Diklat") lists the form's fields, each required: Jenis Diklat, Nama Diklat, Institusi
Penyelenggara, Nomor Sertifikat, Tahun Diklat, Tanggal Mulai, Tanggal Selesai, Durasi (Jam), Rumpun
Diklat, then the certificate's PDF. One row per valid document, with the SIASN ``jenisDiklatId``
(DOMAIN.md lists the 25 ids integrators use) and ``dd-mm-yyyy`` dates, as SIASN takes them.

How each field is filled:

* Jenis Diklat: the name of the SIASN type (:data:`SIASN_TRAINING_TYPES`), which is the list
  the form offers (seed 002's example picks "Bimbingan Teknis");
* Nama Diklat: the document's activity title; Institusi Penyelenggara: the organiser printed on
  the document, else the issuer; Nomor Sertifikat: the registry number;
* Tahun Diklat: the year the activity ended; a row belongs to that year's export only, so a
  document spanning New Year is pushed once (its JP still count in each year they were credited);
* Durasi (Jam): the JP the document prints (the certificate's duration, what the employee types
  in from it), which can exceed what the year's caps credit;
* Rumpun Diklat: the registry does not record it (no seed maps a path to a rumpun), so the cell is
  empty and the employee chooses it in MyASN.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from registry.domain.credits import CreditedDocument
from registry.domain.export_tables import Cell, ExportTable
from registry.domain.jp import DevelopmentPath

__all__ = [
    "MYASN_COLUMNS",
    "SIASN_TRAINING_TYPES",
    "SIASN_TYPE_OF_PATH",
    "MyAsnRow",
    "myasn_rows",
    "myasn_table",
    "siasn_date",
]

#: SIASN ``jenisDiklatId`` -> the type's name (DOMAIN.md, "SIASN training types").
SIASN_TRAINING_TYPES: Mapping[int, str] = MappingProxyType(
    {
        1: "Diklat Struktural",
        2: "Diklat Fungsional",
        3: "Diklat Teknis",
        4: "Workshop",
        5: "Diklat Manajerial",
        6: "Diklat Sosial Kultural",
        7: "Sosialisasi",
        8: "Bimbingan Teknis",
        9: "Seminar",
        10: "Magang",
        11: "Kursus",
        12: "Penataran",
        13: "Pelatihan Klasikal Lainnya",
        14: "Coaching",
        15: "Mentoring",
        16: "E-Learning",
        17: "Pelatihan Jarak Jauh",
        18: "Detasering (Secondment)",
        19: "Pembelajaran Alam Terbuka (Outbond)",
        20: "Patok Banding (Benchmarking)",
        21: "Pertukaran PNS dengan Pegawai Swasta/BUMN/BUMD",
        22: "Belajar Mandiri (Self Development)",
        23: "Komunitas Belajar (Community of Practices)",
        24: "Bimbingan di Tempat Kerja",
        25: "Pelatihan Nonklasikal Lainnya",
    }
)

_P = DevelopmentPath
# Every path has a type. 23 paths have their own id; the two without one:
# * fgd: Perwal 74/2022 Pasal 22 ayat (3) huruf l lists diskusi kelompok terarah among the
#   nonklasikal forms, and SIASN has no FGD type: 25 "Pelatihan Nonklasikal Lainnya";
# * pendidikan_tinggi (tugas belajar) is no diklat at all (the degree belongs in MyASN's Riwayat
#   Pendidikan), but a document crediting its JP is pushed like the others: lectures are
#   face-to-face learning, so 13 "Pelatihan Klasikal Lainnya".
# Konferensi, sarasehan and webinar travel with seminar (9); lokakarya with workshop (4).
SIASN_TYPE_OF_PATH: Mapping[DevelopmentPath, int] = MappingProxyType(
    {
        _P.PELATIHAN_STRUKTURAL: 1,
        _P.PELATIHAN_FUNGSIONAL: 2,
        _P.PELATIHAN_TEKNIS: 3,
        _P.WORKSHOP: 4,
        _P.PELATIHAN_MANAJERIAL: 5,
        _P.PELATIHAN_SOSIAL_KULTURAL: 6,
        _P.SOSIALISASI: 7,
        _P.BIMBINGAN_TEKNIS: 8,
        _P.SEMINAR: 9,
        _P.MAGANG: 10,
        _P.KURSUS: 11,
        _P.PENATARAN: 12,
        _P.PENDIDIKAN_TINGGI: 13,
        _P.COACHING: 14,
        _P.MENTORING: 15,
        _P.E_LEARNING: 16,
        _P.PELATIHAN_JARAK_JAUH: 17,
        _P.DETASERING: 18,
        _P.OUTBOND: 19,
        _P.PATOK_BANDING: 20,
        _P.PERTUKARAN: 21,
        _P.BELAJAR_MANDIRI: 22,
        _P.KOMUNITAS_BELAJAR: 23,
        _P.BIMBINGAN_TEMPAT_KERJA: 24,
        _P.FGD: 25,
    }
)

#: The MyASN form's fields as seed 002 names them, then what an integrator also needs.
MYASN_COLUMNS = (
    "Jenis Diklat",
    "Nama Diklat",
    "Institusi Penyelenggara",
    "Nomor Sertifikat",
    "Tahun Diklat",
    "Tanggal Mulai",
    "Tanggal Selesai",
    "Durasi (Jam)",
    "Rumpun Diklat",
    "jenisDiklatId",
    "Tautan PDF",
    "Tautan Verifikasi",
)


@dataclass(frozen=True)
class MyAsnRow:
    document_id: str
    jenis_diklat: str
    nama_diklat: str
    institusi_penyelenggara: str
    nomor_sertifikat: str
    tahun_diklat: int
    tanggal_mulai: str  # dd-mm-yyyy
    tanggal_selesai: str  # dd-mm-yyyy
    durasi_jam: Decimal
    rumpun_diklat: str | None
    jenis_diklat_id: int
    pdf_url: str | None
    verify_url: str


def siasn_date(day: date) -> str:
    """SIASN's date form: ``02-03-2026``."""
    return day.strftime("%d-%m-%Y")


def myasn_rows(documents: Iterable[CreditedDocument], year: int) -> tuple[MyAsnRow, ...]:
    """One row per document that ended in ``year``, by end date then number."""
    ended = sorted(
        (d for d in documents if d.end_date.year == year),
        key=lambda d: (d.end_date, d.start_date, d.number),
    )
    return tuple(_row(d) for d in ended)


def _row(document: CreditedDocument) -> MyAsnRow:
    type_id = SIASN_TYPE_OF_PATH[DevelopmentPath(document.path)]
    return MyAsnRow(
        document_id=str(document.id),
        jenis_diklat=SIASN_TRAINING_TYPES[type_id],
        nama_diklat=document.title,
        institusi_penyelenggara=document.organizer or document.issuer,
        nomor_sertifikat=document.number,
        tahun_diklat=document.end_date.year,
        tanggal_mulai=siasn_date(document.start_date),
        tanggal_selesai=siasn_date(document.end_date),
        durasi_jam=document.jp,
        rumpun_diklat=None,
        jenis_diklat_id=type_id,
        pdf_url=document.pdf_url,
        verify_url=document.verify_url,
    )


def myasn_table(nip: str, year: int, rows: Sequence[MyAsnRow]) -> ExportTable:
    cells: list[tuple[Cell, ...]] = [
        (
            row.jenis_diklat,
            row.nama_diklat,
            row.institusi_penyelenggara,
            row.nomor_sertifikat,
            row.tahun_diklat,
            row.tanggal_mulai,
            row.tanggal_selesai,
            row.durasi_jam,
            row.rumpun_diklat,
            row.jenis_diklat_id,
            row.pdf_url,
            row.verify_url,
        )
        for row in rows
    ]
    return ExportTable.of(f"Riwayat Diklat {year}", f"myasn-{nip}-{year}", MYASN_COLUMNS, cells)
