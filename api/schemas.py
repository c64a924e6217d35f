"""Request and response bodies of the HTTP API (msgspec Structs; never ORM objects)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import msgspec

from registry.drafts import ActivityDraft, DocumentDraft, RecipientDraft
from registry.encoding import b64url_encode
from registry.views import DocumentRef, DocumentView, PublicDocument, Verification


class RecipientIn(msgspec.Struct, forbid_unknown_fields=True):
    nip: str
    name: str
    position: str | None = None
    unit: str | None = None
    employment: str | None = None


class ActivityIn(msgspec.Struct, forbid_unknown_fields=True):
    title: str
    path: str
    scope: str
    start_date: date
    end_date: date
    jp: Decimal | None = None
    organizer: str | None = None
    sessions: int | None = None
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
            activity=ActivityDraft(
                title=activity.title,
                path=activity.path,
                scope=activity.scope,
                start_date=activity.start_date,
                end_date=activity.end_date,
                jp=activity.jp,
                organizer=activity.organizer,
                sessions=activity.sessions,
                semesters=activity.semesters,
            ),
            unit_code=self.unit_code,
            series=self.series,
            details=self.details,
        )


class DocumentSupersede(DocumentCreate, kw_only=True):
    reason: str


class RevokeRequest(msgspec.Struct, forbid_unknown_fields=True):
    reason: str


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
        )


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
    number: str
    verify_url: str
    at: datetime | None


class VerificationResult(msgspec.Struct):
    status: str
    reason: str | None = None
    document: PublicDocument | None = None
    revoked: Revocation | None = None
    superseded_by: Replacement | None = None
    kid: str | None = None
    signed: str | None = None
    signature: str | None = None

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
            )
            if result.superseded_by_number
            else None,
            kid=result.kid,
            signed=b64url_encode(result.signed) if result.signed is not None else None,
            signature=b64url_encode(result.signature) if result.signature is not None else None,
        )


class Health(msgspec.Struct):
    status: str
    database: str
    signing_key: str
