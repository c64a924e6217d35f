"""Request and response bodies of the HTTP API (msgspec Structs; never ORM objects)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar.datastructures import UploadFile

from registry.domain.drafts import ActivityDraft, DocumentDraft, RecipientDraft
from registry.domain.encoding import b64url_encode
from registry.domain.jp_sessions import LogEntry
from registry.domain.views import DocumentRef, DocumentView, FileMatch, PublicDocument, Verification
from registry.usecases.batches import BatchView


class RecipientIn(msgspec.Struct, forbid_unknown_fields=True):
    nip: str
    name: str
    position: str | None = None
    unit: str | None = None
    employment: str | None = None


_TEXT = msgspec.Meta(max_length=300)


class SessionIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One entry of a session log: a session, or an activity with its own dates."""

    date: dt.date
    end_date: dt.date | None = None
    minutes: int | None = None
    jp: Decimal | None = None
    topic: Annotated[str, _TEXT] | None = None
    outcome: Annotated[str, _TEXT] | None = None

    def to_entry(self) -> LogEntry:
        return LogEntry(
            date=self.date,
            end_date=self.end_date,
            minutes=self.minutes,
            jp=self.jp,
            topic=self.topic,
        )


class ActivityIn(msgspec.Struct, forbid_unknown_fields=True):
    title: str
    path: str
    scope: str
    start_date: date
    end_date: date
    jp: Decimal | None = None
    organizer: str | None = None
    sessions: list[SessionIn] | None = None
    semesters: int | None = None


class DocumentCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    type: str
    recipient: RecipientIn
    activity: ActivityIn
    unit_code: str | None = None
    series: str | None = None
    details: dict[str, Any] | None = None

    def to_draft(self) -> DocumentDraft:
        recipient, activity = self.recipient, self.activity
        return DocumentDraft(
            type=self.type,
            recipient=RecipientDraft(
                nip=recipient.nip,
                name=recipient.name,
                position=recipient.position,
                unit=recipient.unit,
                employment=recipient.employment,
            ),
            activity=_activity_draft(activity),
            unit_code=self.unit_code,
            series=self.series,
            details=self.details,
        )


def _activity_draft(activity: ActivityIn) -> ActivityDraft:
    return ActivityDraft(
        title=activity.title,
        path=activity.path,
        scope=activity.scope,
        start_date=activity.start_date,
        end_date=activity.end_date,
        jp=activity.jp,
        organizer=activity.organizer,
        sessions=(
            tuple(s.to_entry() for s in activity.sessions)
            if activity.sessions is not None
            else None
        ),
        semesters=activity.semesters,
    )


class DocumentSupersede(DocumentCreate, kw_only=True):
    reason: str


class RevokeRequest(msgspec.Struct, forbid_unknown_fields=True):
    reason: str


class BatchSpec(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """What every document of a batch shares."""

    type: str
    activity: ActivityIn
    unit_code: str | None = None
    series: str | None = None
    details: dict[str, Any] | None = None

    def activity_draft(self) -> ActivityDraft:
        return _activity_draft(self.activity)


class BatchCreate(BatchSpec, kw_only=True):
    """A JSON batch: the shared fields plus ``recipients`` (the columns of a participant list)."""

    recipients: list[dict[str, Any]]


@dataclass
class StampForm:
    """Multipart form of ``POST /api/v1/documents/stamp``."""

    file: UploadFile
    document: str


@dataclass
class FileForm:
    """Multipart form with one PDF in part ``file``."""

    file: UploadFile


class RecipientOut(msgspec.Struct):
    nip: str
    nip_masked: str
    employment: str
    name: str
    position: str | None
    unit: str | None


class ActivityOut(msgspec.Struct):
    title: str
    path: str
    scope: str
    start_date: date
    end_date: date
    stated_jp: str | None
    organizer: str | None


class DocumentLink(msgspec.Struct):
    id: uuid.UUID
    number: str


class FileOut(msgspec.Struct):
    kind: str
    sha256: str
    size: int
    media_type: str
    attested: bool
    url: str


class Document(msgspec.Struct):
    id: uuid.UUID
    number: str
    type: str
    status: str
    series: str
    unit_code: str | None
    recipient: RecipientOut
    activity: ActivityOut
    jp: str
    credited_jp: str | None
    jp_rules: str
    issuer: str
    issued_at: datetime
    kid: str
    verify_url: str
    void_reason: str | None
    revoked_at: datetime | None
    revocation_reason: str | None
    supersedes: DocumentLink | None
    superseded_by: DocumentLink | None
    short_url: str | None
    template: str | None
    template_sha256: str | None
    batch_id: uuid.UUID | None
    files: list[FileOut]

    @classmethod
    def from_view(cls, view: DocumentView) -> Document:
        return cls(
            id=view.id,
            number=view.number,
            type=view.type,
            status=view.status,
            series=view.series,
            unit_code=view.unit_code,
            recipient=RecipientOut(
                nip=view.nip,
                nip_masked=view.nip_masked,
                employment=view.employment,
                name=view.holder_name,
                position=view.holder_position,
                unit=view.holder_unit,
            ),
            activity=ActivityOut(
                title=view.title,
                path=view.path,
                scope=view.scope,
                start_date=view.start_date,
                end_date=view.end_date,
                stated_jp=view.stated_jp,
                organizer=view.organizer,
            ),
            jp=view.jp,
            credited_jp=view.credited_jp,
            jp_rules=view.jp_rules,
            issuer=view.issuer,
            issued_at=view.issued_at,
            kid=view.kid,
            verify_url=view.verify_url,
            void_reason=view.void_reason,
            revoked_at=view.revoked_at,
            revocation_reason=view.revocation_reason,
            supersedes=_link(view.supersedes),
            superseded_by=_link(view.superseded_by),
            short_url=view.short_url,
            template=view.template_name,
            template_sha256=view.template_sha256,
            batch_id=view.batch_id,
            files=[
                FileOut(
                    kind=f.kind,
                    sha256=f.sha256,
                    size=f.size,
                    media_type=f.media_type,
                    attested=f.attested,
                    url=f"/api/v1/documents/{view.id}/{f.kind}",
                )
                for f in view.files
            ],
        )


class IssuedDocument(Document):
    """The answer to an issuance: the document, and what about this deployment is not ready."""

    warnings: list[str] = []

    @classmethod
    def answer(cls, view: DocumentView, warnings: Sequence[str]) -> IssuedDocument:
        fields = msgspec.structs.asdict(Document.from_view(view))
        return cls(**fields, warnings=list(warnings))


def _link(ref: DocumentRef | None) -> DocumentLink | None:
    return DocumentLink(id=ref.id, number=ref.number) if ref else None


class DocumentList(msgspec.Struct):
    items: list[Document]
    limit: int
    offset: int


class Revocation(msgspec.Struct):
    at: datetime | None
    reason: str | None


class Replacement(msgspec.Struct):
    """The document that replaced this one, when, and why (the correction's reason)."""

    number: str
    verify_url: str
    at: datetime | None
    reason: str | None = None


class Replaced(msgspec.Struct):
    """The document this one replaced, and why it was corrected."""

    number: str
    verify_url: str
    reason: str | None = None


class VerificationResult(msgspec.Struct):
    """`reason` says why a token is not `valid`: for `unknown`, `not_found` (a genuine token of
    no document) or `code_not_found` (a typed short code that names no document)."""

    status: str
    reason: str | None = None
    document: PublicDocument | None = None
    revoked: Revocation | None = None
    superseded_by: Replacement | None = None
    replaces: Replaced | None = None
    kid: str | None = None
    signed: str | None = None
    signature: str | None = None
    file_sha256: str | None = None
    file_media_type: str | None = None
    file_signed: str | None = None
    file_signature: str | None = None

    @classmethod
    def from_verification(cls, result: Verification) -> VerificationResult:
        return cls(
            status=result.status,
            reason=result.reason,
            document=result.document,
            revoked=Revocation(at=result.revoked_at, reason=result.revocation_reason)
            if result.status == "revoked"
            else None,
            superseded_by=Replacement(
                number=result.superseded_by_number,
                verify_url=result.superseded_by_url or "",
                at=result.superseded_at,
                reason=result.supersede_reason,
            )
            if result.superseded_by_number
            else None,
            replaces=Replaced(
                number=result.replaces_number,
                verify_url=result.replaces_url or "",
                reason=result.replaces_reason,
            )
            if result.replaces_number
            else None,
            kid=result.kid,
            signed=b64url_encode(result.signed) if result.signed is not None else None,
            signature=b64url_encode(result.signature) if result.signature is not None else None,
            file_sha256=result.file_sha256,
            file_media_type=result.file_media_type,
            file_signed=_b64(result.file_signed),
            file_signature=_b64(result.file_signature),
        )


def _b64(data: bytes | None) -> str | None:
    return b64url_encode(data) if data is not None else None


class FileVerificationResult(msgspec.Struct):
    """``status`` is the document's status when this exact file was issued, else ``no_match``."""

    status: str
    file_sha256: str
    matched_file: str | None = None
    verification: VerificationResult | None = None

    @classmethod
    def from_match(cls, match: FileMatch) -> FileVerificationResult:
        return cls(
            status=match.status,
            file_sha256=match.sha256,
            matched_file=match.kind,
            verification=VerificationResult.from_verification(match.verification)
            if match.verification
            else None,
        )


class Job(msgspec.Struct):
    """A batch issuance and its progress."""

    id: uuid.UUID
    status: str
    type: str
    total: int
    issued: int
    void: int
    pending: int
    progress: float
    first_number: str
    last_number: str
    created_at: datetime
    finished_at: datetime | None
    merged_pdf_url: str | None
    zip_url: str | None
    error: str | None
    documents: list[DocumentLink]

    @classmethod
    def from_view(cls, view: BatchView) -> Job:
        done = view.total - view.pending
        return cls(
            id=view.id,
            status=view.status,
            type=view.type,
            total=view.total,
            issued=view.issued,
            void=view.void,
            pending=view.pending,
            progress=round(done / view.total, 4) if view.total else 1.0,
            first_number=view.first_number,
            last_number=view.last_number,
            created_at=view.created_at,
            finished_at=view.finished_at,
            merged_pdf_url=f"/api/v1/jobs/{view.id}/merged.pdf" if view.merged_sha256 else None,
            zip_url=f"/api/v1/jobs/{view.id}/documents.zip" if view.zip_sha256 else None,
            error=view.error,
            documents=[DocumentLink(id=ref.id, number=ref.number) for ref in view.documents],
        )


class SubmittedJob(Job):
    """The answer to a batch issuance: the job, and what about this deployment is not ready."""

    warnings: list[str] = []

    @classmethod
    def answer(cls, view: BatchView, warnings: Sequence[str]) -> SubmittedJob:
        return cls(**msgspec.structs.asdict(Job.from_view(view)), warnings=list(warnings))


class Health(msgspec.Struct):
    status: str
    database: str
    signing_key: str
    pdf: str  # ok | unavailable
    pdf_detail: str | None = None
    warnings: list[str] = []
