"""Response bodies of the requests API (msgspec Structs); the domain checks request bodies."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from registry.domain.decimals import plain_decimal
from registry.usecases.requests import EvidenceView, RequestView


class RejectIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str | None = None


class EvidenceOut(msgspec.Struct):
    id: uuid.UUID
    kind: str
    sha256: str
    size: int
    media_type: str
    filename: str | None
    created_at: dt.datetime
    #: Where the file itself is served (for those who may read the request).
    url: str

    @classmethod
    def from_view(cls, view: EvidenceView) -> EvidenceOut:
        return cls(
            id=view.id,
            kind=view.kind,
            sha256=view.sha256,
            size=view.size,
            media_type=view.media_type,
            filename=view.filename,
            created_at=view.created_at,
            url=f"/api/v1/requests/{view.request_id}/evidence/{view.id}",
        )


class SessionOut(msgspec.Struct):
    date: str
    topic: str
    minutes: int | None
    stated_jp: str | None
    outcome: str | None
    #: What the JP rules credit this session (caps included); null when the log cannot be credited.
    jp: str | None
    counted: bool | None
    reason: str | None


class RequestOut(msgspec.Struct):
    id: uuid.UUID
    status: str
    unit_code: str
    kind: str
    scope: str
    employee: dict[str, Any]
    guide_role: str | None
    guide: dict[str, Any] | None
    sessions: list[SessionOut]
    jp: str | None
    jp_error: str | None
    reason: str | None
    document_id: uuid.UUID | None
    document_url: str | None
    evidence: list[EvidenceOut]
    created_by: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    decided_by: str | None

    @classmethod
    def from_view(cls, view: RequestView) -> RequestOut:
        verdicts = list(view.credit.entries) if view.credit else [None] * len(view.sessions)
        sessions = [
            SessionOut(
                date=s["date"],
                topic=s["topic"],
                minutes=s.get("minutes"),
                stated_jp=s.get("jp"),
                outcome=s.get("outcome"),
                jp=None if v is None else plain_decimal(v.jp),
                counted=None if v is None else v.counted,
                reason=None if v is None else v.reason,
            )
            for s, v in zip(view.sessions, verdicts, strict=True)
        ]
        return cls(
            id=view.id,
            status=view.status,
            unit_code=view.unit_code,
            kind=view.kind,
            scope=view.scope,
            employee=view.employee,
            guide_role=view.guide_role,
            guide=view.guide,
            sessions=sessions,
            jp=plain_decimal(view.credit.jp) if view.credit else None,
            jp_error=view.credit_error,
            reason=view.reason,
            document_id=view.document_id,
            document_url=f"/api/v1/documents/{view.document_id}" if view.document_id else None,
            evidence=[EvidenceOut.from_view(e) for e in view.evidence],
            created_by=view.created_by,
            created_at=view.created_at,
            submitted_at=view.submitted_at,
            decided_at=view.decided_at,
            decided_by=view.decided_by,
        )


class RequestList(msgspec.Struct):
    requests: list[RequestOut]
