"""The registry's operations: issue, revoke, supersede, read, verify.

Every state change happens in one transaction together with its number allocation and its audit
entry: either all of it is visible or none of it is, so no number is ever taken without an
accounted-for document.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from registry.adapters import pdf
from registry.adapters.db import audit, numbers
from registry.adapters.db.engine import Database
from registry.adapters.db.schema import Document, DocumentFile, IdempotencyKey
from registry.adapters.keystore import KeyRing
from registry.adapters.qr import qr_png
from registry.domain.actors import SYSTEM_ACTOR, Actor
from registry.domain.content import DocumentContent
from registry.domain.drafts import DocumentDraft, ValidDraft, clean_text, validate_draft
from registry.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RegistryError,
)
from registry.domain.nip import mask_nip
from registry.domain.numbering import SeriesCatalog
from registry.domain.records import (
    DocumentRecord,
    nip_commitment,
)
from registry.domain.tokens import issue_token
from registry.domain.views import (
    DocumentRef,
    DocumentView,
    FileMatch,
    FileView,
    IssueOutcome,
    Verification,
)
from registry.domain.views import as_utc as _as_utc
from registry.settings import Settings
from registry.usecases.production import FileFacts, ProducedFile, Production, RenderPlan
from registry.usecases.verification import SHORT_CODE_LENGTH, Verifier

log = logging.getLogger("satupintu")


SHORT_CODE_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32: no i, l, o, u
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
        production: Production,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.db = db
        self.keyring = keyring
        self.catalog = catalog
        self.settings = settings
        self.production = production
        self._clock = clock
        self.verifier = Verifier(
            db, keyring, view=self._view, verify_url=self.verify_url, now=self.now
        )

    # -- time ----------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self._clock().astimezone(UTC)

    def local_today(self) -> date:
        return self.now().astimezone(self.settings.zone).date()

    def verify_url(self, token: str) -> str:
        return f"{self.settings.public_url}/v/{token}"

    def short_url(self, short_code: str) -> str:
        return f"{self.settings.public_url}/v/{short_code}"

    # -- issuing -------------------------------------------------------------------------------

    def validate(self, draft: DocumentDraft) -> ValidDraft:
        return validate_draft(
            draft, catalog=self.catalog, rule_set=self.settings.jp_rules, today=self.local_today()
        )

    def issue(
        self, draft: DocumentDraft, actor: Actor, idempotency_key: str | None = None
    ) -> IssueOutcome:
        valid = self.validate(draft)
        outcome = self._idempotent(
            actor,
            idempotency_key,
            "issue",
            request_fingerprint(asdict(draft)),
            lambda session, now: self._insert_document(session, valid, actor, now).id,
        )
        return self._completed(outcome)

    def _completed(self, outcome: IssueOutcome) -> IssueOutcome:
        # A replay of a request whose document is still being produced answers with it as it is.
        if outcome.replayed or outcome.document.status != "pending":
            return outcome
        return IssueOutcome(self.complete(outcome.document.id), replayed=False)

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
            if session.execute(
                select(Document.id).where(
                    Document.supersedes_id == old.id, Document.status == "pending"
                )
            ).first():
                raise Conflict(f"Pengganti dokumen {old.number} sedang diproses")
            # The old document stays valid until its replacement's files exist (see complete()).
            new = self._insert_document(session, valid, actor, now, supersedes=old)
            old.supersede_reason = reason
            return new.id

        payload = {"document_id": str(document_id), "reason": reason, "draft": asdict(draft)}
        outcome = self._idempotent(
            actor, idempotency_key, "supersede", request_fingerprint(payload), work
        )
        return self._completed(outcome)

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
        return self._idempotent(
            actor, idempotency_key, "revoke", request_fingerprint(payload), work
        )

    def stamp(
        self,
        draft: DocumentDraft,
        upload: bytes,
        actor: Actor,
        idempotency_key: str | None = None,
    ) -> tuple[IssueOutcome, bytes]:
        """Number a PDF made elsewhere: QR and number stamped on page 1; returns the stamped PDF."""
        pdf.check_upload(upload, max_bytes=self.settings.max_upload_bytes)
        valid = self.validate(draft)
        upload_sha256 = hashlib.sha256(upload).hexdigest()
        outcome = self._idempotent(
            actor,
            idempotency_key,
            "stamp",
            request_fingerprint({"draft": asdict(draft), "upload": upload_sha256}),
            lambda session, now: (
                self._insert_document(session, valid, actor, now, from_template=False).id
            ),
        )
        document = outcome.document
        if document.status == "pending" and not outcome.replayed:
            try:
                stamped = pdf.stamp(
                    upload,
                    qr_png=qr_png(document.verify_url),
                    number=document.number,
                    caption=document.short_url or document.verify_url,
                    corner=self.settings.stamp_corner,
                )
                stamped = self.production.finish_pdf(
                    stamped,
                    FileFacts(document.number, document.verify_url, document.title),
                )
            except RegistryError as exc:
                self.void(document.id, exc.message)
                raise
            except Exception as exc:  # pypdf meets all kinds of PDFs in the wild
                log.exception("stamping %s failed", document.number)
                reason = "PDF tidak dapat dicap (struktur berkas tidak didukung)"
                self.void(document.id, reason)
                raise InvalidInput(reason, field="file") from exc
            produced: list[ProducedFile] = []
            try:
                produced.append(self.production.store_plain("upload", upload))
                produced.append(self.production.store_signed("pdf", stamped, document.id))
            except Exception:
                # The number must not stay pending, nor a stored file stay without its record.
                self.production.discard(produced)
                self.void(document.id, "Berkas hasil pencapan tidak dapat disimpan")
                raise
            document = self.record_files(document.id, produced)
        stamped_file = next((f for f in document.files if f.kind == "pdf"), None)
        if stamped_file is None:
            raise Conflict(
                f"Dokumen {document.number} berstatus {STATUS_LABELS[document.status]}",
                document_status=document.status,
            )
        data = self.production.store.read(stamped_file.sha256)
        return IssueOutcome(document, outcome.replayed), data

    def file_path(
        self, document_id: uuid.UUID, kind: str, actor: Actor
    ) -> tuple[DocumentView, Path]:
        """Where a document's stored file is, for those allowed to read the document."""
        view = self.get(document_id, actor)
        stored = next((f for f in view.files if f.kind == kind), None)
        if stored is None:
            if kind == "pdf" and view.status != "pending" and not self.production.pdf_available:
                raise NotFound(
                    f"PDF dokumen {view.number} tidak tersedia: "
                    f"{self.production.pdf_unavailable_reason}"
                )
            raise NotFound(f"Dokumen {view.number} tidak memiliki berkas {kind.upper()}")
        return view, self.production.store.path(stored.sha256)

    def _insert_document(
        self,
        session: Session,
        valid: ValidDraft,
        actor: Actor,
        now: datetime,
        supersedes: Document | None = None,
        *,
        from_template: bool = True,
    ) -> Document:
        local = now.astimezone(self.settings.zone)
        seq = numbers.allocate(session, valid.series.id, local.year)
        return self.record_pending(
            session, valid, actor, now, seq, supersedes=supersedes, from_template=from_template
        )

    def record_pending(
        self,
        session: Session,
        valid: ValidDraft,
        actor: Actor,
        now: datetime,
        seq: int,
        *,
        supersedes: Document | None = None,
        batch_id: uuid.UUID | None = None,
        from_template: bool = True,
    ) -> Document:
        """Record a numbered document as ``pending``: number, signed record, token, render plan.

        Its files are made after this transaction commits (see :meth:`complete`).
        """
        key = self.keyring.active()
        local = now.astimezone(self.settings.zone)
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
            issuer=self.production.issuer,
            unit_code=valid.unit_code,
            issued_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            kid=key.kid,
            supersedes=str(supersedes.id) if supersedes else None,
        )
        record_bytes = record.canonical_bytes()
        signature = key.sign(record_bytes)
        token = issue_token(document_id, key)
        short_code = "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))
        content = DocumentContent(
            type=valid.type,
            number=number,
            issued_on=local.date(),
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
            verify_url=self.verify_url(token),
            short_url=self.short_url(short_code),
        )
        plan = self.production.plan(content) if from_template else None
        document = Document(
            id=document_id,
            series_id=valid.series.id,
            year=local.year,
            seq=seq,
            number=number,
            type=valid.type,
            status="pending",
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
            issuer=self.production.issuer,
            details=valid.details,
            issued_at=now,
            created_by=actor.label,
            kid=key.kid,
            record=record_bytes,
            signature=signature.value,
            token=token,
            short_code=short_code,
            supersedes_id=supersedes.id if supersedes else None,
            template_name=plan.template_name if plan else None,
            template_sha256=plan.template_sha256 if plan else None,
            render_context=plan.context if plan else None,
            batch_id=batch_id,
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
                "template": plan.template_name if plan else None,
                "template_sha256": plan.template_sha256 if plan else None,
            },
        )
        return document

    # -- producing files -----------------------------------------------------------------------

    def complete(self, document_id: uuid.UUID) -> DocumentView:
        """Make a pending document's files and mark it issued, or void it with the reason.

        Safe to call twice and from several processes: the files of whichever call commits first
        are kept; a later call finds the document no longer pending and leaves it alone.
        """
        with self.db.reading() as session:
            document = session.get(Document, document_id)
            if document is None:
                raise NotFound("Dokumen tidak ditemukan")
            if document.status != "pending":
                return self._view(document)
            # A stamped upload whose process died before its files were stored: the upload is
            # gone with it, so the number is voided and the caller must stamp again.
            unrecoverable = document.template_sha256 is None
            plan = RenderPlan(
                document.template_name or "",
                document.template_sha256 or "",
                dict(document.render_context or {}),
            )
            facts = FileFacts(
                number=document.number,
                verify_url=self.verify_url(document.token),
                title=document.title,
            )
        if unrecoverable:
            self.void(document_id, "Proses pencapan terhenti sebelum berkas tersimpan")
            return self.get(document_id, SYSTEM_ACTOR)
        try:
            produced = self.production.produce(document_id, plan, facts)
        except RegistryError as exc:
            log.warning("document %s could not be produced: %s", document_id, exc.message)
            self.void(document_id, exc.message)
            raise
        except Exception:
            # Whatever broke, the number must not stay pending: void it and let the error through.
            log.exception("document %s could not be produced", document_id)
            self.void(document_id, "Kesalahan tak terduga saat membuat berkas dokumen")
            raise
        return self.record_files(document_id, produced)

    def record_files(self, document_id: uuid.UUID, produced: list[ProducedFile]) -> DocumentView:
        try:
            with self.db.writing() as session:
                document = session.execute(
                    select(Document).where(Document.id == document_id).with_for_update()
                ).scalar_one()
                if document.status != "pending":
                    # Another process finished it first; keep any file its record points at.
                    referenced = set(
                        session.execute(
                            select(DocumentFile.sha256).where(
                                DocumentFile.sha256.in_([f.sha256 for f in produced])
                            )
                        ).scalars()
                    )
                    self.production.discard([f for f in produced if f.sha256 not in referenced])
                    return self._view(document)
                now = self.now()
                for produced_file in produced:
                    session.add(
                        DocumentFile(
                            document_id=document_id,
                            kind=produced_file.kind,
                            sha256=produced_file.sha256,
                            size=produced_file.size,
                            media_type=produced_file.media_type,
                            kid=produced_file.kid,
                            signature=produced_file.signature,
                            created_at=now,
                        )
                    )
                document.status = "issued"
                audit.append(
                    session,
                    at=now,
                    actor="system",
                    action="document.files",
                    subject=str(document_id),
                    details={
                        "number": document.number,
                        "files": {f.kind: f.sha256 for f in produced},
                    },
                )
                if document.supersedes_id is not None:
                    self._finish_supersede(session, document, now)
                session.flush()
                return self._view(document)
        except BaseException:
            self.production.discard(produced)
            raise

    def _finish_supersede(self, session: Session, new: Document, now: datetime) -> None:
        old = session.execute(
            select(Document).where(Document.id == new.supersedes_id).with_for_update()
        ).scalar_one()
        if old.status != "issued":
            return  # revoked meanwhile: it stays revoked; the new one still names what it replaces
        old.status = "superseded"
        old.superseded_by_id = new.id
        old.superseded_at = now
        audit.append(
            session,
            at=now,
            actor=new.created_by,
            action="document.supersede",
            subject=str(old.id),
            details={
                "number": old.number,
                "replaced_by": new.number,
                "reason": old.supersede_reason,
            },
        )

    def void(self, document_id: uuid.UUID, reason: str) -> None:
        """A pending document that cannot be produced keeps its number, marked void with why."""
        with self.db.writing() as session:
            document = session.execute(
                select(Document).where(Document.id == document_id).with_for_update()
            ).scalar_one()
            if document.status != "pending":
                return
            now = self.now()
            document.status = "void"
            document.void_reason = reason[:MAX_REASON]
            if document.supersedes_id is not None:
                old = session.get_one(Document, document.supersedes_id)
                if old.status == "issued":
                    old.supersede_reason = None
            audit.append(
                session,
                at=now,
                actor="system",
                action="document.void",
                subject=str(document_id),
                details={"number": document.number, "reason": document.void_reason},
            )

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
            short_url=self.short_url(document.short_code) if document.short_code else None,
            template_name=document.template_name,
            template_sha256=document.template_sha256,
            batch_id=document.batch_id,
            files=tuple(
                FileView(
                    kind=row.kind,
                    sha256=row.sha256,
                    size=row.size,
                    media_type=row.media_type,
                    attested=row.signature is not None,
                )
                for row in session.execute(
                    select(DocumentFile)
                    .where(DocumentFile.document_id == document.id)
                    .order_by(DocumentFile.kind)
                ).scalars()
            ),
        )

    # -- verifying -----------------------------------------------------------------------------

    def verify(self, token: str) -> Verification:
        return self.verifier.verify(token)

    def verify_file(self, data: bytes) -> FileMatch:
        return self.verifier.verify_file(data)

    def confirm_nip(self, token: str, candidate: str) -> str:
        return self.verifier.confirm_nip(token, candidate)


def _session_of(document: Document) -> Session:
    session = object_session(document)
    if session is None:
        raise RuntimeError("document is detached")
    return session


def request_fingerprint(payload: object) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
