"""Participant lists for batch issuance: one activity, many recipients, all checked before issuing.

A list arrives as a CSV or XLSX file (the format is detected from the content, not the name) or as
JSON. The first non-empty row of a file is the header; names are case-insensitive, surrounding
spaces are ignored, and spaces, ``/`` or ``-`` inside a name count as ``_`` ("Unit Kerja" is
``unit_kerja``):

| column | Indonesian aliases | required | goes to |
| --- | --- | --- | --- |
| ``nip`` | ``ni_pppk`` | yes | NIP (PNS) or NI PPPK, 18 digits, spaces allowed |
| ``name`` | ``nama`` | yes | name with titles as printed |
| ``position`` | ``jabatan`` | no | position |
| ``unit`` | ``unit_kerja`` | no | work unit |
| ``employment`` | ``status``, ``status_kepegawaian`` | no | ``pns`` or ``pppk`` |
| ``jp`` | | no | this participant's JP; overrides the activity's stated JP |
| ``score`` | ``nilai`` | no | final score 0-100 (``85,5`` or ``85.5``); STTP and transkrip only |
| ``predikat`` | | no | predicate as printed, e.g. "Sangat Memuaskan" |
| ``rank`` | ``pangkat``, ``pangkat_golongan`` | no | rank/grade, e.g. "Penata (III/c)" |
| ``birth_place`` | ``tempat_lahir`` | no | place of birth (the date comes from the NIP) |
| ``no`` | ``nomor``, ``no_urut`` | no | ignored (the usual row counter) |

Any other column is refused, so that a misspelt header never silently drops data. Transcript
subjects are not columns: they come from the batch's shared ``details``. The per-row ``score``
becomes ``details["final_score"]``, printed as the transkrip's "Nilai Akhir" and in the STTP's
sentence ("dengan nilai akhir 85,50 dan predikat Memuaskan"), with the predikat of the scale in
:mod:`registry.domain.formatting` unless a ``predikat`` column gives it; other document types
print no score, so a list for them that has the column is refused. CSV must be UTF-8 (Excel's "CSV
UTF-8", with or without BOM), separated by ``,`` or ``;`` (Indonesian Excel uses ``;``) or tab.
Type the NIP column as *Text*: Excel stores a number with only 15 significant digits, so an
18-digit NIP typed as a number has already lost its last digits and is refused. Errors name the
spreadsheet row (header = row 1); for JSON, ``row`` is the 1-based position in ``recipients``. At
most :data:`MAX_ROWS` participants.

Pure: rows and JSON items in, frozen dataclasses out. Reading the CSV or XLSX bytes into rows is
:mod:`registry.adapters.spreadsheets`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from registry.domain.decimals import plain_decimal
from registry.domain.drafts import (
    ActivityDraft,
    DocumentDraft,
    RecipientDraft,
    ValidDraft,
)
from registry.domain.errors import InvalidInput
from registry.domain.table_columns import ROW, ColumnSet
from registry.domain.text import optional_text

__all__ = [
    "COLUMNS",
    "HEADER_NAMES",
    "MAX_ERRORS",
    "MAX_ROWS",
    "PARTICIPANT_COLUMNS",
    "REQUIRED",
    "ROW",
    "BatchInvalid",
    "BatchRecipient",
    "draft_for",
    "invalid_rows",
    "recipients_from_json",
    "recipients_from_rows",
    "validate_batch",
]

MAX_ROWS = 5000
#: Errors listed in a BatchInvalid; the count of all of them is given beside.
MAX_ERRORS = 100
# Canonical column -> Indonesian aliases (header names after _header_name).
_ALIASES: dict[str, tuple[str, ...]] = {
    "nip": ("ni_pppk",),
    "name": ("nama",),
    "position": ("jabatan",),
    "unit": ("unit_kerja",),
    "employment": ("status", "status_kepegawaian"),
    "jp": (),
    "score": ("nilai",),
    "predikat": (),
    "rank": ("pangkat", "pangkat_golongan"),
    "birth_place": ("tempat_lahir",),
}
COLUMNS = tuple(_ALIASES)
REQUIRED = ("nip", "name")
#: Header name (after normalisation) -> canonical column.
HEADER_NAMES = {name: column for column, names in _ALIASES.items() for name in (column, *names)}
# Where draft_for puts row values in ``details``; validators name them so.
_DETAIL_COLUMNS = {"final_score": "score"}
_SCORED_TYPES = ("sttp", "transkrip")


class BatchInvalid(InvalidInput):
    """Some rows are refused; ``extra["errors"]`` lists ``{"row", "column", "detail"}``."""


@dataclass(frozen=True)
class BatchRecipient:
    """One participant as typed, from a file row or a JSON item; values are checked later."""

    row: int
    nip: str
    name: str
    position: str | None = None
    unit: str | None = None
    employment: str | None = None
    jp: str | None = None
    score: str | None = None
    predikat: str | None = None
    rank: str | None = None
    birth_place: str | None = None
    details: Mapping[str, Any] | None = None


def _invalid_rows(errors: list[dict[str, Any]]) -> BatchInvalid:
    return invalid_rows(errors)


PARTICIPANT_COLUMNS = ColumnSet(
    aliases=_ALIASES,
    required=REQUIRED,
    max_rows=MAX_ROWS,
    label="Daftar peserta",
    invalid_rows=_invalid_rows,
)


def recipients_from_rows(rows: Iterable[Mapping[str, str]]) -> list[BatchRecipient]:
    return [
        _recipient(int(row[ROW]), {column: row.get(column) for column in COLUMNS}, None)
        for row in rows
    ]


def recipients_from_json(items: Sequence[Mapping[str, Any]]) -> list[BatchRecipient]:
    """Recipients decoded from a JSON batch; ``row`` is the 1-based position in the list."""
    recipients = []
    for index, item in enumerate(items):
        where = f"recipients[{index}]"
        unknown = sorted(set(item) - {*COLUMNS, "details"})
        if unknown:
            raise InvalidInput(f"{where}: kolom tidak dikenal: {', '.join(unknown)}", field=where)
        values: dict[str, str | None] = {}
        for column in COLUMNS:
            value = item.get(column)
            if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal | None):
                raise InvalidInput(f"{where}.{column} harus teks", field=f"{where}.{column}")
            values[column] = None if value is None else str(value)
        details = item.get("details")
        if details is not None and not isinstance(details, Mapping):
            raise InvalidInput(f"{where}.details harus objek", field=f"{where}.details")
        recipients.append(_recipient(index + 1, values, details))
    return recipients


def _recipient(
    row: int, values: Mapping[str, str | None], details: Mapping[str, Any] | None
) -> BatchRecipient:
    cleaned: dict[str, Any] = {c: (values.get(c) or "").strip() or None for c in COLUMNS}
    cleaned.update(nip=cleaned["nip"] or "", name=cleaned["name"] or "")
    return BatchRecipient(row=row, details=details, **cleaned)


def draft_for(
    recipient: BatchRecipient,
    *,
    type: str,
    activity: ActivityDraft,
    unit_code: str | None,
    series: str | None,
    details: Mapping[str, Any] | None,
) -> DocumentDraft:
    """One participant's document request: shared activity and details, then the row's own values.

    Per-row values win: ``jp`` replaces the activity's stated JP; ``score`` goes to
    ``details["final_score"]`` of an STTP or transkrip (a normalised decimal string, as canonical
    JSON carries decimals; the template prints it and its predikat); ``predikat``, ``rank`` and
    ``birth_place`` go to ``details`` under those names.
    """
    if recipient.jp is not None:
        activity = replace(activity, jp=_decimal(recipient.jp, "jp", "JP"))
    merged: dict[str, Any] = {**(details or {}), **(recipient.details or {})}
    if recipient.score is not None:
        if type not in _SCORED_TYPES:
            # The whole list carries the column, so this is the batch's error, raised once.
            raise InvalidInput(
                f"Kolom nilai (score) hanya berlaku untuk dokumen {' dan '.join(_SCORED_TYPES)}",
                field="type",
            )
        score = _decimal(recipient.score, "score", "Nilai")
        if not 0 <= score <= 100:
            raise InvalidInput(f"Nilai harus 0-100 (diterima {recipient.score})", field="score")
        merged["final_score"] = plain_decimal(score)
    for column in ("predikat", "rank", "birth_place"):
        text = optional_text(getattr(recipient, column), column)
        if text is not None:
            merged[column] = text
    return DocumentDraft(
        type=type,
        recipient=RecipientDraft(
            nip=recipient.nip,
            name=recipient.name,
            position=recipient.position,
            unit=recipient.unit,
            employment=recipient.employment.lower() if recipient.employment else None,
        ),
        activity=activity,
        unit_code=unit_code,
        series=series,
        details=merged or None,
    )


def validate_batch(
    recipients: Sequence[BatchRecipient],
    build: Callable[[BatchRecipient], DocumentDraft],
    validate: Callable[[DocumentDraft], ValidDraft],
) -> list[ValidDraft]:
    """Validate every row, or issue nothing: all row errors are collected into one BatchInvalid.

    An error in a field no cell can cause (the activity's path, the document type, ...) is the
    batch's, not a row's: it is raised as it is, once, instead of once per row.
    """
    if not recipients:
        raise InvalidInput("Daftar peserta kosong", field="recipients")
    if len(recipients) > MAX_ROWS:
        raise InvalidInput(
            f"Daftar peserta terlalu panjang ({len(recipients)} baris, maks. {MAX_ROWS}); "
            "bagi menjadi beberapa unggahan",
            field="recipients",
        )
    errors: list[dict[str, Any]] = []
    valid: list[ValidDraft] = []
    first_row_of: dict[str, int] = {}
    for recipient in recipients:
        try:
            draft = validate(build(recipient))
        except InvalidInput as error:
            column = _column(error.field, recipient)
            if column is None:
                raise
            errors.append({"row": recipient.row, "column": column, "detail": error.message})
            continue
        digits = draft.employee.digits
        if digits in first_row_of:
            # The same person twice in one training list is almost always a paste error.
            errors.append(
                {
                    "row": recipient.row,
                    "column": "nip",
                    "detail": f"NIP sama dengan baris {first_row_of[digits]}",
                }
            )
            continue
        first_row_of[digits] = recipient.row
        valid.append(draft)
    if errors:
        raise invalid_rows(errors)
    return valid


def _column(field: str | None, recipient: BatchRecipient) -> str | None:
    """The column whose cell caused an error in ``field``; None when the batch's own values did."""
    name = (field or "").removeprefix("recipient.").removeprefix("activity.")
    detail = name.removeprefix("details.") if name.startswith("details.") else None
    name = _DETAIL_COLUMNS.get(detail, detail) if detail is not None else name
    if name in COLUMNS and getattr(recipient, name) is not None:
        return name
    if detail is not None and re.split(r"[.\[]", detail)[0] in (recipient.details or {}):
        return "details"  # a JSON recipient's own details
    return None


def invalid_rows(errors: list[dict[str, Any]]) -> BatchInvalid:
    rows = len({error["row"] for error in errors})
    return BatchInvalid(
        f"{rows} baris daftar peserta tidak valid; tidak ada dokumen yang diterbitkan. "
        "Perbaiki baris yang disebut lalu unggah ulang seluruh daftar.",
        field="recipients",
        errors=errors[:MAX_ERRORS],
        error_count=len(errors),
        invalid_rows=rows,
    )


def _decimal(text: str, field: str, label: str) -> Decimal:
    cleaned = text.strip()
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # Indonesian decimal comma: 85,5
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(f"{label} harus angka (diterima {text!r})", field=field) from None
    if not value.is_finite():
        raise InvalidInput(f"{label} harus angka (diterima {text!r})", field=field)
    if value < 0:
        raise InvalidInput(f"{label} tidak boleh negatif (diterima {text})", field=field)
    return value
