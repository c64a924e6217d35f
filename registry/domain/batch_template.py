"""What the downloadable participant-list template says: its columns, an example row, the help.

The template is written by :func:`registry.adapters.spreadsheets.participant_template_xlsx`; the
columns are those of :data:`~registry.domain.batch_rows.PARTICIPANT_COLUMNS`, under their canonical
names (the names the reader's error messages use), and the help sheet ("Petunjuk") lists the
Indonesian names the reader also accepts. The example row is a valid participant of every
document type (it has no ``score``, which only an STTP or transkrip may carry) and says in its
name that it is to be deleted.

Pure: data only.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.domain.batch_rows import MAX_ROWS, PARTICIPANT_COLUMNS
from registry.domain.formatting import PREDIKAT_SCALE, number_id

__all__ = [
    "EXAMPLE_NIP",
    "TEMPLATE_COLUMNS",
    "TEMPLATE_FILENAME",
    "TEMPLATE_NOTES",
    "TemplateColumn",
]

TEMPLATE_FILENAME = "templat-daftar-peserta.xlsx"
#: The example row's NIP (a valid PNS NIP: born 15 March 1985, appointed January 2010, male, 012).
EXAMPLE_NIP = "198503152010011012"


@dataclass(frozen=True)
class TemplateColumn:
    name: str
    required: bool
    #: What to type, in Indonesian.
    description: str
    #: The example row's cell ("" leaves it empty).
    example: str
    #: Characters wide in the sheet.
    width: int
    #: When only some values are allowed: a spreadsheet drop-down offers them.
    choices: tuple[str, ...] = ()

    @property
    def aliases(self) -> tuple[str, ...]:
        return PARTICIPANT_COLUMNS.aliases[self.name]


_SCALE = ", ".join(
    f"{'≥ ' + number_id(bound) if bound else 'di bawah ' + number_id(PREDIKAT_SCALE[-2][0])}: "
    f"{label}"
    for bound, label in PREDIKAT_SCALE
)

TEMPLATE_COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn(
        "nip",
        True,
        "NIP (PNS) atau NI PPPK, 18 digit; spasi di antara digit boleh. Kolom ini berformat Teks: "
        "ketik atau tempel NIP apa adanya. Jangan ubah menjadi Angka, karena Excel hanya "
        "menyimpan 15 digit angka dan NIP yang terpotong ditolak.",
        EXAMPLE_NIP,
        22,
    ),
    TemplateColumn(
        "name",
        True,
        "Nama lengkap dengan gelar, persis seperti akan dicetak pada dokumen.",
        "Contoh Peserta, S.Kom. (hapus baris ini)",
        40,
    ),
    TemplateColumn(
        "position", False, "Jabatan peserta, mis. Analis Kebijakan Ahli Pertama.", "Analis", 32
    ),
    TemplateColumn("unit", False, "Unit kerja peserta.", "Dinas Pekerjaan Umum", 32),
    TemplateColumn(
        "employment",
        False,
        "Status kepegawaian: pns atau pppk. Kosongkan bila tidak tahu: status dibaca dari NIP.",
        "pns",
        14,
        choices=("pns", "pppk"),
    ),
    TemplateColumn(
        "jp",
        False,
        "JP peserta ini, bila berbeda dari JP kegiatan (mis. hadir sebagian): angka, desimal "
        "dengan koma atau titik (2,5). Kosongkan untuk memakai JP kegiatan.",
        "",
        10,
    ),
    TemplateColumn(
        "score",
        False,
        "Nilai akhir 0-100 (85,5 atau 85.5). Hanya untuk STTP dan transkrip: untuk jenis "
        "dokumen lain kolom ini harus kosong di semua baris (atau dihapus).",
        "",
        10,
    ),
    TemplateColumn(
        "predikat",
        False,
        f"Predikat seperti dicetak, mis. Sangat Memuaskan. Kosongkan untuk predikat menurut nilai "
        f"({_SCALE}).",
        "",
        20,
    ),
    TemplateColumn("rank", False, "Pangkat/golongan, mis. Penata (III/c).", "Penata (III/c)", 22),
    TemplateColumn(
        "birth_place",
        False,
        "Tempat lahir; tanggal lahir diambil dari NIP.",
        "Tangerang",
        18,
    ),
)

#: The help sheet's opening lines, one a row.
TEMPLATE_NOTES: tuple[str, ...] = (
    "Petunjuk pengisian daftar peserta penerbitan massal",
    "1. Satu baris per peserta, mulai baris 2 lembar 'Peserta'. Baris 1 adalah judul kolom: "
    "jangan diubah.",
    "2. Baris 2 adalah contoh: hapus atau timpa sebelum mengunggah, agar tidak ikut diterbitkan.",
    "3. Kolom wajib: nip dan name. Kolom lain boleh dikosongkan atau dihapus; kolom yang tidak "
    "tercantum di bawah ditolak.",
    f"4. Paling banyak {number_id(MAX_ROWS)} peserta per unggahan. NIP yang sama dua kali ditolak.",
    "5. Simpan sebagai .xlsx, atau sebagai 'CSV UTF-8' (pemisah koma atau titik koma).",
    "6. Semua baris diperiksa dulu: bila satu baris salah, tidak ada dokumen yang diterbitkan dan "
    "baris serta kolom yang salah disebutkan.",
)
