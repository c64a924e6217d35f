"""The page a phone opens after scanning a document's QR code (GET /v/{token}).

Plain server-rendered HTML in Bahasa Indonesia: no JavaScript, no external assets, everything from
input escaped by Jinja2's autoescape (the template never uses ``|safe`` on data).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from jinja2 import PackageLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from registry.domain.views import PublicDocument, Verification

__all__ = ["render_verify_page"]

_ENV: Final = SandboxedEnvironment(
    loader=PackageLoader("api", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEMPLATE: Final = "verify.html"

_ZONE: Final = ZoneInfo("Asia/Jakarta")

_MONTHS: Final = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

_TYPES: Final = {
    "sttp": "STTP (Surat Tanda Tamat Pelatihan)",
    "sertifikat": "Sertifikat",
    "transkrip": "Transkrip Nilai",
    "piagam": "Piagam",
    "sk": "Surat Keputusan",
    "surat_keterangan": "Surat Keterangan",
}

_SCOPES: Final = {"nasional": "Nasional", "internasional": "Internasional"}


@dataclass(frozen=True)
class _Status:
    word: str
    tone: str  # CSS class: ok | bad | warn | none
    icon: str  # id of an inline SVG drawn by the template


_STATUSES: Final = {
    "valid": _Status("SAH", "ok", "check"),
    "revoked": _Status("DICABUT", "bad", "ban"),
    "superseded": _Status("DIGANTI", "warn", "swap"),
    "invalid": _Status("TIDAK SAH", "bad", "cross"),
    "unknown": _Status("TIDAK DITEMUKAN", "none", "question"),
}

_NIP_RESULTS: Final = {
    "match": ("ok", "NIP cocok dengan dokumen ini."),
    "no_match": ("bad", "NIP tidak cocok."),
    "locked": ("warn", "Terlalu banyak percobaan. Coba lagi dalam satu jam."),
    "not_applicable": ("none", "NIP tidak dapat dicocokkan untuk dokumen ini."),
}


_FILE_RESULTS: Final = {
    "match": ("ok", "Berkas ini sama persis dengan berkas yang diterbitkan untuk dokumen ini."),
    "other_document": ("warn", "Berkas ini diterbitkan untuk dokumen lain, bukan dokumen ini."),
    "no_match": (
        "bad",
        "Berkas ini tidak sama dengan berkas yang diterbitkan: isinya mungkin telah diubah. "
        "Yang berlaku adalah data di halaman ini.",
    ),
    "unreadable": ("bad", "Berkas tidak dapat diperiksa: kirim berkas PDF (maks. 20 MB)."),
}


def render_verify_page(
    verification: Verification,
    *,
    token: str,
    nip_result: str | None = None,
    file_check_url: str | None = None,
    file_result: str | None = None,
) -> str:
    """Render the complete HTML5 verification page for one scanned token."""
    # An unexpected status must never look trustworthy: show it as "TIDAK SAH".
    status_key = verification.status if verification.status in _STATUSES else "invalid"
    status = _STATUSES[status_key]
    document = verification.document
    nip_box = _NIP_RESULTS.get(nip_result) if nip_result is not None else None
    file_box = _FILE_RESULTS.get(file_result) if file_result is not None else None
    token_path = quote(token, safe="")
    return _ENV.get_template(_TEMPLATE).render(
        status_key=status_key,
        word=status.word,
        tone=status.tone,
        icon=status.icon,
        revoked_on=_long_datetime(verification.revoked_at) if verification.revoked_at else None,
        revocation_reason=verification.revocation_reason,
        superseded_by_number=verification.superseded_by_number,
        superseded_by_url=_safe_link(verification.superseded_by_url),
        superseded_on=_long_date(_local(verification.superseded_at).date())
        if verification.superseded_at
        else None,
        details=_details(document) if document is not None else None,
        show_nip_form=document is not None,
        nip_action=f"/v/{token_path}/nip",
        nip_tone=nip_box[0] if nip_box else None,
        nip_message=nip_box[1] if nip_box else None,
        file_check_url=file_check_url,
        file_tone=file_box[0] if file_box else None,
        file_message=file_box[1] if file_box else None,
        json_url=f"/api/v1/verify/{token_path}",
    )


def _details(document: PublicDocument) -> list[tuple[str, str]]:
    rows = [
        ("Nomor", document.number),
        ("Jenis", _TYPES.get(document.type, document.type)),
        ("Nama", document.holder_name),
        ("NIP", document.nip_masked),
        ("Kegiatan", document.title),
        ("Jalur", _readable_path(document.path)),
        ("Lingkup", _SCOPES.get(document.scope, document.scope.capitalize())),
        ("Tanggal", _date_range(document.start_date, document.end_date)),
        ("JP", f"{document.jp.replace('.', ',')} JP"),
    ]
    if document.organizer:
        rows.append(("Penyelenggara", document.organizer))
    rows.append(("Diterbitkan oleh", document.issuer))
    rows.append(("Tanggal terbit", _long_datetime(document.issued_at)))
    return rows


def _readable_path(path: str) -> str:
    text = path.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _long_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _date_range(start: date, end: date) -> str:
    if start == end:
        return _long_date(start)
    return f"{_long_date(start)} – {_long_date(end)}"


def _local(moment: datetime) -> datetime:
    """Convert to Asia/Jakarta; a naive datetime is taken to be UTC (as the registry stores it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_ZONE)


def _long_datetime(moment: datetime) -> str:
    local = _local(moment)
    return f"{_long_date(local.date())} pukul {local:%H.%M} WIB"


def _safe_link(url: str | None) -> str | None:
    """Only http(s) or same-site links become hrefs (autoescape does not stop ``javascript:``)."""
    if not url:
        return None
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("http", "https") or (scheme == "" and url.startswith("/")):
        return url
    return None
