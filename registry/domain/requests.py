"""A unit's request for a surat keterangan: its body, its states, and the evidence each path needs.

Pure: the use case (``registry.usecases.requests``) stores what :func:`validate_request` returns
and asks :func:`check_transition` before every change of state.

Evidence each path needs (:data:`REQUIRED_EVIDENCE`) follows Lampiran C of Perwal Tangsel 74/2022
(seed 003) and chapter IV of the kubar-2024 guideline (seed 002):

* coaching, mentoring: "Surat perintah Kepala Perangkat Daerah tentang pelaksanaan Coaching /
  Mentoring" and "Formulir Pelaksanaan Coaching / Mentoring".
* belajar mandiri: "Surat perintah tugas pejabat yang berwenang" and "Bahan atau materi yang
  relevan ...".
* komunitas belajar: "Daftar anggota komunitas yang diketahui (ditandatangani) Kepala Perangkat
  Daerah" and "Bahan atau materi yang relevan ...".
* bimbingan di tempat kerja (only in seed 002; tangsel's Lampiran C has no row for it): read as
  surat perintah + formulir. Its mechanism is "dalam bentuk penugasan" (a surat perintah assigns
  it) ending in a report of the guidance given with the supervisor's feedback; seed 002 calls
  coaching and mentoring "jenis pelatihan bimbingan di tempat kerja", so the record of execution is
  the same formulir the two sister paths use. A laporan that is not on a formulir is filed as
  ``lainnya`` and does not replace it.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from registry.domain.decimals import plain_decimal
from registry.domain.errors import Conflict, InvalidInput
from registry.domain.jp import parse_scope
from registry.domain.jp_sessions import MAX_ENTRIES, LogEntry
from registry.domain.media import media_type
from registry.domain.nip import EmployeeNumber, parse_employee_number
from registry.domain.text import MAX_TEXT, clean_text

__all__ = [
    "EVIDENCE_KINDS",
    "EVIDENCE_MEDIA_TYPES",
    "GUIDE_ROLES",
    "REQUEST_KINDS",
    "REQUIRED_EVIDENCE",
    "RequestStatus",
    "Transition",
    "ValidRequest",
    "check_transition",
    "evidence_download_name",
    "evidence_media_type",
    "log_entries",
    "missing_evidence",
    "validate_request",
]

MAX_OUTCOME = 2000
MAX_SESSIONS = min(MAX_ENTRIES, 200)  # a letter prints at most 200 sessions (domain.details)

REQUEST_KINDS = (
    "coaching",
    "mentoring",
    "belajar_mandiri",
    "komunitas_belajar",
    "bimbingan_tempat_kerja",
)
EVIDENCE_KINDS = ("surat_perintah", "formulir", "bahan", "daftar_anggota", "lainnya")

#: The body's key for the person who guides, per kind; kinds without one have none.
GUIDE_ROLES: Mapping[str, str] = {
    "coaching": "coach",
    "mentoring": "mentor",
    "bimbingan_tempat_kerja": "supervisor",
}

#: See the module docstring for where each comes from.
REQUIRED_EVIDENCE: Mapping[str, tuple[str, ...]] = {
    "coaching": ("surat_perintah", "formulir"),
    "mentoring": ("surat_perintah", "formulir"),
    "belajar_mandiri": ("surat_perintah", "bahan"),
    "komunitas_belajar": ("daftar_anggota", "bahan"),
    "bimbingan_tempat_kerja": ("surat_perintah", "formulir"),
}

EVIDENCE_LABELS = {
    "surat_perintah": "surat perintah",
    "formulir": "formulir pelaksanaan",
    "bahan": "bahan/materi",
    "daftar_anggota": "daftar anggota komunitas",
    "lainnya": "lainnya",
}

EVIDENCE_MEDIA_TYPES = ("application/pdf", "image/jpeg", "image/png")

#: A request body's keys; anything else (a typo such as ``sesions``) is refused, not dropped.
_BODY_KEYS = (
    "kind",
    "scope",
    "employee",
    *sorted(set(GUIDE_ROLES.values())),
    "sessions",
    "unit_code",
)


class RequestStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = {
    RequestStatus.DRAFT: "draf",
    RequestStatus.SUBMITTED: "diajukan",
    RequestStatus.APPROVED: "disetujui",
    RequestStatus.REJECTED: "ditolak",
    RequestStatus.WITHDRAWN: "ditarik",
}


class Transition(enum.StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    REJECT = "reject"
    ADD_EVIDENCE = "add_evidence"


_S = RequestStatus
#: Which state each transition starts from and where it leads (evidence keeps the state).
TRANSITIONS: Mapping[Transition, tuple[RequestStatus, RequestStatus]] = {
    Transition.SUBMIT: (_S.DRAFT, _S.SUBMITTED),
    Transition.WITHDRAW: (_S.SUBMITTED, _S.WITHDRAWN),
    Transition.APPROVE: (_S.SUBMITTED, _S.APPROVED),
    Transition.REJECT: (_S.SUBMITTED, _S.REJECTED),
    Transition.ADD_EVIDENCE: (_S.DRAFT, _S.DRAFT),
}

_VERBS = {
    Transition.SUBMIT: "diajukan",
    Transition.WITHDRAW: "ditarik",
    Transition.APPROVE: "disetujui",
    Transition.REJECT: "ditolak",
    Transition.ADD_EVIDENCE: "ditambah bukti dukungnya",
}


def check_transition(status: str, transition: Transition) -> RequestStatus:
    """The state ``transition`` leads to from ``status``, or :class:`Conflict` saying why not."""
    current = RequestStatus(status)
    source, target = TRANSITIONS[transition]
    if current is not source:
        raise Conflict(
            f"Permohonan berstatus {STATUS_LABELS[current]}; hanya permohonan berstatus "
            f"{STATUS_LABELS[source]} dapat {_VERBS[transition]}",
            request_status=current.value,
        )
    return target


def missing_evidence(kind: str, present: Iterable[str]) -> list[str]:
    have = set(present)
    return [needed for needed in REQUIRED_EVIDENCE[kind] if needed not in have]


def refuse_missing_evidence(kind: str, present: Iterable[str]) -> None:
    missing = missing_evidence(kind, present)
    if missing:
        labels = ", ".join(f"{m} ({EVIDENCE_LABELS[m]})" for m in missing)
        raise InvalidInput(
            f"Bukti dukung belum lengkap; lampirkan: {labels}", field="evidence", missing=missing
        )


def parse_evidence_kind(value: str | None) -> str:
    if value not in EVIDENCE_KINDS:
        raise InvalidInput(
            f"Jenis bukti dukung tidak dikenal: {value!r} (pilihan: {', '.join(EVIDENCE_KINDS)})",
            field="kind",
            allowed=list(EVIDENCE_KINDS),
        )
    return value


def evidence_media_type(data: bytes) -> str:
    """PDF, JPEG or PNG, judged by the file's first bytes (never by its name or stated type)."""
    if not data:
        raise InvalidInput("Berkas kosong", field="file")
    found = media_type(data)
    if found is not None:
        return found
    raise InvalidInput("Bukti dukung harus berupa PDF, JPEG atau PNG", field="file")


#: The extension a downloaded piece of evidence gets, from what its content was judged to be.
EVIDENCE_EXTENSIONS: Mapping[str, str] = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
_UNSAFE_NAME_RUN = re.compile(r"[^A-Za-z0-9_-]+")
MAX_DOWNLOAD_STEM = 80


def evidence_download_name(filename: str | None, kind: str, media_type: str) -> str:
    """The name a stored piece of evidence is offered under (``Content-Disposition``).

    The uploader's name is only a hint: it is folded to ASCII letters, digits, ``_`` and ``-``
    (anything else, dots included, becomes ``-``, so nothing can break out of the header or name
    a hidden file), and the extension is that of the media type the content was judged to be.
    A PDF uploaded as ``surat.html`` is offered as ``surat.pdf``: saved and opened later, it
    opens as what it is. Without a usable name, the evidence kind is the name.
    """
    stem = unicodedata.normalize("NFKD", filename or "").encode("ascii", "ignore").decode()
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]  # the extension the uploader gave says nothing
    stem = _UNSAFE_NAME_RUN.sub("-", stem).strip("-_")[:MAX_DOWNLOAD_STEM].strip("-_")
    return f"{stem or kind}{EVIDENCE_EXTENSIONS[media_type]}"


@dataclass(frozen=True)
class ValidRequest:
    kind: str
    scope: str
    employee_number: EmployeeNumber
    #: name, nip, rank, position, unit (JSON, as stored)
    employee: dict[str, Any]
    guide_role: str | None
    guide: dict[str, Any] | None
    sessions: list[dict[str, Any]]
    unit_code: str | None


def validate_request(body: Mapping[str, Any], *, today: date) -> ValidRequest:
    """Check a request body; raise :class:`InvalidInput` naming the first bad field."""
    if not isinstance(body, Mapping):
        raise InvalidInput("Isi permohonan harus berupa objek JSON", field="body")
    _refuse_unknown(body, _BODY_KEYS, "permohonan", key_field=True)
    kind = body.get("kind")
    if kind not in REQUEST_KINDS:
        raise InvalidInput(
            f"Jenis permohonan tidak dikenal: {kind!r} (pilihan: {', '.join(REQUEST_KINDS)})",
            field="kind",
            allowed=list(REQUEST_KINDS),
        )
    scope = parse_scope(_text(body.get("scope"), "scope", required=True, limit=20), field="scope")
    guide_role = GUIDE_ROLES.get(kind)
    for role in sorted(set(GUIDE_ROLES.values()) - {guide_role}):
        if body.get(role) is not None:
            raise InvalidInput(
                f"Permohonan {kind} tidak memiliki {role}"
                + (f"; isi {guide_role}" if guide_role else ""),
                field=role,
            )
    employee = _record(body.get("employee"), "employee")
    number = parse_employee_number(
        _text(employee.get("nip"), "employee.nip", required=True, limit=30),
        None,
        today=today,
        field="employee.nip",
    )
    employee_json = {
        "nip": number.digits,
        "employment": number.employment.value,
        "name": _text(employee.get("name"), "employee.name", required=True),
        "rank": _text(employee.get("rank"), "employee.rank") or None,
        "position": _text(employee.get("position"), "employee.position") or None,
        "unit": _text(employee.get("unit"), "employee.unit") or None,
    }
    _refuse_unknown(employee, ("nip", "name", "rank", "position", "unit"), "employee")
    guide = None
    if guide_role is not None:
        guide = _guide(body.get(guide_role), guide_role)
    unit_code = _text(body.get("unit_code"), "unit_code", limit=30) or None
    return ValidRequest(
        kind=kind,
        scope=scope.value,
        employee_number=number,
        employee=employee_json,
        guide_role=guide_role,
        guide=guide,
        sessions=_sessions(body.get("sessions")),
        unit_code=unit_code,
    )


def log_entries(sessions: Sequence[Mapping[str, Any]]) -> list[LogEntry]:
    """The stored session log as the JP engine reads it."""
    return [
        LogEntry(
            date=date.fromisoformat(s["date"]),
            minutes=s.get("minutes"),
            jp=Decimal(s["jp"]) if s.get("jp") is not None else None,
            topic=s.get("topic"),
        )
        for s in sessions
    ]


def _guide(value: Any, role: str) -> dict[str, Any]:
    if value is None:
        raise InvalidInput(f"{role} wajib diisi (nama, NIP, jabatan)", field=role)
    guide = _record(value, role)
    _refuse_unknown(guide, ("name", "nip", "position"), role)
    nip = _text(guide.get("nip"), f"{role}.nip", limit=30).replace(" ", "") or None
    if nip is not None and (len(nip) != 18 or not nip.isascii() or not nip.isdigit()):
        raise InvalidInput(f"{role}.nip harus 18 digit angka", field=f"{role}.nip")
    return {
        "name": _text(guide.get("name"), f"{role}.name", required=True),
        "nip": nip,
        "position": _text(guide.get("position"), f"{role}.position") or None,
    }


def _sessions(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise InvalidInput("sessions wajib diisi: daftar sesi dengan tanggal", field="sessions")
    if len(value) > MAX_SESSIONS:
        raise InvalidInput(
            f"sessions terlalu banyak ({len(value)} sesi, maks. {MAX_SESSIONS})", field="sessions"
        )
    result = []
    for index, raw in enumerate(value):
        where = f"sessions[{index}]"
        item = _record(raw, where)
        _refuse_unknown(item, ("date", "minutes", "jp", "topic", "outcome"), where)
        day = _date(item.get("date"), f"{where}.date")
        minutes, jp = item.get("minutes"), item.get("jp")
        if (minutes is None) == (jp is None):
            raise InvalidInput(
                f"{where}: isi salah satu, minutes (lama sesi dalam menit) atau jp",
                field=f"{where}.minutes",
            )
        session: dict[str, Any] = {"date": day.isoformat()}
        if minutes is not None:
            if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= 1440:
                raise InvalidInput(
                    f"{where}.minutes harus bilangan bulat 1..1440", field=f"{where}.minutes"
                )
            session["minutes"] = minutes
        else:
            session["jp"] = _jp(jp, f"{where}.jp")
        session["topic"] = _text(item.get("topic"), f"{where}.topic", required=True)
        outcome = _text(item.get("outcome"), f"{where}.outcome", limit=MAX_OUTCOME)
        if outcome:
            session["outcome"] = outcome
        result.append(session)
    return result


def _jp(value: Any, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidInput(f"{field} harus berupa angka", field=field)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(
            f"{field} harus berupa angka (diterima {value!r})", field=field
        ) from None
    if not number.is_finite() or not 0 < number <= 100:
        raise InvalidInput(f"{field} harus lebih dari 0 dan paling banyak 100", field=field)
    return plain_decimal(number)


def _date(value: Any, field: str) -> date:
    if not isinstance(value, str):
        raise InvalidInput(f"{field} wajib diisi (YYYY-MM-DD)", field=field)
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            f"{field} harus tanggal berformat YYYY-MM-DD (diterima {value!r})", field=field
        ) from None


def _record(value: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{field} wajib diisi (objek)", field=field)
    return value


def _refuse_unknown(
    value: Mapping[str, Any], known: Sequence[str], field: str, *, key_field: bool = False
) -> None:
    """Refuse keys not in ``known``; the error names ``field.key`` (or the bare key when
    ``key_field``, for the body's own keys)."""
    unknown = sorted(str(key) for key in value if key not in known)
    if unknown:
        raise InvalidInput(
            f"{field}: kunci tidak dikenal {', '.join(unknown)} (yang dikenal: {', '.join(known)})",
            field=unknown[0] if key_field else f"{field}.{unknown[0]}",
        )


def _text(value: Any, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{field} harus berupa teks", field=field)
    return clean_text(value, field, required=required, limit=limit)
