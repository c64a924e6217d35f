"""What a document template may print, and the plain context a template is rendered with.

:func:`build_context` returns only JSON values (strings, lists, dicts), so the caller can store the
context next to the document and re-render the same file later. Every context has the same
top-level keys whatever the document type (absent things are ``""``, ``[]`` or ``"-"``), because
the templates run under ``StrictUndefined``: a name the context lacks is an error, not a blank.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from registry.domain.agency import AgencyIdentity, Signer
from registry.domain.decimals import plain_decimal
from registry.domain.details import NONKLASIKAL_PATHS, validate_details
from registry.domain.errors import InvalidInput
from registry.domain.formatting import (
    date_span,
    jp_with_words,
    keep_on_one_line,
    long_date,
    number_id,
    predikat,
    terbilang,
    without_lone_last_word,
)
from registry.domain.jp import DevelopmentPath
from registry.domain.nip import format_nip
from registry.domain.numbering import DOCUMENT_TYPES

__all__ = [
    "DEFAULT_LEGAL_BASIS",
    "PATH_LABELS",
    "TYPE_LABELS",
    "DocumentContent",
    "build_context",
    "display_url",
    "letter_label",
    "ordinal_label",
    "sample_content",
    "template_name_for",
    "validate_details",
]

TYPE_LABELS = {
    "sttp": "SURAT TANDA TAMAT PELATIHAN",
    "sertifikat": "SERTIFIKAT",
    "transkrip": "TRANSKRIP NILAI",
    "piagam": "PIAGAM PENGHARGAAN",
    "sk": "KEPUTUSAN",
    "surat_keterangan": "SURAT KETERANGAN",
}

_P = DevelopmentPath
PATH_LABELS: Mapping[str, str] = {
    _P.PENDIDIKAN_TINGGI: "Pendidikan Tinggi",
    _P.PELATIHAN_STRUKTURAL: "Pelatihan Struktural Kepemimpinan",
    _P.PELATIHAN_MANAJERIAL: "Pelatihan Manajerial",
    _P.PELATIHAN_TEKNIS: "Pelatihan Teknis",
    _P.PELATIHAN_FUNGSIONAL: "Pelatihan Fungsional",
    _P.PELATIHAN_SOSIAL_KULTURAL: "Pelatihan Sosial Kultural",
    _P.SEMINAR: "Seminar/Konferensi/Sarasehan",
    _P.WORKSHOP: "Workshop/Lokakarya",
    _P.KURSUS: "Kursus",
    _P.PENATARAN: "Penataran",
    _P.BIMBINGAN_TEKNIS: "Bimbingan Teknis",
    _P.SOSIALISASI: "Sosialisasi",
    _P.COACHING: "Coaching",
    _P.MENTORING: "Mentoring",
    _P.E_LEARNING: "E-Learning",
    _P.PELATIHAN_JARAK_JAUH: "Pelatihan Jarak Jauh",
    _P.DETASERING: "Detasering (Secondment)",
    _P.OUTBOND: "Pembelajaran Alam Terbuka (Outbond)",
    _P.PATOK_BANDING: "Patok Banding (Benchmarking)",
    _P.PERTUKARAN: "Pertukaran Pegawai",
    _P.BELAJAR_MANDIRI: "Belajar Mandiri",
    _P.KOMUNITAS_BELAJAR: "Komunitas Belajar",
    _P.BIMBINGAN_TEMPAT_KERJA: "Bimbingan di Tempat Kerja",
    _P.MAGANG: "Magang/Praktik Kerja",
    _P.FGD: "Diskusi Kelompok Terarah (FGD)",
}

#: The regulation each JP rule set comes from, printed as the legal basis of a surat keterangan
#: unless the details or agency.toml give another (titles as in seeds 003 and 002).
DEFAULT_LEGAL_BASIS: Mapping[str, tuple[str, ...]] = {
    "tangsel-2022": (
        "Peraturan Wali Kota Tangerang Selatan Nomor 74 Tahun 2022 tentang Manajemen "
        "Pengembangan Kompetensi Aparatur Sipil Negara",
    ),
    "kubar-2024": (
        "Keputusan Kepala Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Kutai Barat Nomor "
        "SK. 800.2.1/1683/DPUPR-KB/V/2024 tentang Pedoman Pengembangan Kompetensi Sumber Daya "
        "Aparatur Secara Berkelanjutan dan Berlandaskan Kebijakan yang Sehat di Lingkungan Dinas "
        "Pekerjaan Umum Kabupaten Kutai Barat",
    ),
}

BSRE_SENTENCE = (
    "Sesuai Undang-Undang Nomor 11 Tahun 2008 tentang Informasi dan Transaksi Elektronik Pasal 5 "
    "ayat (1), informasi elektronik dan/atau dokumen elektronik dan/atau hasil cetaknya merupakan "
    "alat bukti hukum yang sah. Dokumen ini telah ditandatangani secara elektronik menggunakan "
    "sertifikat elektronik yang diterbitkan oleh Balai Besar Sertifikasi Elektronik (BSrE)."
)
_IN_FORCE = "Keputusan ini mulai berlaku pada tanggal ditetapkan."
#: Longest address still printed in the footer sentence; a longer one is only printed by the QR.
_FOOTER_URL_LIMIT = 60
_ACRONYMS = frozenset({"DKI", "DIY", "RI", "NTB", "NTT", "UPT", "UPTD", "BPSDM", "BKPSDM"})
_SMALL_WORDS = frozenset({"dan", "di", "ke", "dari", "pada", "untuk", "serta", "atau", "yang"})
_SPECIFIC_LETTERS = (
    "coaching",
    "mentoring",
    "belajar_mandiri",
    "komunitas_belajar",
    "bimbingan_tempat_kerja",
)


@dataclass(frozen=True)
class DocumentContent:
    """What a template may print; plain data, already validated."""

    type: str  # sttp|sertifikat|transkrip|piagam|sk|surat_keterangan
    number: str
    issued_on: date  # local date of issuance (place-and-date line)
    holder_name: str  # printed exactly as typed
    nip: str  # 18 digits
    employment: str  # "pns" | "pppk"
    holder_position: str | None
    holder_unit: str | None
    title: str  # activity title
    path: str  # registry.domain.jp.DevelopmentPath value
    scope: str  # nasional|internasional
    start_date: date
    end_date: date
    jp: Decimal  # credited JP
    jp_rules: str  # "tangsel-2022" | "kubar-2024"
    organizer: str | None
    details: Mapping[str, Any]  # normalised by validate_details
    verify_url: str  # full URL in the QR
    short_url: str  # printed beside the QR


def ordinal_label(n: int) -> str:
    """Diktum labels of a keputusan: 1 -> KESATU, 2 -> KEDUA, 11 -> KESEBELAS, 12 -> KEDUA BELAS."""
    if n < 1:
        raise ValueError("ordinal labels start at 1")
    return "KE" + terbilang(n).upper()


def letter_label(n: int) -> str:
    """Menimbang labels: 1 -> a, 26 -> z, 27 -> aa."""
    if n < 1:
        raise ValueError("letter labels start at 1")
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def template_name_for(type: str, path: str) -> str:
    """The template file that prints a document of ``type`` on ``path``."""
    if type not in DOCUMENT_TYPES:
        raise InvalidInput(f"Jenis dokumen tidak dikenal: {type!r}", field="type")
    if type != "surat_keterangan":
        return f"{type}.docx"
    if path in _SPECIFIC_LETTERS:
        return f"surat_keterangan_{path}.docx"
    return "surat_keterangan.docx"


def display_url(url: str) -> str:
    """The URL as printed beside the QR: without the scheme (``https://``), otherwise whole."""
    parts = urlsplit(url)
    return url[len(parts.scheme) + 3 :] if parts.scheme and parts.netloc else url


def _title_case(text: str) -> str:
    """``PEMERINTAH PROVINSI DKI JAKARTA`` -> ``Pemerintah Provinsi DKI Jakarta``."""
    words = []
    for index, word in enumerate(text.split()):
        if word in _ACRONYMS:
            words.append(word)
        elif index and word.lower() in _SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append(word.capitalize())
    return " ".join(words)


def _join_id(items: Sequence[str]) -> str:
    """``A``; ``A dan B``; ``A, B, dan C``."""
    if len(items) <= 2:
        return " dan ".join(items)
    return ", ".join(items[:-1]) + ", dan " + items[-1]


def _numbered(items: Sequence[str], label: Callable[[int], str]) -> list[dict[str, str]]:
    return [{"label": label(i), "text": text} for i, text in enumerate(items, start=1)]


def _person(person: Mapping[str, Any] | None) -> dict[str, str]:
    person = person or {}
    nip = person.get("nip", "")
    return {
        "name": person.get("name", ""),
        "nip_text": format_nip(nip) if nip else "",
        "position": person.get("position", ""),
    }


def _birth_text(nip: str, place: str | None) -> str:
    try:
        born = long_date(date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8])))
    except ValueError:
        return place or "-"
    return f"{place}, {born}" if place else born


def _subjects(details: Mapping[str, Any]) -> tuple[list[dict[str, str]], str]:
    rows, total = [], Decimal(0)
    for index, subject in enumerate(details.get("subjects", []), start=1):
        score = subject.get("score")
        total += Decimal(subject["jp"])
        rows.append(
            {
                "no": str(index),
                "name": subject["name"],
                "jp_text": number_id(subject["jp"]),
                "score_text": number_id(score, 2) if score is not None else "-",
                "predikat": subject.get("predikat")
                or (predikat(Decimal(score)) if score is not None else "-"),
            }
        )
    return rows, number_id(total) if rows else ""


def _sk(content: DocumentContent, position: str) -> dict[str, Any]:
    details = content.details
    about = details.get("about", "")
    decisions = list(details.get("decisions", []))
    if decisions and "mulai berlaku" not in decisions[-1].lower():
        decisions.append(_IN_FORCE)
    appendix = [
        {
            "no": str(i),
            "name": row["name"],
            "nip_text": format_nip(row["nip"], row.get("employment", "pns"))
            if row.get("nip")
            else "-",
            "position": row.get("position", "-"),
            "unit": row.get("unit", "-"),
            "remarks": row.get("remarks", ""),
        }
        for i, row in enumerate(_appendix_with_holder(content), start=1)
    ]
    return {
        "decree_title": without_lone_last_word(f"KEPUTUSAN {position.upper()}"),
        "about": about,
        "about_upper": about.upper(),
        "considering": _numbered(details.get("considering", []), lambda i: f"{letter_label(i)}."),
        "legal_basis": _numbered(details.get("legal_basis", []), lambda i: f"{i}."),
        "noting": _numbered(details.get("noting", []), lambda i: f"{i}."),
        "decisions": _numbered(decisions, ordinal_label),
        "appendix_title": details.get("appendix_title") or "DAFTAR NAMA",
        # The activity and its JP under the lampiran title, so the SK states what it credits.
        "appendix_subtitle": f"{content.title}, "
        f"{keep_on_one_line(date_span(content.start_date, content.end_date))}"
        f", {jp_with_words(content.jp)}",
        "appendix": appendix,
    }


def _appendix_with_holder(content: DocumentContent) -> list[Mapping[str, Any]]:
    """The lampiran rows; the registered holder is listed first when the rows omit them."""
    rows: list[Mapping[str, Any]] = list(content.details.get("appendix", []))
    if any(row.get("nip") == content.nip for row in rows):
        return rows
    holder = {
        "name": content.holder_name,
        "nip": content.nip,
        "employment": content.employment,
        "position": content.holder_position or "-",
        "unit": content.holder_unit or "-",
    }
    return [holder, *rows]


def build_context(
    content: DocumentContent, identity: AgencyIdentity, signer: Signer | None = None
) -> dict[str, Any]:
    """The plain, JSON-serialisable context every template is rendered with.

    ``signer`` is who the document is printed in the name of when it is not the agency's signer
    (a surat keterangan of a unit whose head is configured).
    """
    details = content.details
    pppk = content.employment == "pppk"
    signer = signer or identity.signer
    sessions = [
        {
            "no": str(i),
            "date_text": long_date(date.fromisoformat(s["date"])),
            "topic": s.get("topic", "-"),
            "jp_text": number_id(s["jp"]) if s.get("jp") else "-",
        }
        for i, s in enumerate(details.get("sessions", []), start=1)
    ]
    legal_basis = [
        item.rstrip(";.,: ")
        for item in details.get("legal_basis")
        or identity.legal_basis.get(content.jp_rules)
        or DEFAULT_LEGAL_BASIS.get(content.jp_rules, ())
    ]
    subjects, subjects_total = _subjects(details)
    final_score = details.get("final_score")
    # A predikat typed for the document wins over the one the scale gives its final score.
    final_predikat = details.get("predikat") or (
        predikat(Decimal(final_score)) if final_score is not None else ""
    )
    coach, mentor = _person(details.get("coach")), _person(details.get("mentor"))
    supervisor = _person(details.get("supervisor"))
    short_url = content.short_url
    if len(short_url) <= _FOOTER_URL_LIMIT:
        verification = (
            "Keaslian dokumen ini dapat diperiksa dengan memindai kode QR atau membuka "
            f"{short_url}."
        )
    else:
        verification = (
            "Keaslian dokumen ini dapat diperiksa dengan memindai kode QR atau membuka alamat "
            "verifikasi yang tercetak di samping kode QR."
        )
    city = identity.city
    return {
        "type": content.type,
        "type_label": TYPE_LABELS[content.type],
        "number": content.number,
        "issued_on": content.issued_on.isoformat(),
        "issued_on_text": long_date(content.issued_on),
        "city": city,
        "place_and_date": f"{city}, {long_date(content.issued_on)}",
        "holder": {
            "name": content.holder_name,
            "nip": content.nip,
            "nip_label": "NI PPPK" if pppk else "NIP",
            "nip_text": format_nip(content.nip, content.employment),
            "employment_label": "PPPK" if pppk else "PNS",
            "birth_text": _birth_text(content.nip, details.get("birth_place")),
            "rank_label": "Golongan" if pppk else "Pangkat, Golongan/Ruang",
            "rank": details.get("rank") or "-",
            "position": content.holder_position or "-",
            "unit": content.holder_unit or "-",
            "agency": details.get("agency") or _title_case(identity.government_line),
        },
        "activity": {
            "title": content.title,
            "title_upper": content.title.upper(),
            "path": content.path,
            "path_label": PATH_LABELS.get(content.path, content.path),
            "path_group": "Nonklasikal" if content.path in NONKLASIKAL_PATHS else "Klasikal",
            "scope": content.scope,
            "scope_label": content.scope.capitalize(),
            "start_date_text": long_date(content.start_date),
            "end_date_text": long_date(content.end_date),
            "date_span_text": keep_on_one_line(date_span(content.start_date, content.end_date)),
            "days": str((content.end_date - content.start_date).days + 1),
            "place": details.get("place", ""),
            "organizer": content.organizer or "",
        },
        "jp": plain_decimal(content.jp),
        "jp_number": number_id(content.jp),
        "jp_words": terbilang(content.jp),
        "jp_text": jp_with_words(content.jp),
        "jp_text_long": jp_with_words(content.jp, "jam pelajaran"),
        "jp_rules": content.jp_rules,
        "predikat": final_predikat,
        "subjects": subjects,
        "subjects_total_jp_text": subjects_total,
        "final_score_text": number_id(final_score, 2) if final_score is not None else "",
        "final_predikat": final_predikat,
        "achievement": details.get("achievement", ""),
        "sk": _sk(content, signer.position),
        "sessions": sessions,
        "sessions_count_text": f"{len(sessions)} ({terbilang(len(sessions))}) kali"
        if sessions
        else "",
        "coach": coach,
        "mentor": mentor,
        "supervisor": supervisor,
        "guide": next((p for p in (coach, mentor) if p["name"]), supervisor),
        "description": details.get("description", ""),
        "legal_basis": _numbered(legal_basis, lambda i: f"{i}."),
        "legal_basis_text": _join_id(legal_basis),
        "agency": {
            "government_line": identity.government_line,
            "name": identity.name,
            "short_name": identity.short_name,
            "address": identity.address,
            "contact_line": identity.contact_line,
            "city": city,
        },
        "signer": {
            "name": signer.name,
            "nip_label": "NI PPPK" if signer.employment == "pppk" else "NIP",
            "nip_text": format_nip(signer.nip, signer.employment),
            "rank": signer.rank,
            # Printed as a centred heading and over the signature: no word alone on the last line.
            "position": without_lone_last_word(signer.position),
            "position_title": _title_case(signer.position),
        },
        "verify_url": content.verify_url,
        "short_url": short_url,
        "verification_sentence": verification,
        "bsre_sentence": BSRE_SENTENCE if identity.bsre_signed else "",
    }


def sample_content(type: str, path: str | None = None) -> DocumentContent:
    """Realistic sample data for ``type`` (and ``path`` for surat keterangan); see ``samples``."""
    # Imported here because the samples module builds DocumentContent from this one.
    from registry.domain.samples import sample

    return sample(type, path)
