"""Notification e-mail as plain data: who gets it, its subject and its body, in Bahasa Indonesia.

Pure: the use case gathers the facts, an adapter sends the :class:`Mail`. Whatever came from a
user (names, reasons, unit names) may end up in the subject; :func:`header_text` folds every
line break and control character there into a space, and :func:`clean_recipients` drops an
address that could carry one, so no user data can add a header to the message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_SUBJECT = 150
MAX_RECIPIENTS = 100

#: How a request's kind reads in a sentence.
REQUEST_KIND_LABELS = {
    "coaching": "Coaching",
    "mentoring": "Mentoring",
    "belajar_mandiri": "Belajar Mandiri",
    "komunitas_belajar": "Komunitas Belajar",
    "bimbingan_tempat_kerja": "Bimbingan di Tempat Kerja",
}

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
# Deliberately narrow: one @, no spaces, quotes, angle brackets, commas or control characters.
_ADDRESS = re.compile(r"\A[^@\s<>\"',;()\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\Z")


@dataclass(frozen=True)
class Mail:
    """One message: ``event`` and ``subject_id`` say what it is about (for the audit log)."""

    event: str
    subject_id: str
    to: tuple[str, ...]
    subject: str
    body: str

    def as_json(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "subject_id": self.subject_id,
            "to": list(self.to),
            "subject": self.subject,
            "body": self.body,
        }

    @classmethod
    def from_json(cls, stored: Mapping[str, Any]) -> Mail:
        """Read back a queued message; headers are cleaned again (a queue row is data too)."""
        return cls(
            event=str(stored["event"]),
            subject_id=str(stored["subject_id"]),
            to=clean_recipients(str(address) for address in stored["to"]),
            subject=header_text(str(stored["subject"])),
            body=str(stored["body"]),
        )


def header_text(text: str, limit: int = MAX_SUBJECT) -> str:
    """One line fit for a header: control characters and line breaks become single spaces."""
    line = " ".join(_CONTROL.sub(" ", text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def clean_recipients(addresses: Iterable[str | None]) -> tuple[str, ...]:
    """Plain addresses, each once, in order; anything that is not one is dropped."""
    seen: dict[str, str] = {}
    for address in addresses:
        if not address:
            continue
        candidate = address.strip()
        if _ADDRESS.match(candidate) and candidate.lower() not in seen:
            seen[candidate.lower()] = candidate
    return tuple(seen.values())[:MAX_RECIPIENTS]


def console_request_url(public_url: str, request_id: object) -> str:
    return f"{public_url}/konsol/permohonan/{request_id}"


def api_request_url(public_url: str, request_id: object) -> str:
    return f"{public_url}/api/v1/requests/{request_id}"


def console_batch_url(public_url: str, batch_id: object) -> str:
    return f"{public_url}/konsol/massal/{batch_id}"


def api_batch_url(public_url: str, batch_id: object) -> str:
    return f"{public_url}/api/v1/jobs/{batch_id}"


@dataclass(frozen=True)
class RequestFacts:
    """What a request notification says about the request."""

    id: str
    unit_code: str
    unit_name: str
    kind: str
    employee_name: str
    employee_nip: str

    @property
    def kind_label(self) -> str:
        return REQUEST_KIND_LABELS.get(self.kind, self.kind)

    def lines(self) -> list[str]:
        return [
            f"Unit kerja : {self.unit_name} ({self.unit_code})",
            f"Pegawai    : {self.employee_name} (NIP {self.employee_nip})",
            f"Jenis      : {self.kind_label}",
        ]


def request_submitted(facts: RequestFacts, public_url: str, to: Iterable[str | None]) -> Mail:
    """To the issuers: a request waits for their decision."""
    body = [
        "Yth. Bapak/Ibu penerbit BPSDM,",
        "",
        "Permohonan surat keterangan baru telah diajukan dan menunggu keputusan Anda.",
        "",
        *facts.lines(),
        "",
        "Langkah berikutnya: periksa sesi dan bukti dukungnya, lalu setujui atau tolak dengan",
        "alasan di konsol:",
        console_request_url(public_url, facts.id),
        "",
        "Melalui API:",
        api_request_url(public_url, facts.id),
    ]
    return Mail(
        event="request.submitted",
        subject_id=facts.id,
        to=clean_recipients(to),
        subject=header_text(
            f"Permohonan {facts.kind_label} menunggu keputusan: {facts.employee_name} "
            f"({facts.unit_code})"
        ),
        body=_finish(body),
    )


def request_approved(
    facts: RequestFacts,
    public_url: str,
    to: Iterable[str | None],
    *,
    number: str,
    verify_url: str,
) -> Mail:
    """To the requester who filed: the letter is issued, with its number and verification link."""
    body = [
        "Yth. Bapak/Ibu,",
        "",
        "Permohonan surat keterangan Anda telah disetujui dan suratnya telah terbit.",
        "",
        *facts.lines(),
        f"Nomor surat: {number}",
        "",
        "Keabsahan surat dapat diperiksa siapa saja di alamat berikut (juga tercetak sebagai",
        "kode QR pada surat):",
        verify_url,
        "",
        "Langkah berikutnya: unduh surat dari halaman permohonan di konsol dan serahkan kepada",
        "pegawai yang bersangkutan:",
        console_request_url(public_url, facts.id),
    ]
    return Mail(
        event="request.approved",
        subject_id=facts.id,
        to=clean_recipients(to),
        subject=header_text(f"Permohonan disetujui: surat {number} untuk {facts.employee_name}"),
        body=_finish(body),
    )


def request_rejected(
    facts: RequestFacts, public_url: str, to: Iterable[str | None], *, reason: str
) -> Mail:
    """To the requester who filed: the request was refused, and why."""
    body = [
        "Yth. Bapak/Ibu,",
        "",
        "Permohonan surat keterangan Anda ditolak oleh BPSDM.",
        "",
        *facts.lines(),
        "",
        "Alasan penolakan:",
        *(f"  {line}" for line in reason.splitlines() or [""]),
        "",
        "Langkah berikutnya: perbaiki hal yang disebutkan di atas lalu ajukan permohonan baru.",
        "Rincian permohonan:",
        console_request_url(public_url, facts.id),
    ]
    return Mail(
        event="request.rejected",
        subject_id=facts.id,
        to=clean_recipients(to),
        subject=header_text(f"Permohonan ditolak: {facts.kind_label} {facts.employee_name}"),
        body=_finish(body),
    )


@dataclass(frozen=True)
class BatchFacts:
    id: str
    status: str  # done | failed
    type: str
    total: int
    issued: int
    void: int
    first_number: str
    last_number: str
    error: str | None


def batch_ended(facts: BatchFacts, public_url: str, to: Iterable[str | None]) -> Mail:
    """To the issuer who started a batch: it is done (files ready) or failed (and why)."""
    numbers = f"{facts.first_number} s.d. {facts.last_number}"
    summary = [
        f"Jenis dokumen : {facts.type}",
        f"Nomor         : {numbers}",
        f"Jumlah        : {facts.total} dokumen, {facts.issued} terbit, {facts.void} batal",
    ]
    if facts.status == "done":
        subject = f"Penerbitan massal selesai: {facts.issued} dari {facts.total} dokumen terbit"
        opening = "Penerbitan massal yang Anda mulai telah selesai."
        next_step = [
            "Langkah berikutnya: unduh PDF gabungan untuk dicetak dan arsip ZIP di konsol:",
        ]
        if facts.void:
            next_step.insert(0, "Periksa dokumen yang batal; terbitkan ulang bila perlu.")
    else:
        subject = f"Penerbitan massal gagal: {facts.first_number} s.d. {facts.last_number}"
        opening = "Penerbitan massal yang Anda mulai gagal."
        summary += ["", "Penyebab:", f"  {facts.error or '-'}"]
        next_step = [
            "Langkah berikutnya: setelah penyebabnya diperbaiki, ulangi batch dari konsol;",
            "nomor yang sudah diambil tetap dipakai:",
        ]
    body = [
        "Yth. Bapak/Ibu penerbit,",
        "",
        opening,
        "",
        *summary,
        "",
        *next_step,
        console_batch_url(public_url, facts.id),
        "",
        "Melalui API:",
        api_batch_url(public_url, facts.id),
    ]
    return Mail(
        event=f"batch.{facts.status}",
        subject_id=facts.id,
        to=clean_recipients(to),
        subject=header_text(subject),
        body=_finish(body),
    )


def _finish(lines: list[str]) -> str:
    return "\n".join([*lines, "", "--", "Pesan otomatis Satu Pintu; mohon tidak dibalas.", ""])
