"""What a valid draft becomes once it holds a number: the record its signature covers, and what
its template prints.

Both are built from the same facts, so the paper and the signed record can never disagree about
a name, a date or a JP count.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from registry.domain.content import DocumentContent
from registry.domain.decimals import plain_decimal
from registry.domain.drafts import ValidDraft
from registry.domain.records import DocumentRecord, nip_commitment


@dataclass(frozen=True)
class Numbering:
    """What the registry adds to a valid draft when it takes a number for it."""

    document_id: uuid.UUID
    number: str
    issued_at: datetime  # UTC: the signed record's moment
    issued_on: date  # the agency's local calendar day, printed on the document
    kid: str  # the signing key's id
    nip_salt: bytes
    issuer: str
    verify_url: str
    short_url: str
    supersedes: uuid.UUID | None = None


def document_record(valid: ValidDraft, numbering: Numbering) -> DocumentRecord:
    activity = valid.activity
    return DocumentRecord(
        id=str(numbering.document_id),
        number=numbering.number,
        type=valid.type,
        holder_name=valid.holder_name,
        holder_nip_commitment=nip_commitment(valid.employee.digits, numbering.nip_salt),
        title=activity.title,
        path=activity.path,
        scope=activity.scope,
        jp=plain_decimal(valid.jp),
        start_date=activity.start_date.isoformat(),
        end_date=activity.end_date.isoformat(),
        issuer=numbering.issuer,
        unit_code=valid.unit_code,
        issued_at=numbering.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        kid=numbering.kid,
        supersedes=str(numbering.supersedes) if numbering.supersedes else None,
    )


def document_content(valid: ValidDraft, numbering: Numbering) -> DocumentContent:
    activity = valid.activity
    return DocumentContent(
        type=valid.type,
        number=numbering.number,
        issued_on=numbering.issued_on,
        holder_name=valid.holder_name,
        nip=valid.employee.digits,
        employment=valid.employee.employment.value,
        holder_position=valid.holder_position,
        holder_unit=valid.holder_unit,
        title=activity.title,
        path=activity.path,
        scope=activity.scope,
        start_date=activity.start_date,
        end_date=activity.end_date,
        jp=valid.jp,
        jp_rules=valid.jp_rules,
        organizer=activity.organizer,
        details=valid.details or {},
        verify_url=numbering.verify_url,
        short_url=numbering.short_url,
    )
