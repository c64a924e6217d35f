"""Plain read models handed from the service to the API (never ORM objects)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime


@dataclass(frozen=True)
class DocumentRef:
    id: uuid.UUID
    number: str


@dataclass(frozen=True)
class FileView:
    kind: str  # pdf | docx | upload
    sha256: str
    size: int
    media_type: str
    attested: bool  # carries a signed file attestation (the document's final file)


@dataclass(frozen=True)
class DocumentView:
    id: uuid.UUID
    number: str
    type: str
    status: str
    series: str
    unit_code: str | None
    nip: str
    nip_masked: str
    employment: str
    holder_name: str
    holder_position: str | None
    holder_unit: str | None
    title: str
    path: str
    scope: str
    start_date: date
    end_date: date
    stated_jp: str | None
    jp: str
    jp_rules: str
    organizer: str | None
    issuer: str
    issued_at: datetime
    kid: str
    token: str
    verify_url: str
    void_reason: str | None
    revoked_at: datetime | None
    revocation_reason: str | None
    supersedes: DocumentRef | None
    superseded_by: DocumentRef | None
    short_url: str | None = None
    template_name: str | None = None
    template_sha256: str | None = None
    batch_id: uuid.UUID | None = None
    files: tuple[FileView, ...] = ()
    #: What the document counts towards its holder's yearly JP (caps across documents applied).
    credited_jp: str | None = None


@dataclass(frozen=True)
class PublicDocument:
    """What anyone who scans a QR may see: no full NIP, no birth date."""

    number: str
    type: str
    holder_name: str
    nip_masked: str
    title: str
    path: str
    scope: str
    jp: str
    start_date: date
    end_date: date
    organizer: str | None
    issuer: str
    unit_code: str | None
    issued_at: datetime


@dataclass(frozen=True)
class Verification:
    status: str  # valid | revoked | superseded | invalid | unknown
    reason: str | None = None
    document: PublicDocument | None = None
    revoked_at: datetime | None = None
    revocation_reason: str | None = None
    superseded_by_number: str | None = None
    superseded_by_url: str | None = None
    superseded_at: datetime | None = None
    supersede_reason: str | None = None  # why this document was replaced
    # The document this one replaced (a correction), if any, and why it was corrected.
    replaces_number: str | None = None
    replaces_url: str | None = None
    replaces_reason: str | None = None
    kid: str | None = None
    signed: bytes | None = None
    signature: bytes | None = None
    file_sha256: str | None = None
    file_media_type: str | None = None
    file_signed: bytes | None = None
    file_signature: bytes | None = None


@dataclass(frozen=True)
class FileMatch:
    """The answer to "is this exact file one the registry issued?"."""

    status: str  # the document's verification status, or no_match
    sha256: str
    kind: str | None = None
    verification: Verification | None = None


@dataclass(frozen=True)
class FileCheck:
    """The answer to "is this file the one issued for the document whose page I am on?"."""

    outcome: str  # match | other_document | no_match | not_pdf | empty
    # Set for other_document: the genuine document this file belongs to.
    other_number: str | None = None
    other_verify_url: str | None = None


@dataclass(frozen=True)
class IssueOutcome:
    document: DocumentView
    replayed: bool


def public_document(view: DocumentView) -> PublicDocument:
    return PublicDocument(
        number=view.number,
        type=view.type,
        holder_name=view.holder_name,
        nip_masked=view.nip_masked,
        title=view.title,
        path=view.path,
        scope=view.scope,
        jp=view.jp,
        start_date=view.start_date,
        end_date=view.end_date,
        organizer=view.organizer,
        issuer=view.issuer,
        unit_code=view.unit_code,
        issued_at=view.issued_at,
    )


def as_utc(moment: datetime) -> datetime:
    """Timestamps as stored: SQLite hands them back naive, and they were written in UTC."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
