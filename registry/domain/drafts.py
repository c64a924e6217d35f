"""A document request, validated as a whole before any number is taken.

``validate_draft`` is pure: it turns what a caller sent into a ``ValidDraft`` with the NIP parsed by
its structure and the JP credited by the configured rule set, or raises ``InvalidInput`` naming the
field. Nothing reaches the database until this has passed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from registry.domain import jp as jp_rules
from registry.domain.details import validate_details
from registry.domain.errors import InvalidInput
from registry.domain.nip import EmployeeNumber, Employment, parse_employee_number
from registry.domain.numbering import DOCUMENT_TYPES, Series, SeriesCatalog, parse_unit_code

MAX_TEXT = 200
MAX_TITLE = 300


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
    sessions: int | None = None
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
    jp: Decimal
    jp_rules: str
    details: dict[str, Any] | None = field(default=None)


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
    credited = jp_rules.credited_jp(
        rule_set,
        jp_rules.Activity(
            path=path,
            scope=scope,
            start_date=activity.start_date,
            end_date=activity.end_date,
            stated_jp=activity.jp,
            sessions=activity.sessions,
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
    )


def _parse_employment(value: str | None) -> Employment | None:
    if value is None:
        return None
    try:
        return Employment(value)
    except ValueError:
        raise InvalidInput(
            "Status kepegawaian harus 'pns' atau 'pppk'", field="recipient.employment"
        ) from None


def clean_text(
    value: str | None, field_name: str, *, required: bool = False, limit: int = MAX_TEXT
) -> str:
    """Trim, normalise to NFC and refuse control characters; titles and casing are kept as typed."""
    text = unicodedata.normalize("NFC", (value or "").strip())
    if required and not text:
        raise InvalidInput(f"{field_name} wajib diisi", field=field_name)
    if len(text) > limit:
        raise InvalidInput(
            f"{field_name} terlalu panjang ({len(text)} karakter, maks. {limit})", field=field_name
        )
    if any(unicodedata.category(char) == "Cc" for char in text):
        raise InvalidInput(f"{field_name} memuat karakter kendali", field=field_name)
    return text


def optional_text(value: str | None, field_name: str) -> str | None:
    return clean_text(value, field_name) or None
