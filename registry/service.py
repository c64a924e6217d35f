"""The registry's operations: issue, revoke, supersede, read, verify.

Every state change happens in one transaction together with its number allocation and its audit
entry: either all of it is visible or none of it is, so no number is ever taken without an
accounted-for document.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from registry.db import audit, numbers
from registry.db.apikeys import Actor
from registry.db.engine import Database
from registry.db.schema import Document, IdempotencyKey, NipCheckWindow
from registry.drafts import DocumentDraft, ValidDraft, clean_text, validate_draft
from registry.errors import Conflict, InvalidInput, NotFound, PermissionDenied, VerificationError
from registry.keystore import KeyRing
from registry.nip import mask_nip
from registry.numbering import SeriesCatalog
from registry.records import DocumentRecord, nip_commitment, nip_matches
from registry.settings import Settings
from registry.signing import verify_signature
from registry.tokens import issue_token, verify_token
from registry.views import (
    DocumentRef,
    DocumentView,
    IssueOutcome,
    Verification,
    public_document,
)

MAX_NIP_FAILURES_PER_HOUR = 5
MAX_REASON = 1000
MAX_IDEMPOTENCY_KEY = 200
STATUS_LABELS = {
    "pending": "sedang diproses",
    "issued": "sah",
    "void": "batal",
    "revoked": "dicabut",
    "superseded": "diganti",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SearchFilter:
    number: str | None = None
    nip: str | None = None
    year: int | None = None
    type: str | None = None
    status: str | None = None
    unit_code: str | None = None
    limit: int = 50
    offset: int = 0


class Registry:
    def __init__(
        self,
        db: Database,
        keyring: KeyRing,
        catalog: SeriesCatalog,
        settings: Settings,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.db = db
        self.keyring = keyring
        self.catalog = catalog
        self.settings = settings
        self._clock = clock

    # -- time ----------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self._clock().astimezone(UTC)

    def local_today(self) -> date:
        return self.now().astimezone(self.settings.zone).date()

    def verify_url(self, token: str) -> str:
        return f"{self.settings.public_url}/v/{token}"

    # -- issuing -------------------------------------------------------------------------------

    def validate(self, draft: DocumentDraft) -> ValidDraft:
        return validate_draft(
            draft, catalog=self.catalog, rule_set=self.settings.jp_rules, today=self.local_today()
        )

    def issue(
        self, draft: DocumentDraft, actor: Actor, idempotency_key: str | None = None
    ) -> IssueOutcome:
        valid = self.validate(draft)
        return self._idempotent(
            actor,
            idempotency_key,
            "issue",
            _request_hash(asdict(draft)),
            lambda session, now: self._insert_document(session, valid, actor, now).id,
        )

    def supersede(
        self,
        document_id: uuid.UUID,
        draft: DocumentDraft,
        reason: str,
        actor: Actor,
        idempotency_key: str | None = None,
    ) -> IssueOutcome:
        valid = self.validate(draft)
        reason = clean_text(reason, "reason", required=True, limit=MAX_REASON)

        def work(session: Session, now: datetime) -> uuid.UUID:
            old = self._lock_issued(session, document_id, "diganti")
            new = self._insert_document(session, valid, actor, now, supersedes=old)
            old.status = "superseded"
            old.superseded_by_id = new.id
            old.superseded_at = now
            old.supersede_reason = reason
            audit.append(
                session,
                at=now,
                actor=actor.label,
                action="document.supersede",
                subject=str(old.id),
                details={"number": old.number, "replaced_by": new.number, "reason": reason},
            )
            return new.id

        payload = {"document_id": str(document_id), "reason": reason, "draft": asdict(draft)}
        return self._idempotent(actor, idempotency_key, "supersede", _request_hash(payload), work)

    def revoke(
        self,
        document_id: uuid.UUID,
        reason: str,
        actor: Actor,
        idempotency_key: str | None = None,
    ) -> IssueOutcome:
        reason = clean_text(reason, "reason", required=True, limit=MAX_REASON)

        def work(session: Session, now: datetime) -> uuid.UUID:
            document = self._lock_issued(session, document_id, "dicabut")
            document.status = "revoked"
            document.revoked_at = now
            document.revocation_reason = reason
            audit.append(
                session,
                at=now,
                actor=actor.label,
                action="document.revoke",
                subject=str(document.id),
                details={"number": document.number, "reason": reason},
            )
            return document.id

        payload = {"document_id": str(document_id), "reason": reason}
        return self._idempotent(actor, idempotency_key, "revoke", _request_hash(payload), work)

    def _insert_document(
        self,
        session: Session,
        valid: ValidDraft,
        actor: Actor,
        now: datetime,
        supersedes: Document | None = None,
    ) -> Document:
        key = self.keyring.active()
        local = now.astimezone(self.settings.zone)
        seq = numbers.allocate(session, valid.series.id, local.year)
        number = valid.series.render(seq, local.date(), valid.unit_code)
        document_id = uuid.uuid4()
        salt = secrets.token_bytes(16)
        activity = valid.activity
        record = DocumentRecord(
            id=str(document_id),
            number=number,
            type=valid.type,
            holder_name=valid.holder_name,
            holder_nip_commitment=nip_commitment(valid.employee.digits, salt),
            title=activity.title,
            path=activity.path,
            scope=activity.scope,
            jp=str(valid.jp),
            start_date=activity.start_date.isoformat(),
            end_date=activity.end_date.isoformat(),
            issuer=self.settings.issuer_name,
            unit_code=valid.unit_code,
            issued_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            kid=key.kid,
            supersedes=str(supersedes.id) if supersedes else None,
        )
        record_bytes = record.canonical_bytes()
        signature = key.sign(record_bytes)
        document = Document(
            id=document_id,
            series_id=valid.series.id,
            year=local.year,
            seq=seq,
            number=number,
            type=valid.type,
            status="issued",
            unit_code=valid.unit_code,
            nip=valid.employee.digits,
            employment=valid.employee.employment.value,
            nip_salt=salt,
            holder_name=valid.holder_name,
            holder_position=valid.holder_position,
            holder_unit=valid.holder_unit,
            title=activity.title,
            path=activity.path,
            scope=activity.scope,
            start_date=activity.start_date,
            end_date=activity.end_date,
            stated_jp=str(activity.jp) if activity.jp is not None else None,
            jp=str(valid.jp),
            jp_rules=valid.jp_rules,
            organizer=activity.organizer,
            issuer=self.settings.issuer_name,
            details=valid.details,
            issued_at=now,
            created_by=actor.label,
            kid=key.kid,
            record=record_bytes,
            signature=signature.value,
            token=issue_token(document_id, key),
            supersedes_id=supersedes.id if supersedes else None,
        )
        session.add(document)
        session.flush()
        audit.append(
            session,
            at=now,
            actor=actor.label,
            action="document.issue",
            subject=str(document_id),
            details={
                "number": number,
                "series": valid.series.id,
                "year": local.year,
                "seq": seq,
                "type": valid.type,
            },
        )
        return document

    def _lock_issued(self, session: Session, document_id: uuid.UUID, verb: str) -> Document:
        document = session.execute(
            select(Document).where(Document.id == document_id).with_for_update()
        ).scalar()
        if document is None:
            raise NotFound("Dokumen tidak ditemukan")
        if document.status != "issued":
            raise Conflict(
                f"Dokumen {document.number} berstatus {STATUS_LABELS[document.status]}; "
                f"hanya dokumen yang sah dapat {verb}",
                document_status=document.status,
            )
        return document

    def _idempotent(
        self,
        actor: Actor,
        key: str | None,
        operation: str,
        request_hash: str,
        work: Callable[[Session, datetime], uuid.UUID],
    ) -> IssueOutcome:
        if key is not None and not (0 < len(key) <= MAX_IDEMPOTENCY_KEY and key.isprintable()):
            raise InvalidInput(
                f"Idempotency-Key harus 1..{MAX_IDEMPOTENCY_KEY} karakter cetak",
                field="Idempotency-Key",
            )
        try:
            with self.db.writing() as session:
                if key is not None:
                    existing = session.get(IdempotencyKey, (actor.id, key))
                    if existing is not None:
                        return self._replay(session, existing, operation, request_hash)
                now = self.now()
                document_id = work(session, now)
                if key is not None:
                    session.add(
                        IdempotencyKey(
                            actor_id=actor.id,
                            key=key,
                            operation=operation,
                            request_hash=request_hash,
                            document_id=document_id,
                            created_at=now,
                        )
                    )
                    session.flush()
                return IssueOutcome(self._view(session.get_one(Document, document_id)), False)
        except IntegrityError:
            # A concurrent request with the same key committed first; our transaction (and any
            # number it took) rolled back. Answer as that request did.
            if key is None:
                raise
            with self.db.reading() as session:
                existing = session.get(IdempotencyKey, (actor.id, key))
                if existing is None:
                    raise
                return self._replay(session, existing, operation, request_hash)

    def _replay(
        self, session: Session, existing: IdempotencyKey, operation: str, request_hash: str
    ) -> IssueOutcome:
        if existing.operation != operation or existing.request_hash != request_hash:
            raise Conflict(
                "Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda",
                field="Idempotency-Key",
            )
        return IssueOutcome(self._view(session.get_one(Document, existing.document_id)), True)

    # -- reading -------------------------------------------------------------------------------

    def get(self, document_id: uuid.UUID, actor: Actor) -> DocumentView:
        with self.db.reading() as session:
            document = session.get(Document, document_id)
            if document is None:
                raise NotFound("Dokumen tidak ditemukan")
            if actor.role == "requester" and document.unit_code != actor.unit_code:
                raise PermissionDenied("Dokumen ini milik unit lain")
            return self._view(document)

    def search(self, actor: Actor, query: SearchFilter) -> list[DocumentView]:
        statement = select(Document)
        unit_code = actor.unit_code if actor.role == "requester" else query.unit_code
        if unit_code is not None:
            statement = statement.where(Document.unit_code == unit_code)
        if query.number:
            statement = statement.where(Document.number == query.number.strip())
        if query.nip:
            statement = statement.where(Document.nip == query.nip.replace(" ", ""))
        if query.year is not None:
            statement = statement.where(Document.year == query.year)
        if query.type:
            statement = statement.where(Document.type == query.type)
        if query.status:
            statement = statement.where(Document.status == query.status)
        statement = (
            statement.order_by(Document.issued_at.desc(), Document.number.desc())
            .limit(query.limit)
            .offset(query.offset)
        )
        with self.db.reading() as session:
            return [self._view(document) for document in session.execute(statement).scalars()]

    def _view(self, document: Document) -> DocumentView:
        session = _session_of(document)

        def ref(document_id: uuid.UUID | None) -> DocumentRef | None:
            if document_id is None:
                return None
            other = session.get_one(Document, document_id)
            return DocumentRef(id=other.id, number=other.number)

        return DocumentView(
            id=document.id,
            number=document.number,
            type=document.type,
            status=document.status,
            series=document.series_id,
            unit_code=document.unit_code,
            nip=document.nip,
            nip_masked=mask_nip(document.nip),
            employment=document.employment,
            holder_name=document.holder_name,
            holder_position=document.holder_position,
            holder_unit=document.holder_unit,
            title=document.title,
            path=document.path,
            scope=document.scope,
            start_date=document.start_date,
            end_date=document.end_date,
            stated_jp=document.stated_jp,
            jp=document.jp,
            jp_rules=document.jp_rules,
            organizer=document.organizer,
            issuer=document.issuer,
            issued_at=_as_utc(document.issued_at),
            kid=document.kid,
            token=document.token,
            verify_url=self.verify_url(document.token),
            void_reason=document.void_reason,
            revoked_at=_as_utc(document.revoked_at) if document.revoked_at else None,
            revocation_reason=document.revocation_reason,
            supersedes=ref(document.supersedes_id),
            superseded_by=ref(document.superseded_by_id),
        )

    # -- verifying -----------------------------------------------------------------------------

    def verify(self, token: str) -> Verification:
        with self.db.reading() as session:
            return self._verify(session, token)[0]

    def _verify(self, session: Session, token: str) -> tuple[Verification, Document | None]:
        public_keys = self.keyring.public_keys()
        try:
            verified = verify_token(token, public_keys)
        except VerificationError as exc:
            return Verification(status="invalid", reason=exc.reason), None
        document = session.get(Document, verified.document_id)
        if document is None or document.status == "pending":
            return Verification(status="unknown", reason="not_found"), None
        try:
            if verified.kid != document.kid or document.kid not in public_keys:
                raise VerificationError("key_mismatch")
            verify_signature(public_keys[document.kid], document.record, document.signature)
        except VerificationError as exc:
            return Verification(status="invalid", reason=f"record_{exc.reason}"), None
        if document.status == "void":
            return Verification(status="invalid", reason="void"), None
        common = {
            "document": public_document(self._view(document)),
            "kid": document.kid,
            "signed": document.record,
            "signature": document.signature,
        }
        if document.status == "revoked":
            return Verification(
                status="revoked",
                reason="revoked",
                revoked_at=_as_utc(document.revoked_at) if document.revoked_at else None,
                revocation_reason=document.revocation_reason,
                **common,  # type: ignore[arg-type]
            ), document
        if document.status == "superseded" and document.superseded_by_id is not None:
            replacement = session.get_one(Document, document.superseded_by_id)
            return Verification(
                status="superseded",
                reason="superseded",
                superseded_by_number=replacement.number,
                superseded_by_url=self.verify_url(replacement.token),
                superseded_at=_as_utc(document.superseded_at) if document.superseded_at else None,
                **common,  # type: ignore[arg-type]
            ), document
        return Verification(status="valid", **common), document  # type: ignore[arg-type]

    def confirm_nip(self, token: str, candidate: str) -> str:
        """Compare a typed NIP with the document's signed commitment.

        Returns ``match``, ``no_match``, ``locked`` (too many failures this hour: the page must not
        let anyone walk the ~20,000 plausible birth dates) or ``not_applicable``.
        """
        digits = candidate.replace(" ", "").strip()
        now = self.now()
        window = now.replace(minute=0, second=0, microsecond=0)
        with self.db.writing() as session:
            verification, document = self._verify(session, token)
            if document is None or verification.signed is None:
                return "not_applicable"
            failures = session.execute(
                select(NipCheckWindow.failures).where(
                    NipCheckWindow.document_id == document.id,
                    NipCheckWindow.window_start >= window - timedelta(hours=1),
                )
            ).scalars()
            if sum(failures) >= MAX_NIP_FAILURES_PER_HOUR:
                return "locked"
            commitment = json.loads(verification.signed)["holder_nip_commitment"]
            if digits.isdigit() and nip_matches(digits, document.nip_salt, commitment):
                return "match"
            dialect = session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            statement = insert(NipCheckWindow).values(
                document_id=document.id, window_start=window, failures=1
            )
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["document_id", "window_start"],
                    set_={"failures": NipCheckWindow.failures + 1},
                )
            )
            return "no_match"


def _session_of(document: Document) -> Session:
    session = object_session(document)
    if session is None:
        raise RuntimeError("document is detached")
    return session


def _as_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _request_hash(payload: object) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
