"""Sample documents for ``templates check``, tests and documentation.

The people, numbers and places are invented. Names carry academic titles as typed, and ``&`` and
``<`` appear in titles, units and subjects so that every template is exercised with characters
that must be escaped in the DOCX XML.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from registry.domain.content import DocumentContent, template_name_for
from registry.domain.details import validate_details
from registry.domain.jp import DEFAULT_RULE_SET
from registry.domain.short_codes import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH

__all__ = ["sample"]

_HOST = "https://verifikasi.bpsdm.contoh.go.id"
_TRAINING = "Pelatihan Teknis Analisis Data & Statistik Sektoral"
_ORGANIZER = "Badan Pengembangan Sumber Daya Manusia Provinsi Contoh"
_SUBJECTS: list[dict[str, Any]] = [
    {"name": "Kebijakan Satu Data Indonesia", "jp": "6", "score": "91.5"},
    {"name": "Statistik Deskriptif", "jp": "8", "score": "88"},
    {"name": "Statistik Sampel Kecil (n < 30) & Uji Hipotesis", "jp": "8", "score": "84.25"},
    {"name": "Visualisasi Data dan Dasbor Kinerja", "jp": "10", "score": "79"},
    {"name": "Aktualisasi dan Rencana Tindak Lanjut", "jp": "8", "score": "90"},
]
_COMMON = {
    "place": "Kampus BPSDM Provinsi Contoh, Kota Contoh",
    "birth_place": "Bandung",
    "rank": "Penata Tingkat I (III/d)",
}
_APPENDIX = [
    ("Dr. Siti Rahmawati, S.Kom., M.T.", "198503152010012012", "Analis Kebijakan Ahli Muda"),
    ("Ahmad Fauzi, S.T.", "198711022011011003", "Pranata Komputer Ahli Pertama"),
    ("Dewi Lestari, S.E., M.Ak.", "199001252015032001", "Analis Keuangan"),
    ("Yohanes Maturbongs, S.Si.", "198902142014021002", "Statistisi Ahli Pertama"),
    ("I Gusti Ayu Made Sari, S.Stat.", "199204302019032004", "Statistisi Ahli Pertama"),
    ("Muhammad Rizky Pratama, A.Md.", "199506182020121005", "Pengelola Data"),
    ("Ni Luh Putu Widiastuti, S.Sos.", "198808082012122001", "Analis Data & Informasi"),
    ("Rina Kartika, A.Md.Kom.", "199009132025242014", "Pranata Komputer Terampil"),
]


def _token(seed: str) -> str:
    """A stand-in QR token of the real length (108 base64url characters, no padding)."""
    raw = b"\x01" + hashlib.sha256(seed.encode()).digest()[:16]
    raw += hashlib.sha512(seed.encode()).digest()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _short_code(seed: str) -> str:
    """A stand-in short code as issued: Crockford base32, of the real length."""
    digest = hashlib.sha256(b"short/" + seed.encode()).digest()
    return "".join(
        SHORT_CODE_ALPHABET[byte % len(SHORT_CODE_ALPHABET)] for byte in digest[:SHORT_CODE_LENGTH]
    )


def _base(kind: str) -> DocumentContent:
    url = f"{_HOST}/v/{_token(kind)}"
    return DocumentContent(
        type="sttp",
        number="00123/STTP/BPSDM/2024",
        issued_on=date(2024, 5, 3),
        holder_name="Dr. Siti Rahmawati, S.Kom., M.T.",
        nip="198503152010012012",
        employment="pns",
        holder_position="Analis Kebijakan Ahli Muda",
        holder_unit="Bidang Statistik & Persandian, Dinas Komunikasi dan Informatika",
        title=_TRAINING,
        path="pelatihan_teknis",
        scope="nasional",
        start_date=date(2024, 4, 22),
        end_date=date(2024, 4, 26),
        jp=Decimal(40),
        jp_rules=DEFAULT_RULE_SET,
        organizer=_ORGANIZER,
        details={},
        verify_url=url,
        short_url=f"{_HOST}/v/{_short_code(kind)}",
    )


def _sk_details() -> dict[str, Any]:
    return {
        "about": f"Penetapan Peserta {_TRAINING} Tahun 2024",
        "considering": [
            "bahwa dalam rangka meningkatkan kompetensi teknis aparatur sipil negara di bidang "
            "pengelolaan data dan statistik sektoral perlu diselenggarakan "
            f"{_TRAINING} Tahun 2024;",
            "bahwa pegawai yang namanya tercantum dalam lampiran keputusan ini telah memenuhi "
            "persyaratan untuk mengikuti pelatihan tersebut;",
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, "
            "perlu menetapkan Keputusan Kepala Badan tentang Penetapan Peserta "
            f"{_TRAINING} Tahun 2024;",
        ],
        "legal_basis": [
            "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara (Lembaran Negara "
            "Republik Indonesia Tahun 2023 Nomor 141, Tambahan Lembaran Negara Republik "
            "Indonesia Nomor 6897);",
            "Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil "
            "sebagaimana telah diubah dengan Peraturan Pemerintah Nomor 17 Tahun 2020;",
            "Peraturan Lembaga Administrasi Negara Nomor 10 Tahun 2018 tentang Pengembangan "
            "Kompetensi Pegawai Negeri Sipil;",
        ],
        "noting": ["Rencana Pengembangan Kompetensi Badan Tahun 2024."],
        "decisions": [
            f"Menetapkan peserta {_TRAINING} Tahun 2024 sebagaimana tercantum dalam Lampiran "
            "yang merupakan bagian tidak terpisahkan dari Keputusan ini.",
            "Peserta sebagaimana dimaksud dalam Diktum KESATU wajib mengikuti seluruh rangkaian "
            "pelatihan pada tanggal 22 sampai dengan 26 April 2024.",
            "Segala biaya yang timbul akibat ditetapkannya Keputusan ini dibebankan pada "
            "Dokumen Pelaksanaan Anggaran Badan Tahun Anggaran 2024.",
        ],
        "appendix_title": f"DAFTAR PESERTA {_TRAINING.upper()} TAHUN 2024",
        "appendix": [
            {
                "name": name,
                "nip": nip,
                "employment": "pppk" if nip[8:12] >= "2019" and "Terampil" in position else "pns",
                "position": position,
                "unit": "Dinas Kominfo & Statistik",
            }
            for name, nip, position in _APPENDIX
        ],
    }


def _letter(path: str) -> DocumentContent:
    """A surat keterangan on a nonklasikal path, by a PPPK employee for variety."""
    base = replace(
        _base(f"surat_keterangan/{path}"),
        type="surat_keterangan",
        number="800.2.3/0007/DISKOMINFO/VI/2025",
        issued_on=date(2025, 6, 10),
        holder_name="Rina Kartika, A.Md.Kom.",
        nip="199009132025242014",
        employment="pppk",
        holder_position="Pranata Komputer Terampil",
        organizer=None,
    )
    details: dict[str, Any] = {"rank": "VII"}
    if path in ("coaching", "mentoring"):
        person = {
            "name": "Ir. Bambang Sutrisno, M.M.",
            "nip": "197502102000031003",
            "position": "Kepala Bidang Aplikasi Informatika",
        }
        topics = [
            "Penyusunan rencana kerja & target kinerja triwulan",
            "Tata kelola aset aplikasi <SPBE>",
            "Evaluasi capaian dan umpan balik",
        ]
        dates = ["2025-05-06", "2025-05-20", "2025-06-03"]
        details["coach" if path == "coaching" else "mentor"] = person
        details["sessions"] = [
            {"date": d, "topic": t, "jp": "2"} for d, t in zip(dates, topics, strict=True)
        ]
        title = "Pengelolaan Aplikasi & Layanan SPBE"
        return replace(
            base,
            title=title,
            path=path,
            start_date=date(2025, 5, 6),
            end_date=date(2025, 6, 3),
            jp=Decimal(6),
            details=validate_details("surat_keterangan", path, details),
        )
    if path == "belajar_mandiri":
        details["description"] = (
            'Mempelajari secara mandiri kursus daring "Data Science for Public Policy" yang '
            "diselenggarakan oleh perguruan tinggi luar negeri, meliputi modul pembersihan data, "
            "regresi & visualisasi, dengan bukti tangkapan layar kemajuan belajar dan catatan "
            "ringkasan materi."
        )
        details["sessions"] = [
            {"date": d, "topic": t, "jp": "2.4"}
            for d, t in (
                ("2025-05-12", "Modul 1: Pembersihan data"),
                ("2025-05-13", "Modul 2: Regresi & inferensi"),
                ("2025-05-14", "Modul 3: Visualisasi untuk kebijakan"),
            )
        ]
        return replace(
            base,
            title="Data Science for Public Policy",
            path=path,
            scope="internasional",
            start_date=date(2025, 5, 12),
            end_date=date(2025, 5, 14),
            jp=Decimal("7.2"),
            details=validate_details("surat_keterangan", path, details),
        )
    if path == "komunitas_belajar":
        return _community_letter(base, details)
    if path == "bimbingan_tempat_kerja":
        return _workplace_guidance_letter(base, details)
    details["description"] = (
        "Menyelesaikan seluruh modul e-learning dan evaluasi akhir, dengan sertifikat "
        "penyelesaian dari penyelenggara."
    )
    return replace(
        base,
        title="Manajemen Risiko Sektor Publik",
        path=path,
        start_date=date(2025, 5, 21),
        end_date=date(2025, 5, 22),
        organizer="Lembaga Administrasi Negara Republik Indonesia",
        jp=Decimal(6),
        details=validate_details("surat_keterangan", path, details),
    )


def _community_letter(base: DocumentContent, details: dict[str, Any]) -> DocumentContent:
    """Komunitas belajar: the meetings of a community of practice, a day each."""
    details["description"] = (
        "Berbagi pengetahuan dan pengalaman dalam komunitas belajar pranata komputer lingkup "
        "pemerintah provinsi tentang keamanan informasi & pengelolaan insiden siber."
    )
    details["place"] = "Ruang Rapat Dinas Komunikasi dan Informatika"
    details["sessions"] = [
        {"date": d, "topic": t, "jp": "2"}
        for d, t in (
            ("2025-05-07", "Berbagi praktik baik: klasifikasi insiden siber"),
            ("2025-05-21", "Diskusi: rencana tanggap insiden <CSIRT> daerah"),
            ("2025-06-04", "Penyusunan catatan pembelajaran bersama"),
        )
    ]
    return replace(
        base,
        title="Keamanan Informasi Pemerintah Daerah",
        path="komunitas_belajar",
        start_date=date(2025, 5, 7),
        end_date=date(2025, 6, 4),
        jp=Decimal(6),
        details=validate_details("surat_keterangan", "komunitas_belajar", details),
    )


def _workplace_guidance_letter(base: DocumentContent, details: dict[str, Any]) -> DocumentContent:
    """Bimbingan di tempat kerja: assignments guided by the direct superior, 1 JP each. Only the
    kubar-2024 guideline (seed 002) has the path, so the sample is credited under it."""
    details["supervisor"] = {
        "name": "Ir. Bambang Sutrisno, M.M.",
        "nip": "197502102000031003",
        "position": "Kepala Bidang Aplikasi Informatika",
    }
    details["sessions"] = [
        {"date": d, "topic": t, "jp": "1"}
        for d, t in (
            ("2025-04-14", "Penugasan: inventarisasi aplikasi & server perangkat daerah"),
            ("2025-05-12", "Penugasan: penyusunan SOP pencadangan data"),
            ("2025-06-02", "Laporan hasil penugasan dan umpan balik atasan"),
        )
    ]
    return replace(
        base,
        title="Pengelolaan Aset Aplikasi Perangkat Daerah",
        path="bimbingan_tempat_kerja",
        start_date=date(2025, 4, 14),
        end_date=date(2025, 6, 2),
        jp=Decimal(3),
        jp_rules="kubar-2024",
        details=validate_details("surat_keterangan", "bimbingan_tempat_kerja", details),
    )


def sample(type: str, path: str | None = None) -> DocumentContent:
    """The sample for ``type``; ``path`` picks the kind of surat keterangan (default coaching)."""
    template_name_for(type, path or "")  # refuses an unknown type
    if type == "surat_keterangan":
        return _letter(path or "coaching")
    base = _base(type)
    numbers = {
        "sttp": "00123/STTP/BPSDM/2024",
        "sertifikat": "00456/SERT/BPSDM/2024",
        "transkrip": "00124/TRANS/BPSDM/2024",
        "piagam": "00012/PGM/BPSDM/2024",
        "sk": "800.2.1/0042/BPSDM/V/2024",
    }
    details: dict[str, Any] = dict(_COMMON)
    if type == "sttp":
        details.update(final_score="92.4", subjects=_SUBJECTS)
    elif type == "transkrip":
        details.update(subjects=_SUBJECTS, final_score="86.55")
    elif type == "piagam":
        details["achievement"] = "Peserta Terbaik I"
    elif type == "sk":
        details = _sk_details()
    elif type == "sertifikat":
        details["place"] = "Aula Universitas Contoh & Daring melalui Zoom"
        base = replace(
            base,
            title="Seminar Nasional Transformasi Digital Pelayanan Publik",
            path="seminar",
            start_date=date(2024, 4, 29),
            end_date=date(2024, 4, 30),
            jp=Decimal(8),
            organizer=f"{_ORGANIZER} & Universitas Contoh",
        )
    return replace(
        base,
        type=type,
        number=numbers[type],
        details=validate_details(type, base.path, details),
    )
