"""The page a phone opens after scanning a document's QR code (GET /v/{token}), and GET /v.

Plain server-rendered HTML in Bahasa Indonesia: no JavaScript, no external assets, everything from
input escaped by Jinja2's autoescape (the template never uses ``|safe`` on data).

When a visitor has just checked a file, that result leads the page, above the document's status:
"the document is SAH" must never be the first thing read about a file that does not match it.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Final
from urllib.parse import quote, urlsplit

from jinja2 import PackageLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from registry.domain.formatting import date_span, long_date, long_datetime, number_id
from registry.domain.short_codes import SHORT_CODE_LENGTH
from registry.domain.views import FileCheck, PublicDocument, Verification, as_utc

__all__ = ["VerifyPage"]

_ENV: Final = SandboxedEnvironment(
    loader=PackageLoader("api", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    # The template ships in the package; checking its mtime cost a stat per render under load.
    auto_reload=False,
)
_TEMPLATE: Final = "verify.html"
_SCANNED_PAGES_KEPT: Final = 10_000

_TYPES: Final = {
    "sttp": "STTP (Surat Tanda Tamat Pelatihan)",
    "sertifikat": "Sertifikat",
    "transkrip": "Transkrip Nilai",
    "piagam": "Piagam",
    "sk": "Surat Keputusan",
    "surat_keterangan": "Surat Keterangan",
}

# Enough for a pasted token; a longer path is no code anyone typed.
_MAX_TYPED_SHOWN: Final = 120

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
    "locked": ("warn", "Terlalu banyak percobaan. Coba lagi nanti (paling lama satu jam)."),
    "not_applicable": ("none", "NIP tidak dapat dicocokkan untuk dokumen ini."),
}


@dataclass(frozen=True)
class _FileResult:
    word: str
    tone: str
    icon: str
    message: str
    genuine: bool = False  # the file is this document's own issued file


_NOT_IN_FORCE: Final = {
    "revoked": "telah dicabut",
    "superseded": "telah diganti",
    "invalid": "tidak sah",
}


def _file_result(check: FileCheck, status_key: str, max_mb: int) -> _FileResult:
    if check.outcome == "match":
        if status_key == "valid":
            return _FileResult(
                "BERKAS COCOK",
                "ok",
                "check",
                "Berkas ini sama persis dengan berkas yang diterbitkan untuk dokumen ini.",
                genuine=True,
            )
        state = _NOT_IN_FORCE.get(status_key, "tidak sah")
        return _FileResult(
            "BERKAS TIDAK BERLAKU",
            "bad" if status_key != "superseded" else "warn",
            "ban" if status_key != "superseded" else "swap",
            f"Berkas ini memang berkas dokumen ini, tetapi dokumennya {state}: berkas ini tidak "
            "berlaku. Lihat status dokumen di bawah.",
            genuine=True,
        )
    if check.outcome == "other_document":
        return _FileResult(
            "BERKAS DOKUMEN LAIN",
            "warn",
            "swap",
            "Berkas ini bukan berkas dokumen ini. Berkas ini adalah dokumen lain: "
            f"nomor {check.other_number}.",
        )
    if check.outcome == "not_pdf":
        return _FileResult(
            "BUKAN PDF",
            "none",
            "question",
            "Berkas yang dikirim bukan berkas PDF, jadi tidak dapat dicocokkan. "
            "Kirim berkas PDF dokumen ini.",
        )
    if check.outcome == "no_match":
        return _FileResult(
            "BERKAS TIDAK COCOK",
            "bad",
            "cross",
            "Berkas ini tidak sama dengan berkas yang diterbitkan untuk dokumen ini: isinya "
            "mungkin telah diubah. Jangan anggap berkas ini asli. Yang berlaku hanya data "
            "dokumen di halaman ini.",
        )
    # empty, unreadable or too large: nothing was compared
    return _FileResult(
        "BERKAS TIDAK DAPAT DIPERIKSA",
        "none",
        "question",
        f"Berkas kosong, terlalu besar atau tidak terkirim. Kirim berkas PDF (maks. {max_mb} MB).",
    )


@dataclass(frozen=True)
class VerifyPage:
    """Renders the verification pages of one deployment.

    ``agency_name`` is the agency's name from ``agency.toml``; ``zone`` is the configured
    ``SATUPINTU_TIMEZONE``, in which every time on the page is shown with its abbreviation.
    """

    agency_name: str
    zone: tzinfo
    max_upload_bytes: int = 20_000_000
    _scanned: OrderedDict[str, tuple[Verification, str]] = field(
        default_factory=OrderedDict, repr=False, compare=False
    )

    def render_scanned(self, verification: Verification, *, token: str, file_check_url: str) -> str:
        """:meth:`render` of a plain scan, kept per token while the answer is the same object.

        A verification answer kept in memory (``registry.usecases.recent_answers``) is handed out
        as the same object until its status is read again, and the page is a pure function of it
        and the token: rendering it once per answer instead of once per request. Call from the
        event loop only (not thread-safe); bounded like the answers.
        """
        kept = self._scanned.get(token)
        if kept is not None and kept[0] is verification:
            self._scanned.move_to_end(token)
            return kept[1]
        html = self.render(verification, token=token, file_check_url=file_check_url)
        if verification.document is not None:  # forged and unknown tokens are never kept
            self._scanned[token] = (verification, html)
            while len(self._scanned) > _SCANNED_PAGES_KEPT:
                self._scanned.popitem(last=False)
        return html

    def render(
        self,
        verification: Verification,
        *,
        token: str,
        nip_result: str | None = None,
        nip_refused: str | None = None,
        file_check_url: str | None = None,
        file_check: FileCheck | None = None,
    ) -> str:
        """The complete HTML5 verification page for one scanned token or typed code."""
        # An unexpected status must never look trustworthy: show it as "TIDAK SAH".
        status_key = verification.status if verification.status in _STATUSES else "invalid"
        status = _STATUSES[status_key]
        document = verification.document
        nip_box = _NIP_RESULTS.get(nip_result) if nip_result is not None else None
        if nip_refused is not None:  # the typed value was no NIP: say why, nothing was compared
            nip_box = ("none", nip_refused)
        file_box = (
            _file_result(file_check, status_key, self._max_upload_mb)
            if file_check is not None
            else None
        )
        # Only a token's signature is ever checked ("not_found": genuine, but no document); any
        # other unknown answer, a typed short code above all, is told "not found" and nothing
        # about signatures, since a short code carries none.
        code_not_found = status_key == "unknown" and verification.reason != "not_found"
        token_path = quote(token, safe="")
        return self._render(
            title=file_box.word if file_box else status.word,
            status_key=status_key,
            word=status.word,
            tone=status.tone,
            icon=status.icon,
            code_not_found=code_not_found,
            typed_code=token[:_MAX_TYPED_SHOWN] if code_not_found else "",
            revoked_on=self._datetime(verification.revoked_at),
            revocation_reason=verification.revocation_reason,
            superseded_by_number=verification.superseded_by_number,
            superseded_by_url=_safe_link(verification.superseded_by_url),
            superseded_on=self._date(verification.superseded_at),
            supersede_reason=verification.supersede_reason,
            replaces_number=verification.replaces_number,
            replaces_url=_safe_link(verification.replaces_url),
            replaces_reason=verification.replaces_reason,
            details=self._details(document) if document is not None else None,
            show_nip_form=document is not None,
            nip_action=f"/v/{token_path}/nip",
            nip_tone=nip_box[0] if nip_box else None,
            nip_message=nip_box[1] if nip_box else None,
            nip_invalid=nip_refused is not None,
            file_check_url=file_check_url,
            file_result=file_box,
            other_document_url=_safe_link(file_check.other_verify_url) if file_check else None,
            other_document_number=file_check.other_number if file_check else None,
            json_url=f"/api/v1/verify/{token_path}",
        )

    def render_code_entry(self) -> str:
        """GET /v: a box to type the short code printed beside the QR."""
        return self._render(
            title="Periksa dokumen",
            status_key=None,
            code_not_found=False,
            typed_code="",
            details=None,
            show_nip_form=False,
            file_check_url=None,
            file_result=None,
            other_document_url=None,
            other_document_number=None,
            json_url=None,
        )

    def _render(self, **context: Any) -> str:
        return _ENV.get_template(_TEMPLATE).render(
            agency_name=self.agency_name,
            code_length=SHORT_CODE_LENGTH,
            **context,
        )

    @property
    def _max_upload_mb(self) -> int:
        return max(1, self.max_upload_bytes // 1_000_000)

    def _datetime(self, moment: datetime | None) -> str | None:
        return long_datetime(moment, self.zone) if moment is not None else None

    def _date(self, moment: datetime | None) -> str | None:
        if moment is None:
            return None
        return long_date(as_utc(moment).astimezone(self.zone).date())

    def _details(self, document: PublicDocument) -> list[tuple[str, str]]:
        rows = [
            ("Nomor", document.number),
            ("Jenis", _TYPES.get(document.type, document.type)),
            ("Nama", document.holder_name),
            ("NIP", document.nip_masked),
            ("Kegiatan", document.title),
            ("Jalur", _readable_path(document.path)),
            ("Lingkup", _SCOPES.get(document.scope, document.scope.capitalize())),
            ("Tanggal", _period(document)),
            ("JP", f"{number_id(document.jp)} JP"),
        ]
        if document.organizer:
            rows.append(("Penyelenggara", document.organizer))
        rows.append(("Diterbitkan oleh", document.issuer))
        rows.append(("Tanggal terbit", long_datetime(document.issued_at, self.zone)))
        return rows


def _period(document: PublicDocument) -> str:
    if document.end_date < document.start_date:  # never signed so, but the page must not fail
        return f"{long_date(document.start_date)} – {long_date(document.end_date)}"
    return date_span(document.start_date, document.end_date)


def _readable_path(path: str) -> str:
    text = path.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _safe_link(url: str | None) -> str | None:
    """Only http(s) or same-site links become hrefs (autoescape does not stop ``javascript:``)."""
    if not url:
        return None
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("http", "https") or (scheme == "" and url.startswith("/")):
        return url
    return None
