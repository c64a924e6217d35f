"""The new-request form of the console: its fields, read into the body the API takes.

The form speaks Indonesian field names; the use case speaks the API's body. This module only
translates between the two (and says which form field an error of the use case names); every rule
is the use case's.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from litestar.datastructures import UploadFile

from api.uploads import read_typed_upload
from registry.domain.errors import InvalidInput
from registry.domain.requests import EVIDENCE_KINDS, GUIDE_ROLES, REQUEST_KINDS
from registry.usecases.request_filing import EvidenceUpload
from registry.usecases.units import EmployeeView

#: Empty session rows a new form starts with, and how many "Tambah baris" adds.
FIRST_ROWS = 4
MORE_ROWS = 3
#: More rows than the domain accepts sessions is never useful (domain.requests.MAX_SESSIONS).
MAX_ROWS = 200

KIND_LABELS = {
    "coaching": "Coaching",
    "mentoring": "Mentoring",
    "belajar_mandiri": "Belajar mandiri",
    "komunitas_belajar": "Komunitas belajar",
    "bimbingan_tempat_kerja": "Bimbingan di tempat kerja",
}
SCOPE_LABELS = {"nasional": "Nasional (dalam negeri)", "internasional": "Internasional"}
GUIDE_LABELS = {"coach": "Coach", "mentor": "Mentor", "supervisor": "Pembimbing"}
EVIDENCE_LABELS = {
    "surat_perintah": "Surat perintah",
    "formulir": "Formulir pelaksanaan",
    "bahan": "Bahan atau materi",
    "daftar_anggota": "Daftar anggota komunitas",
    "lainnya": "Lainnya",
}

_ROW_FIELDS = {"date": "tanggal", "minutes": "menit", "jp": "menit", "topic": "topik"}
_SESSION_ERROR = re.compile(r"^sessions\[(\d+)\]\.(\w+)")
_EMPLOYEE_FIELDS = {"nip": "nip", "name": "nama", "rank": "pangkat", "position": "jabatan"}
_GUIDE_FIELDS = {
    "name": "pembimbing_nama",
    "nip": "pembimbing_nip",
    "position": "pembimbing_jabatan",
}


@dataclass
class Row:
    tanggal: str = ""
    menit: str = ""
    topik: str = ""

    @property
    def blank(self) -> bool:
        return not (self.tanggal or self.menit or self.topik)


@dataclass
class RequestForm:
    """What the person typed, as the form shows it again."""

    key: str = field(default_factory=lambda: str(uuid.uuid4()))
    roster: str = ""
    nip: str = ""
    nama: str = ""
    pangkat: str = ""
    jabatan: str = ""
    jenis: str = ""
    lingkup: str = "nasional"
    pembimbing_nama: str = ""
    pembimbing_nip: str = ""
    pembimbing_jabatan: str = ""
    rows: list[Row] = field(default_factory=lambda: [Row() for _ in range(FIRST_ROWS)])
    #: The body index of each filled row: errors of ``sessions[i]`` name row ``filled[i]``.
    filled: list[int] = field(default_factory=list)

    def body(self, roster: Sequence[EmployeeView]) -> dict[str, Any]:
        """The request body of the API; the person chosen from the roster, if any, wins."""
        employee = {
            "nip": self.nip,
            "name": self.nama,
            "rank": self.pangkat,
            "position": self.jabatan,
        }
        if self.roster:
            chosen = next((e for e in roster if e.nip == self.roster), None)
            if chosen is None:
                raise InvalidInput(
                    "Pegawai yang dipilih tidak ada di daftar pegawai unit; pilih lagi",
                    field="roster",
                )
            employee = {
                "nip": chosen.nip,
                "name": chosen.name,
                "rank": chosen.rank or "",
                "position": chosen.position or "",
            }
        body: dict[str, Any] = {
            "kind": self.jenis or None,
            "scope": self.lingkup,
            "employee": {key: value or None for key, value in employee.items()},
            "sessions": self._sessions(),
        }
        guide_role = GUIDE_ROLES.get(self.jenis)
        if guide_role is not None:
            guide = {
                "name": self.pembimbing_nama,
                "nip": self.pembimbing_nip,
                "position": self.pembimbing_jabatan,
            }
            body[guide_role] = (
                {key: value or None for key, value in guide.items()}
                if any(guide.values())
                else None
            )
        return body

    def _sessions(self) -> list[dict[str, Any]]:
        sessions: list[dict[str, Any]] = []
        self.filled = []
        for index, row in enumerate(self.rows):
            if row.blank:
                continue
            minutes: int | None = None
            if row.menit:
                if not (row.menit.isascii() and row.menit.isdigit()):
                    raise InvalidInput(
                        f"Baris {index + 1}: lama sesi diisi bilangan bulat menit, misalnya 90",
                        field=f"rows[{index}].menit",
                    )
                minutes = int(row.menit)
            self.filled.append(index)
            sessions.append({"date": row.tanggal or None, "minutes": minutes, "topic": row.topik})
        return sessions

    def field_of(self, error: InvalidInput) -> str | None:
        """The id of the form field an error of the use case is about, if any."""
        name = error.field or ""
        if match := re.match(r"^rows\[(\d+)\]\.(\w+)$", name):
            return f"sesi-{match.group(1)}-{match.group(2)}"
        if match := _SESSION_ERROR.match(name):
            position = int(match.group(1))
            row = self.filled[position] if position < len(self.filled) else 0
            return f"sesi-{row}-{_ROW_FIELDS.get(match.group(2), 'tanggal')}"
        if name == "sessions":
            return "sesi-0-tanggal"
        if name == "evidence":
            missing = error.extra.get("missing") or ["surat_perintah"]
            return f"bukti-{missing[0]}"
        if name.startswith("evidence."):
            return f"bukti-{name.removeprefix('evidence.')}"
        if name in ("kind", "scope", "roster"):
            return {"kind": "jenis", "scope": "lingkup", "roster": "roster"}[name]
        if name.startswith("employee.") or name == "nip":
            return _EMPLOYEE_FIELDS.get(name.removeprefix("employee."), "nip")
        for role in GUIDE_LABELS:
            if name == role:
                return "pembimbing_nama"
            if name.startswith(f"{role}."):
                return _GUIDE_FIELDS.get(name.removeprefix(f"{role}."), "pembimbing_nama")
        return None


def read_form(form: Mapping[str, Any], *, more_rows: bool) -> RequestForm:
    """The form as sent; ``more_rows`` adds empty rows ("Tambah baris")."""

    def text(name: str, limit: int = 400) -> str:
        value = form.get(name)
        return value.strip()[:limit] if isinstance(value, str) else ""

    key = text("kunci", 60)
    try:
        key = str(uuid.UUID(key))
    except ValueError:
        key = str(uuid.uuid4())
    try:
        count = min(max(int(text("baris", 5)), 1), MAX_ROWS)
    except ValueError:
        count = FIRST_ROWS
    rows = [
        Row(
            tanggal=text(f"sesi_{i}_tanggal", 20),
            menit=text(f"sesi_{i}_menit", 10),
            topik=text(f"sesi_{i}_topik"),
        )
        for i in range(count)
    ]
    if more_rows:
        rows += [Row() for _ in range(min(MORE_ROWS, MAX_ROWS - len(rows)))]
    jenis = text("jenis", 40)
    return RequestForm(
        key=key,
        roster=text("roster", 30),
        nip=text("nip", 40),
        nama=text("nama"),
        pangkat=text("pangkat"),
        jabatan=text("jabatan"),
        jenis=jenis if jenis in REQUEST_KINDS else "",
        lingkup=text("lingkup", 20) or "nasional",
        pembimbing_nama=text("pembimbing_nama"),
        pembimbing_nip=text("pembimbing_nip", 40),
        pembimbing_jabatan=text("pembimbing_jabatan"),
        rows=rows,
    )


def read_evidence(form: Mapping[str, Any], max_bytes: int) -> list[EvidenceUpload]:
    """The files chosen, one input per evidence kind; an input left empty sends no file."""
    uploads = []
    for kind in EVIDENCE_KINDS:
        upload = form.get(f"bukti_{kind}")
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        try:
            data = read_typed_upload(upload, max_bytes)
        except InvalidInput as exc:
            exc.field = f"evidence.{kind}"
            raise
        uploads.append(EvidenceUpload(kind, data, upload.filename))
    return uploads
