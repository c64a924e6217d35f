"""The issue form as data: the draft a filled form makes, the form values a document's draft gives
back (for a correction), and the input an error is about. Which fields a type asks for is in
``issue_types``.

A form is a flat mapping of input names to what was typed. The names follow the fields the
registry's errors name (``recipient.nip``, ``activity.sessions[0].date``, ``details.about``), so an
error points at the input it is about. Repeated rows (sessions, subjects) are renumbered without
gaps when the form is read, so a row the person left blank does not shift the index of the error.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from api.console.issue_types import TypeSpec
from registry.domain.decimals import plain_decimal
from registry.domain.drafts import ActivityDraft, DocumentDraft, RecipientDraft
from registry.domain.errors import InvalidInput
from registry.domain.jp_sessions import LogEntry
from registry.usecases.jp_calculation import JpQuestion

FormValues = dict[str, str]

#: The fields of the person who guides a surat keterangan's activity, by path: the details key
#: the registry knows for it (coach, mentor, or the direct superior for bimbingan di tempat kerja).
GUIDE_KEYS = {"coaching": "coach", "mentoring": "mentor", "bimbingan_tempat_kerja": "supervisor"}
GUIDE_FIELDS = ("name", "nip", "position")
SESSION_FIELDS = ("date", "topic", "minutes")
SUBJECT_FIELDS = ("name", "jp", "score")
APPENDIX_FIELDS = ("name", "nip", "position", "unit", "remarks")
#: Paragraph lists of an SK and a letter: one paragraph a line in a textarea.
LINE_LISTS = ("considering", "legal_basis", "noting", "decisions")
MAX_ROWS = 200


def new_key() -> str:
    """The idempotency key of one rendered form: a second submit of it issues nothing new."""
    return secrets.token_urlsafe(18)


def field_id(name: str) -> str:
    return "f-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# -- reading a submitted form ------------------------------------------------------------------


def read_form(spec: TypeSpec, submitted: Iterable[tuple[str, Any]]) -> FormValues:
    """What was typed, as text, with the rows of each list renumbered without gaps."""
    values: FormValues = {}
    for name, value in submitted:
        if isinstance(value, str) and name not in values and name != "_csrf_token":
            values[name] = value
    values = _compact(values, "activity.sessions", SESSION_FIELDS)
    return _compact(values, "details.subjects", SUBJECT_FIELDS)


def _compact(values: FormValues, prefix: str, fields: tuple[str, ...]) -> FormValues:
    pattern = re.compile(re.escape(prefix) + r"\[(\d+)\]\.(\w+)\Z")
    rows: dict[int, dict[str, str]] = {}
    kept: FormValues = {}
    for name, value in values.items():
        match = pattern.match(name)
        if match is None:
            kept[name] = value
        elif match.group(2) in fields and int(match.group(1)) < MAX_ROWS:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = value
    filled = [rows[i] for i in sorted(rows) if any(v.strip() for v in rows[i].values())]
    for index, row in enumerate(filled):
        for key, value in row.items():
            kept[f"{prefix}[{index}].{key}"] = value
    return kept


def row_count(values: Mapping[str, str], prefix: str, minimum: int) -> int:
    """How many rows a list shows: the filled ones and two empty ones (no script needed)."""
    pattern = re.compile(re.escape(prefix) + r"\[(\d+)\]\.")
    used = [int(m.group(1)) + 1 for name in values if (m := pattern.match(name))]
    return min(MAX_ROWS, max(minimum, max(used, default=0) + 2))


class _Reader:
    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values

    def text(self, name: str) -> str | None:
        value = self.values.get(name, "").strip()
        return value or None

    def date(self, name: str, label: str) -> date | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(
                f"{label} bukan tanggal yang benar (diterima {value!r}); isi dengan format "
                "TTTT-BB-HH, misalnya 2026-03-02.",
                field=name,
            ) from None

    def decimal(self, name: str, label: str) -> Decimal | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            raise InvalidInput(
                f"{label} harus berupa angka (diterima {value!r}), misalnya 24 atau 2,5.",
                field=name,
            ) from None
        if not number.is_finite():
            raise InvalidInput(f"{label} harus berupa angka.", field=name)
        return number

    def integer(self, name: str, label: str) -> int | None:
        value = self.text(name)
        if value is None:
            return None
        if not value.isascii() or not value.isdigit() or len(value) > 6:
            raise InvalidInput(
                f"{label} harus bilangan bulat (diterima {value!r}), misalnya 90.", field=name
            )
        return int(value)

    def lines(self, name: str) -> list[str]:
        return [line.strip() for line in self.values.get(name, "").splitlines() if line.strip()]


def draft_from_form(spec: TypeSpec, values: Mapping[str, str]) -> DocumentDraft:
    """The draft a filled form asks for. Only the form's own reading is checked here (dates and
    numbers as typed); every rule is the registry's, applied when the draft is validated."""
    read = _Reader(values)
    sessions = _sessions(read) if spec.letter else None
    start = read.date("activity.start_date", "Tanggal mulai")
    end = read.date("activity.end_date", "Tanggal selesai")
    if sessions:
        # A letter's activity spans its sessions unless the person typed other dates.
        start = start or min(entry.date for entry in sessions)
        end = end or max(entry.last_date for entry in sessions)
    if start is None:
        raise InvalidInput("Isi tanggal mulai kegiatan.", field="activity.start_date")
    if end is None:
        raise InvalidInput("Isi tanggal selesai kegiatan.", field="activity.end_date")
    path = read.text("activity.path") or ""
    return DocumentDraft(
        type=spec.type,
        recipient=RecipientDraft(
            nip=(read.text("recipient.nip") or "").replace(" ", ""),
            name=read.text("recipient.name") or "",
            position=read.text("recipient.position"),
            unit=read.text("recipient.unit"),
            employment=read.text("recipient.employment"),
        ),
        activity=ActivityDraft(
            title=read.text("activity.title") or "",
            path=path,
            scope=read.text("activity.scope") or "",
            start_date=start,
            end_date=end,
            jp=read.decimal("activity.jp", "JP kegiatan"),
            organizer=read.text("activity.organizer"),
            sessions=tuple(sessions) if sessions else None,
            semesters=read.integer("activity.semesters", "Jumlah semester"),
        ),
        unit_code=read.text("unit_code"),
        # Not offered on the form: a correction keeps the series of the document it replaces.
        series=read.text("series"),
        details=_details(spec, read, path) or None,
    )


def _sessions(read: _Reader) -> list[LogEntry]:
    entries = []
    for index in range(MAX_ROWS):
        prefix = f"activity.sessions[{index}]"
        if not any(read.text(f"{prefix}.{key}") for key in SESSION_FIELDS):
            break
        day = read.date(f"{prefix}.date", f"Tanggal sesi ke-{index + 1}")
        if day is None:
            raise InvalidInput(
                f"Isi tanggal sesi ke-{index + 1}, atau kosongkan seluruh barisnya.",
                field=f"{prefix}.date",
            )
        entries.append(
            LogEntry(
                date=day,
                minutes=read.integer(f"{prefix}.minutes", f"Durasi sesi ke-{index + 1}"),
                topic=read.text(f"{prefix}.topic"),
            )
        )
    return entries


def _details(spec: TypeSpec, read: _Reader, path: str) -> dict[str, Any]:
    details: dict[str, Any] = {}
    names = ["place", "birth_place", "rank", "agency"]
    names += ["predikat"] if spec.predikat else []
    names += ["final_score"] if spec.final_score else []
    names += ["achievement"] if spec.achievement else []
    names += ["about", "appendix_title"] if spec.decree else []
    names += ["description"] if spec.letter else []
    for name in names:
        value = read.values.get(f"details.{name}", "").strip()
        if value:
            details[name] = value.replace(",", ".") if name == "final_score" else value
    if spec.subjects:
        subjects = []
        for index in range(MAX_ROWS):
            prefix = f"details.subjects[{index}]"
            row = {key: read.text(f"{prefix}.{key}") for key in SUBJECT_FIELDS}
            if not any(row.values()):
                break
            subjects.append(
                {
                    key: value.replace(",", ".") if key != "name" else value
                    for key, value in row.items()
                    if value is not None
                }
            )
        if subjects:
            details["subjects"] = subjects
    lists = LINE_LISTS if spec.decree else ("legal_basis",) if spec.letter else ()
    for name in lists:
        lines = read.lines(f"details.{name}")
        if lines:
            details[name] = lines
    if spec.decree:
        appendix = [_appendix_row(line, n) for n, line in enumerate(read.lines("details.appendix"))]
        if appendix:
            details["appendix"] = appendix
    if spec.letter:
        guide = {key: read.text(f"details.guide.{key}") for key in GUIDE_FIELDS}
        if any(guide.values()):
            key = GUIDE_KEYS.get(path)
            if key is None:
                raise InvalidInput(
                    "Pembimbing hanya dicetak untuk coaching, mentoring, atau bimbingan di "
                    "tempat kerja; kosongkan isian pembimbing untuk jalur ini.",
                    field="details.guide.name",
                )
            details[key] = {k: v for k, v in guide.items() if v is not None}
    return details


def _appendix_row(line: str, index: int) -> dict[str, str]:
    parts = [part.strip() for part in line.split(";")]
    if len(parts) > len(APPENDIX_FIELDS):
        raise InvalidInput(
            f"Baris lampiran ke-{index + 1} berisi {len(parts)} kolom; paling banyak "
            f"{len(APPENDIX_FIELDS)}: nama; NIP; jabatan; unit kerja; keterangan.",
            field="details.appendix",
        )
    return {key: value for key, value in zip(APPENDIX_FIELDS, parts, strict=False) if value}


def jp_question(draft: DocumentDraft) -> JpQuestion:
    """What the JP engine is asked for a draft: its session log, or its activity as one entry."""
    activity = draft.activity
    entries = activity.sessions or (
        LogEntry(
            date=activity.start_date,
            end_date=activity.end_date,
            jp=activity.jp,
            semesters=activity.semesters,
        ),
    )
    return JpQuestion(
        path=activity.path,
        scope=activity.scope,
        entries=entries,
        employment=draft.recipient.employment,
        nip=draft.recipient.nip or None,
        single_activity=activity.sessions is None,
    )


# -- a draft back into form values -------------------------------------------------------------


def values_from_draft(draft: DocumentDraft) -> FormValues:
    """The form filled in as ``draft`` asks: a correction starts from the document it replaces."""
    recipient, activity = draft.recipient, draft.activity
    values: FormValues = {
        "recipient.nip": recipient.nip,
        "recipient.name": recipient.name,
        "recipient.position": recipient.position or "",
        "recipient.unit": recipient.unit or "",
        "recipient.employment": recipient.employment or "",
        "unit_code": draft.unit_code or "",
        "series": draft.series or "",
        "activity.title": activity.title,
        "activity.path": activity.path,
        "activity.scope": activity.scope,
        "activity.start_date": activity.start_date.isoformat(),
        "activity.end_date": activity.end_date.isoformat(),
        "activity.jp": plain_decimal(activity.jp) if activity.jp is not None else "",
        "activity.organizer": activity.organizer or "",
        "activity.semesters": str(activity.semesters or ""),
    }
    for index, entry in enumerate(activity.sessions or ()):
        prefix = f"activity.sessions[{index}]"
        values[f"{prefix}.date"] = entry.date.isoformat()
        values[f"{prefix}.topic"] = entry.topic or ""
        values[f"{prefix}.minutes"] = str(entry.minutes or "")
    details = dict(draft.details or {})
    for index, subject in enumerate(details.pop("subjects", None) or ()):
        for key in SUBJECT_FIELDS:
            values[f"details.subjects[{index}].{key}"] = str(subject.get(key, ""))
    for name in LINE_LISTS:
        if name in details:
            values[f"details.{name}"] = "\n".join(details.pop(name))
    if "appendix" in details:
        values["details.appendix"] = "\n".join(
            "; ".join(row.get(key, "") for key in APPENDIX_FIELDS).rstrip("; ")
            for row in details.pop("appendix")
        )
    for key in GUIDE_KEYS.values():
        person = details.pop(key, None)
        if person:
            for field in GUIDE_FIELDS:
                values[f"details.guide.{field}"] = person.get(field, "")
    for name, value in details.items():
        if isinstance(value, str | int | float | Decimal):
            values[f"details.{name}"] = str(value)
    return values


# -- errors ------------------------------------------------------------------------------------

#: Fields named by the JP engine (``POST /api/v1/jp/calculate``'s names) and by details checks,
#: as the form's inputs.
_ALIASES = {
    "nip": "recipient.nip",
    "employment": "recipient.employment",
    "path": "activity.path",
    "scope": "activity.scope",
    "start_date": "activity.start_date",
    "end_date": "activity.end_date",
    "jp": "activity.jp",
    "semesters": "activity.semesters",
    "details.coach": "details.guide",
    "details.mentor": "details.guide",
    "details.supervisor": "details.guide",
}


def error_target(field: str | None, inputs: Iterable[str]) -> str | None:
    """The input an error's field is about, or None when the form has no such input (the error
    summary still says it). ``details.considering[2]`` is the Menimbang textarea."""
    if not field:
        return None
    known = set(inputs)
    candidate = field
    if candidate.startswith("sessions["):
        candidate = "activity." + candidate
    while candidate:
        for alias, target in _ALIASES.items():
            if candidate == alias or candidate.startswith(alias + "."):
                candidate = target + candidate[len(alias) :]
                break
        if candidate in known:
            return candidate
        shorter = re.sub(r"(\[\d+\]|\.\w+)\Z", "", candidate)
        if shorter == candidate:
            return None
        candidate = shorter
    return None


def input_names(spec: TypeSpec, values: Mapping[str, str]) -> list[str]:
    """Every input the form for ``spec`` shows (errors point only at these)."""
    names = [
        "recipient.nip",
        "recipient.name",
        "recipient.position",
        "recipient.unit",
        "recipient.employment",
        "unit_code",
        "activity.title",
        "activity.path",
        "activity.scope",
        "activity.start_date",
        "activity.end_date",
        "activity.jp",
        "activity.organizer",
        "details.place",
        "details.birth_place",
        "details.rank",
        "details.agency",
    ]
    if not spec.letter:
        names.append("activity.semesters")
    names += ["details.predikat"] if spec.predikat else []
    names += ["details.final_score"] if spec.final_score else []
    names += ["details.achievement"] if spec.achievement else []
    if spec.subjects:
        names.append("details.subjects")
        for index in range(subject_rows(values)):
            names += [f"details.subjects[{index}].{key}" for key in SUBJECT_FIELDS]
    if spec.decree:
        names += [f"details.{name}" for name in (*LINE_LISTS, "appendix_title", "appendix")]
        names.append("details.about")
    if spec.letter:
        names += ["activity.sessions", "details.description", "details.legal_basis"]
        names += [f"details.guide.{key}" for key in GUIDE_FIELDS]
        for index in range(session_rows(values)):
            names += [f"activity.sessions[{index}].{key}" for key in SESSION_FIELDS]
    return names


def session_rows(values: Mapping[str, str]) -> int:
    return row_count(values, "activity.sessions", 4)


def subject_rows(values: Mapping[str, str]) -> int:
    return row_count(values, "details.subjects", 3)
