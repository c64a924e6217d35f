"""The Kartu Data Pengembangan Kompetensi of one employee and one year, as a template prints it.

The card is the form of seed 002 (DPUPR Kutai Barat 2024, bab III.B): "A. Informasi
Kepegawaian" (name, NIP/NI PPPK, rank, place and date of birth, sex; here also position and
unit), "B. Informasi Pengembangan Kompetensi" (a row per activity), "C. Jumlah Jam Pelatihan
Tahunan", the employee's declaration, and two signatures: the employee who reports and, under
"Mengetahui", the head of the unit.

A row is one valid document of the registry. Its JP is what the document counts in the card's
year (:meth:`CreditedDocument.credited_in`), so the card's total is the sum the yearly JP report
gives; where that differs from the JP printed on the document (a cap across documents, a log that
spans two years) the printed figure follows in brackets, and a note under the table says so.

The seed's columns that the registry cannot know are left out rather than printed blank or
guessed: "Masa Berlaku Sertifikat", "Salinan Terlampir (Ya/Tidak)" and "Telah diupload pada
myasn.bkn.go.id (Ya/Tidak)". "Tahun Pengembangan Kompetensi" is the card's year, in its title.

Pure: no I/O and no clock; callers pass ``today`` and the printing date in the configured zone.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from registry.domain.agency import AgencyIdentity, Signer
from registry.domain.content import PATH_LABELS
from registry.domain.credits import CreditedDocument
from registry.domain.details import NONKLASIKAL_PATHS
from registry.domain.errors import InvalidInput
from registry.domain.formatting import (
    jp_with_words,
    long_date,
    number_id,
    without_lone_last_word,
)
from registry.domain.nip import format_nip

__all__ = [
    "DECLARATION",
    "FIRST_YEAR",
    "KARTU_TEMPLATE",
    "CardHolder",
    "CardRow",
    "IssueFacts",
    "card_context",
    "card_rows",
    "card_total",
    "parse_year",
    "sample_card_context",
]

KARTU_TEMPLATE = "kartu_data.docx"
TITLE = "KARTU DATA PENGEMBANGAN KOMPETENSI"

#: The employee's declaration, word for word as the form of seed 002 prints it.
DECLARATION = (
    "Dengan ini saya menyatakan informasi yang telah saya sampaikan adalah benar dan dapat "
    "dipertanggung-jawabkan dan telah di upload sebagai bukti dukung e-kinerja dan MyASN."
)

#: Earliest year a card is made for: the registry's documents begin long after it, and an older
#: year is a typing mistake rather than a question.
FIRST_YEAR = 2000

_GENDERS = {"1": "Laki-laki", "2": "Perempuan"}


@dataclass(frozen=True)
class CardHolder:
    """Who the card is for: the roster's entry where rostered, else the latest document's."""

    nip: str  # 18 digits
    employment: str  # "pns" | "pppk"
    name: str
    rank: str | None = None
    position: str | None = None
    unit: str | None = None
    birth_place: str | None = None


@dataclass(frozen=True)
class IssueFacts:
    """When and where a document was issued (its "Tanggal" and "Tempat Terbit Sertifikat")."""

    issued_on: date  # local date of issuance
    city: str | None  # the place printed on it; None for a stamped PDF made elsewhere


@dataclass(frozen=True)
class CardRow:
    number: str
    title: str
    path: str
    scope: str
    organizer: str
    start_date: date
    end_date: date
    #: What the document counts in the card's year.
    jp: Decimal
    #: What the document prints.
    printed_jp: Decimal
    issued_on: date
    city: str | None


def parse_year(value: str | None, *, today: date) -> int:
    """The card's year: ``today``'s when absent; a four-digit year from 2000 to this one."""
    if value is None or not value.strip():
        return today.year
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise InvalidInput(f"Tahun harus empat digit angka, mis. {today.year}", field="year")
    year = int(text)
    if not FIRST_YEAR <= year <= today.year:
        raise InvalidInput(
            f"Tahun harus antara {FIRST_YEAR} dan {today.year} (diterima {year})", field="year"
        )
    return year


def card_rows(
    documents: Sequence[CreditedDocument], year: int, facts: Mapping[uuid.UUID, IssueFacts]
) -> list[CardRow]:
    """A row per document, in the order given (``credited_documents``: by end date)."""
    return [
        CardRow(
            number=document.number,
            title=document.title,
            path=document.path,
            scope=document.scope,
            # Documents printed without an organiser name the issuing agency as the organiser.
            organizer=document.organizer or document.issuer,
            start_date=document.start_date,
            end_date=document.end_date,
            jp=document.credited_in(year),
            printed_jp=document.jp,
            issued_on=facts[document.id].issued_on,
            city=facts[document.id].city,
        )
        for document in documents
    ]


def card_total(rows: Sequence[CardRow]) -> Decimal:
    return sum((row.jp for row in rows), Decimal(0))


def _numeric_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _dates_text(start: date, end: date) -> str:
    """The form's "Tgl/Bln/Thn s.d. Tgl/Bln/Thn"; one date for a one-day activity."""
    if start == end:
        return _numeric_date(start)
    return f"{_numeric_date(start)} s.d. {_numeric_date(end)}"


def _birth_text(holder: CardHolder) -> str:
    digits = holder.nip
    try:
        born = long_date(date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8])))
    except ValueError:
        return holder.birth_place or "-"
    return f"{holder.birth_place}, {born}" if holder.birth_place else born


def _row_context(index: int, row: CardRow) -> dict[str, str]:
    group = "Nonklasikal" if row.path in NONKLASIKAL_PATHS else "Klasikal"
    return {
        "no": str(index),
        "title": row.title,
        "path_label": PATH_LABELS.get(row.path, row.path),
        "path_group": f"{group}, internasional" if row.scope == "internasional" else group,
        "organizer": row.organizer,
        "dates_text": _dates_text(row.start_date, row.end_date),
        "jp_text": number_id(row.jp),
        "printed_jp_text": "" if row.jp == row.printed_jp else f"({number_id(row.printed_jp)})",
        "number": row.number,
        "issued_text": long_date(row.issued_on),
        "city": row.city or "-",
    }


def _signer_context(signer: Signer) -> dict[str, str]:
    return {
        "name": signer.name,
        "nip_label": "NI PPPK" if signer.employment == "pppk" else "NIP",
        "nip_text": format_nip(signer.nip, signer.employment),
        "rank": signer.rank,
        "position": without_lone_last_word(signer.position),
    }


def card_context(
    holder: CardHolder,
    rows: Sequence[CardRow],
    *,
    year: int,
    identity: AgencyIdentity,
    signer: Signer | None,
    printed_on: date,
) -> dict[str, Any]:
    """The plain context ``kartu_data.docx`` is rendered with.

    ``signer`` is the head of the employee's unit when the unit has one configured; without one
    the agency's signer of ``agency.toml`` signs under "Mengetahui".
    """
    pppk = holder.employment == "pppk"
    total = card_total(rows)
    printed = long_date(printed_on)
    return {
        "title": TITLE,
        "year": str(year),
        "agency": {
            "government_line": identity.government_line,
            "name": identity.name,
            "short_name": identity.short_name,
            "address": identity.address,
            "contact_line": identity.contact_line,
            "city": identity.city,
        },
        "holder": {
            "name": holder.name,
            "nip_label": "NI PPPK" if pppk else "NIP",
            "nip_text": format_nip(holder.nip, holder.employment),
            "rank_label": "Golongan" if pppk else "Pangkat dan Golongan Ruang",
            "rank": holder.rank or "-",
            "birth_text": _birth_text(holder),
            "gender": _GENDERS.get(holder.nip[14:15], "-"),
            "position": holder.position or "-",
            "unit": holder.unit or "-",
        },
        "rows": [_row_context(index, row) for index, row in enumerate(rows, start=1)],
        "any_printed_jp": any(row.jp != row.printed_jp for row in rows),
        "total_jp_text": number_id(total),
        "total_text": jp_with_words(total),
        "declaration": DECLARATION,
        "place_and_date": f"{identity.city}, {printed}",
        "signer": _signer_context(signer or identity.signer),
        "footer_note": f"Disusun dari dokumen sah yang tercatat di registri "
        f"{identity.short_name} pada {printed}. Keaslian setiap dokumen dapat diperiksa "
        "melalui kode QR yang tercetak pada dokumen tersebut.",
    }


def sample_card_context(identity: AgencyIdentity) -> dict[str, Any]:
    """A realistic card for ``templates check`` and the rendered sample; invented people.

    The names carry ``&`` and ``<`` so the check exercises escaping, like the documents' samples.
    """
    holder = CardHolder(
        nip="198503152010012012",
        employment="pns",
        name="Dr. Siti Rahmawati, S.Kom., M.T.",
        rank="Penata Tingkat I (III/d)",
        position="Analis Kebijakan Ahli Muda",
        unit="Dinas Komunikasi & Informatika",
        birth_place="Bandung",
    )
    bpsdm = "Badan Pengembangan Sumber Daya Manusia Provinsi Contoh"
    # In the order the card lists them: by the end of the activity.
    samples: list[tuple[str, str, str, str, date, date, str, str, date]] = [
        (
            "00098/SERT/BPSDM/2024",
            "E-Learning Pengetahuan Antikorupsi Dasar dan Integritas",
            "e_learning",
            "Komisi Pemberantasan Korupsi",
            date(2024, 3, 29),
            date(2024, 3, 29),
            "3",
            "3",
            date(2024, 4, 2),
        ),
        (
            "00123/STTP/BPSDM/2024",
            "Pelatihan Teknis Analisis Data & Statistik Sektoral",
            "pelatihan_teknis",
            bpsdm,
            date(2024, 4, 22),
            date(2024, 4, 26),
            "40",
            "40",
            date(2024, 5, 3),
        ),
        (
            "00456/SERT/BPSDM/2024",
            "Seminar Nasional Transformasi Digital Pelayanan Publik",
            "seminar",
            f"{bpsdm} & Universitas Contoh",
            date(2024, 4, 29),
            date(2024, 4, 30),
            "8",
            "8",
            date(2024, 5, 6),
        ),
        (
            "800.2.3/0007/DISKOMINFO/VI/2024",
            "Pengelolaan Aplikasi & Layanan <SPBE>",
            "coaching",
            "Dinas Komunikasi & Informatika",
            date(2024, 5, 6),
            date(2024, 6, 3),
            "4",
            "6",
            date(2024, 6, 10),
        ),
    ]
    rows = [
        CardRow(
            number=number,
            title=title,
            path=path,
            scope="nasional",
            organizer=organizer,
            start_date=start,
            end_date=end,
            jp=Decimal(jp),
            printed_jp=Decimal(printed),
            issued_on=issued,
            city=identity.city,
        )
        for number, title, path, organizer, start, end, jp, printed, issued in samples
    ]
    head = Signer(
        name="Ir. Bambang Sutrisno, M.M.",
        nip="197502102000031003",
        rank="Pembina Utama Muda (IV/c)",
        position="Kepala Dinas Komunikasi dan Informatika",
    )
    return card_context(
        holder, rows, year=2024, identity=identity, signer=head, printed_on=date(2024, 12, 20)
    )
