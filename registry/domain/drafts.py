"""A document request, validated as a whole before any number is taken.

``validate_draft`` is pure: it turns what a caller sent into a ``ValidDraft`` with the NIP parsed by
its structure and the JP credited by the configured rule set, or raises ``InvalidInput`` naming the
field. Nothing reaches the database until this has passed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from registry.domain import jp as jp_rules
from registry.domain.decimals import plain_decimal
from registry.domain.details import validate_details
from registry.domain.errors import InvalidInput
from registry.domain.jp_sessions import EntryVerdict, LogEntry, PriorCredit, credit_log
from registry.domain.nip import EmployeeNumber, Employment, parse_employee_number
from registry.domain.numbering import DOCUMENT_TYPES, Series, SeriesCatalog, parse_unit_code
from registry.domain.text import clean_text, optional_text

MAX_TITLE = 300

#: The documents that are evidence of a development activity and so credit JP to their holder.
#: A transkrip, a piagam and an SK accompany a training's STTP (its subjects, an award, the
#: decision naming its participants): crediting them would count the training twice.
CREDITING_TYPES = frozenset({"sttp", "sertifikat", "surat_keterangan"})


@dataclass(frozen=True)
class RecipientDraft:
    nip: str
    name: str
    position: str | None = None
    unit: str | None = None
    employment: str | None = None


@dataclass(frozen=True)
class ActivityDraft:
    title: str
    path: str
    scope: str
    start_date: date
    end_date: date
    jp: Decimal | None = None
    organizer: str | None = None
    #: The dated session log, for the paths counted per session (coaching, mentoring) and any
    #: other path whose entries each have their own date: credited by ``jp_sessions``.
    sessions: tuple[LogEntry, ...] | None = None
    semesters: int | None = None


@dataclass(frozen=True)
class DocumentDraft:
    type: str
    recipient: RecipientDraft
    activity: ActivityDraft
    unit_code: str | None = None
    series: str | None = None
    details: dict[str, Any] | None = None


@dataclass(frozen=True)
class ValidDraft:
    type: str
    series: Series
    unit_code: str | None
    employee: EmployeeNumber
    holder_name: str
    holder_position: str | None
    holder_unit: str | None
    activity: ActivityDraft
    path: jp_rules.DevelopmentPath
    scope: jp_rules.Scope
    #: The JP the document prints: for a surat keterangan what it credits (set by
    #: :func:`credit_against`), otherwise what the activity is worth under the table.
    jp: Decimal
    jp_rules: str
    details: dict[str, Any] | None = field(default=None)
    #: What the document credits, as ``credit_log`` entries: the session log, or the activity.
    entries: tuple[LogEntry, ...] = ()
    #: Set by :func:`credit_against` once the holder's earlier credits are known.
    credited_jp: Decimal | None = None
    credits: tuple[PriorCredit, ...] = ()
    verdicts: tuple[EntryVerdict, ...] = ()


def validate_draft(
    draft: DocumentDraft, *, catalog: SeriesCatalog, rule_set: str, today: date
) -> ValidDraft:
    if draft.type not in DOCUMENT_TYPES:
        raise InvalidInput(
            f"Jenis dokumen tidak dikenal: {draft.type!r} (pilihan: {', '.join(DOCUMENT_TYPES)})",
            field="type",
        )
    unit_code = parse_unit_code(draft.unit_code)
    series = catalog.for_type(draft.type, draft.series)
    if series.needs_unit and unit_code is None:
        raise InvalidInput(
            f"Dokumen {draft.type} bernomor dengan kode unit: isi unit_code", field="unit_code"
        )

    recipient = draft.recipient
    employment = _parse_employment(recipient.employment)
    employee = parse_employee_number(recipient.nip, employment, today=today)
    activity = draft.activity
    path = jp_rules.parse_path(activity.path)
    scope = jp_rules.parse_scope(activity.scope)
    entries = _log_entries(activity, path, scope, rule_set)
    if activity.sessions is not None:
        credited = credit_log(rule_set, path, scope, entries, employment=employee.employment).jp
    else:
        credited = jp_rules.credited_jp(
            rule_set,
            jp_rules.Activity(
                path=path,
                scope=scope,
                start_date=activity.start_date,
                end_date=activity.end_date,
                stated_jp=activity.jp,
                semesters=activity.semesters,
            ),
        )
    details = validate_details(draft.type, path.value, draft.details)
    return ValidDraft(
        type=draft.type,
        series=series,
        unit_code=unit_code,
        employee=employee,
        holder_name=clean_text(recipient.name, "recipient.name", required=True),
        holder_position=optional_text(recipient.position, "recipient.position"),
        holder_unit=optional_text(recipient.unit, "recipient.unit"),
        activity=ActivityDraft(
            title=clean_text(activity.title, "activity.title", required=True, limit=MAX_TITLE),
            path=path.value,
            scope=scope.value,
            start_date=activity.start_date,
            end_date=activity.end_date,
            jp=activity.jp,
            organizer=optional_text(activity.organizer, "activity.organizer"),
            sessions=activity.sessions,
            semesters=activity.semesters,
        ),
        path=path,
        scope=scope,
        jp=credited,
        jp_rules=rule_set,
        details=details or None,
        entries=entries,
    )


def _log_entries(
    activity: ActivityDraft,
    path: jp_rules.DevelopmentPath,
    scope: jp_rules.Scope,
    rule_set: str,
) -> tuple[LogEntry, ...]:
    """The entries the document credits: its session log, or the activity as one entry."""
    conversion = jp_rules.conversion_for(rule_set, path, scope)
    if activity.sessions is None:
        if conversion.kind is jp_rules.RuleKind.PER_SESSION:
            raise InvalidInput(
                f"Isi activity.sessions dengan daftar sesi bertanggal untuk jalur {path.value}: "
                f"JP dihitung per sesi, dengan batas per bulan menurut tanggal setiap sesi.",
                field="activity.sessions",
            )
        return (
            LogEntry(
                date=activity.start_date,
                end_date=activity.end_date,
                jp=activity.jp,
                semesters=activity.semesters,
            ),
        )
    if activity.jp is not None:
        raise InvalidInput(
            "Dengan daftar sesi, JP diisi per sesi (sessions[].jp atau minutes), "
            "bukan activity.jp.",
            field="activity.jp",
        )
    for index, entry in enumerate(activity.sessions):
        if entry.date < activity.start_date or entry.last_date > activity.end_date:
            raise InvalidInput(
                f"Tanggal sesi {entry.date.isoformat()} di luar rentang kegiatan "
                f"({activity.start_date.isoformat()} s.d. {activity.end_date.isoformat()}).",
                field=f"activity.sessions[{index}].date",
            )
    return activity.sessions


def credit_against(valid: ValidDraft, prior: Sequence[PriorCredit]) -> ValidDraft:
    """The draft with what it credits once the holder's earlier credits (``prior``) are counted.

    Every document records its credits; a surat keterangan, whose whole purpose is the JP, also
    prints them, per session, and is refused when it would credit nothing. Other documents print
    what the activity is worth and count what the caps leave; documents outside
    :data:`CREDITING_TYPES` count nothing.
    """
    if valid.type not in CREDITING_TYPES:
        return dataclasses.replace(valid, credited_jp=Decimal(0), credits=(), verdicts=())
    try:
        credit = credit_log(
            valid.jp_rules,
            valid.path,
            valid.scope,
            valid.entries,
            employment=valid.employee.employment,
            prior=prior,
        )
    except InvalidInput as exc:
        if exc.field and exc.field.startswith("sessions"):
            exc.field = "activity." + exc.field
        raise
    credits = tuple(
        PriorCredit(path=valid.path, scope=valid.scope, date=v.date, end_date=v.end_date, jp=v.jp)
        for v in credit.entries
        if v.jp > 0
    )
    settled = dataclasses.replace(
        valid, credited_jp=credit.jp, credits=credits, verdicts=credit.entries
    )
    if valid.type != "surat_keterangan":
        return settled
    if credit.jp <= 0:
        raise InvalidInput(
            "Surat keterangan ini tidak menghasilkan JP setelah diperhitungkan dengan dokumen "
            "sah pegawai yang sudah ada; periksa alasan tiap sesi.",
            field="activity.sessions",
            sessions=verdicts_json(credit.entries),
        )
    details = dict(valid.details or {})
    if valid.activity.sessions is not None:
        # The letter prints the log as credited: every counted session with its JP.
        details["sessions"] = [
            {"date": e.date.isoformat(), "jp": plain_decimal(v.jp)}
            | ({"topic": e.topic} if e.topic else {})
            for e, v in zip(valid.entries, credit.entries, strict=True)
            if v.jp > 0
        ]
    return dataclasses.replace(settled, jp=credit.jp, details=details or None)


def verdicts_json(verdicts: Sequence[EntryVerdict]) -> list[dict[str, Any]]:
    return [
        {
            "date": v.date.isoformat(),
            "jp": plain_decimal(v.jp),
            "counted": v.counted,
            "reason": v.reason,
        }
        for v in verdicts
    ]


def _parse_employment(value: str | None) -> Employment | None:
    if value is None:
        return None
    try:
        return Employment(value)
    except ValueError:
        raise InvalidInput(
            "Status kepegawaian harus 'pns' atau 'pppk'", field="recipient.employment"
        ) from None
