"""The registry's state transitions (issue, supersede, revoke, stamp, complete, void) and the
:class:`Registry` facade the API, the CLI and the jobs call.

Every state change happens in one transaction together with its number allocation and its audit
entry: either all of it is visible or none of it is, so no number is ever taken without an
accounted-for document. Reading lives in ``reading``, idempotency keys in ``idempotency``, the
building of a pending document's record in ``recording``, verification in ``verification``.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters import pdf
from registry.adapters.db import audit
from registry.adapters.db.engine import Database
from registry.adapters.db.schema import Document, DocumentFile
from registry.adapters.keystore import KeyRing
from registry.adapters.qr import qr_png
from registry.domain.actors import SYSTEM_ACTOR, Actor
from registry.domain.drafts import DocumentDraft, ValidDraft, validate_draft
from registry.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    NumberVoided,
    RegistryError,
    voided_message,
)
from registry.domain.links import PublicLinks
from registry.domain.numbering import SeriesCatalog
from registry.domain.text import clean_text
from registry.domain.views import DocumentView, FileMatch, FileView, IssueOutcome, Verification
from registry.settings import Settings
from registry.usecases.idempotency import IdempotencyKeys, Made
from registry.usecases.notifications import Addressbook, Mailer, MailQueue, NoAddressbook
from registry.usecases.production import (
    FileFacts,
    ProducedFile,
    Production,
    RenderPlan,
    sha256_of,
)
from registry.usecases.reading import DocumentReader, SearchFilter
from registry.usecases.recent_answers import RecentAnswers
from registry.usecases.recording import PendingRecorder, RecordedDocument
from registry.usecases.unrecorded_files import UnrecordedFiles, document_owner
from registry.usecases.verification import Verifier

__all__ = ["STATUS_LABELS", "IssueHold", "Registry", "SearchFilter", "utc_now"]

log = logging.getLogger("satupintu")

MAX_REASON = 1000


def clean_reason(reason: str | None) -> str:
    """A revocation's or replacement's reason, as it will be printed on the verification page."""
    return clean_text(reason, "reason", required=True, limit=MAX_REASON, label="Alasan")


STATUS_LABELS = {
    "pending": "sedang diproses",
    "issued": "sah",
    "void": "batal",
    "revoked": "dicabut",
    "superseded": "diganti",
}


class IssueHold(Protocol):
    """Another record an issue is bound to, inside the transaction that numbers the document."""

    def before(self, session: Session, now: datetime) -> None:
        """Lock and check the record; raising refuses the issue before any number is taken."""
        ...

    def after(self, session: Session, document: RecordedDocument, now: datetime) -> None:
        """Link the new (pending) document to the record, in the same transaction."""
        ...


def utc_now() -> datetime:
    return datetime.now(UTC)


class Registry:
    def __init__(
        self,
        db: Database,
        keyring: KeyRing,
        catalog: SeriesCatalog,
        settings: Settings,
        production: Production,
        clock: Callable[[], datetime] = utc_now,
        *,
        addressbook: Addressbook | None = None,
        mailer: Mailer | None = None,
    ) -> None:
        self.db = db
        self.keyring = keyring
        self.catalog = catalog
        self.settings = settings
        self.production = production
        self._clock = clock
        self.links = PublicLinks(settings.public_url)
        self.reader = DocumentReader(db, self.links)
        self.idempotency = IdempotencyKeys(db, self.now)
        self.recorder = PendingRecorder(keyring, settings, production, self.links)
        self.unrecorded_files = UnrecordedFiles(db, production.store, self.now)
        self.verifier = Verifier(
            db,
            keyring,
            view=self.reader.view,
            verify_url=self.links.verify_url,
            now=self.now,
            answers=RecentAnswers(ttl=settings.verify_cache_seconds),
        )
        # Notifications (usecases.notifications): who has which address, how mail goes out, and
        # the queue that sends it (set by whoever runs one; None sends at once, one attempt).
        self.addressbook: Addressbook = addressbook or NoAddressbook()
        self.mailer = mailer
        self.mail_queue: MailQueue | None = None

    # -- time and addresses --------------------------------------------------------------------

    def now(self) -> datetime:
        return self._clock().astimezone(UTC)

    def local_today(self) -> date:
        return self.now().astimezone(self.settings.zone).date()

    def verify_url(self, token: str) -> str:
        return self.links.verify_url(token)

    def short_url(self, short_code: str) -> str:
        return self.links.short_url(short_code)

    # -- issuing -------------------------------------------------------------------------------

    def validate(self, draft: DocumentDraft) -> ValidDraft:
        return validate_draft(
            draft, catalog=self.catalog, rule_set=self.settings.jp_rules, today=self.local_today()
        )

    def issue(
        self,
        draft: DocumentDraft,
        actor: Actor,
        idempotency_key: str | None = None,
        *,
        hold: IssueHold | None = None,
    ) -> IssueOutcome:
        """Number, record and produce one document.

        ``hold`` ties the issue to another record in the numbering transaction (a request being
        approved): it is locked and checked before the number is taken, and told the new
        document before the commit, so refusing it takes no number.
        """
        return self._completed(self.take_number(draft, actor, idempotency_key, hold=hold))

    def take_number(
        self,
        draft: DocumentDraft,
        actor: Actor,
        idempotency_key: str | None = None,
        *,
        hold: IssueHold | None = None,
    ) -> IssueOutcome:
        """The numbering half of :meth:`issue`: validated, numbered, signed and recorded
        ``pending`` in one transaction; the files are not made yet (:meth:`complete` makes them).
        The numbering benchmark times this path without LibreOffice."""
        valid = self.validate(draft)

        def work(session: Session, now: datetime) -> RecordedDocument:
            if hold is not None:
                hold.before(session, now)
            document = self.recorder.insert(session, valid, actor, now)
            if hold is not None:
                hold.after(session, document, now)
            return document

        # Without a key nothing is fingerprinted: the draft's copy as a dict is not needed.
        payload = asdict(draft) if idempotency_key is not None else None
        return self._keyed(actor, idempotency_key, "issue", payload, work)

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
        reason = clean_reason(reason)

        def work(session: Session, now: datetime) -> RecordedDocument:
            old = self._lock_issued(session, document_id, "diganti")
            if session.execute(
                select(Document.id).where(
                    Document.supersedes_id == old.id, Document.status == "pending"
                )
            ).first():
                raise Conflict(f"Pengganti dokumen {old.number} sedang diproses")
            # The old document stays valid until its replacement's files exist (see complete()).
            new = self.recorder.insert(session, valid, actor, now, supersedes=old)
            old.supersede_reason = reason
            return new

        payload = {"document_id": str(document_id), "reason": reason, "draft": asdict(draft)}
        try:
            return self._completed(self._keyed(actor, idempotency_key, "supersede", payload, work))
        finally:
            self.verifier.forget()

    def revoke(
        self,
        document_id: uuid.UUID,
        reason: str,
        actor: Actor,
        idempotency_key: str | None = None,
    ) -> IssueOutcome:
        reason = clean_reason(reason)

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
        try:
            return self._keyed(actor, idempotency_key, "revoke", payload, work)
        finally:
            self.verifier.forget()

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
        outcome = self._keyed(
            actor,
            idempotency_key,
            "stamp",
            {"draft": asdict(draft), "upload": upload_sha256},
            lambda session, now: self.recorder.insert(
                session, valid, actor, now, from_template=False
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
                self.unrecorded_files.announce(
                    document_owner(document.id), [upload_sha256, sha256_of(stamped)]
                )
                produced.append(self.production.store_plain("upload", upload))
                produced.append(self.production.store_signed("pdf", stamped, document.id))
            except Exception as exc:
                # The number must not stay pending, nor a stored file stay without its record.
                log.exception("storing the stamped %s failed", document.number)
                self.production.discard(produced)
                reason = "Berkas hasil pencapan tidak dapat disimpan"
                self.void(document.id, reason)
                raise _voided(reason, document.number) from exc
            document = self.record_files(document.id, produced)
        stamped_file = next((f for f in document.files if f.kind == "pdf"), None)
        if stamped_file is None:
            raise Conflict(
                f"Dokumen {document.number} berstatus {STATUS_LABELS[document.status]}",
                document_status=document.status,
            )
        data = self.production.store.read(stamped_file.sha256)
        return IssueOutcome(document, outcome.replayed), data

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
    ) -> RecordedDocument:
        """Record a numbered document as ``pending``; its files are made after the commit."""
        return self.recorder.record(
            session,
            valid,
            actor,
            now,
            seq,
            supersedes=supersedes,
            batch_id=batch_id,
            from_template=from_template,
        )

    def _keyed(
        self,
        actor: Actor,
        key: str | None,
        operation: str,
        payload: object,
        work: Callable[[Session, datetime], uuid.UUID | RecordedDocument],
    ) -> IssueOutcome:
        """A document operation under an idempotency key: a replay answers with its document.

        ``work`` returns the document's id, or the document it has just recorded whole: then the
        answer is built from what was written, with no read after the commit.
        """
        written: list[RecordedDocument] = []

        def made(session: Session, now: datetime) -> Made:
            done = work(session, now)
            if isinstance(done, RecordedDocument):
                written.append(done)
                return Made(document_id=done.id)
            return Made(document_id=done)

        answered = self.idempotency.run(
            actor,
            key,
            operation,
            payload,
            made,
            lambda session, made: self.reader.view(session.get_one(Document, made.document_id)),
            fresh=lambda _: written[-1].view() if written else None,
        )
        return IssueOutcome(answered.value, answered.replayed)

    # -- producing files -----------------------------------------------------------------------

    def complete(self, document_id: uuid.UUID) -> DocumentView:
        """Make a pending document's files and mark it issued, or void it with the reason.

        Safe to call twice and from several processes: the files of whichever call commits first
        are kept; a later call finds the document no longer pending and leaves it alone. An
        unforeseen error voids the number too and is raised as :class:`NumberVoided`, naming it.
        """
        with self.db.reading() as session:
            document = session.get(Document, document_id)
            if document is None:
                raise NotFound("Dokumen tidak ditemukan")
            if document.status != "pending":
                return self.reader.view(document)
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
                verify_url=self.links.verify_url(document.token),
                title=document.title,
            )
        if unrecoverable:
            self.void(document_id, "Proses pencapan terhenti sebelum berkas tersimpan")
            return self.get(document_id, SYSTEM_ACTOR)
        owner = document_owner(document_id)
        try:
            produced = self.production.produce(
                document_id,
                plan,
                facts,
                before_storing=lambda hashes: self.unrecorded_files.announce(owner, hashes),
            )
        except RegistryError as exc:
            log.warning("document %s could not be produced: %s", document_id, exc.message)
            self.void(document_id, exc.message)
            exc.voided(facts.number)
            raise
        except Exception as exc:
            # Whatever broke, the number must not stay pending: void it and say so.
            log.exception("document %s could not be produced", document_id)
            reason = "Kesalahan tak terduga saat membuat berkas dokumen"
            self.void(document_id, reason)
            raise _voided(reason, facts.number) from exc
        return self.record_files(document_id, produced)

    def record_files(self, document_id: uuid.UUID, produced: list[ProducedFile]) -> DocumentView:
        view = self._record_files(document_id, produced)
        if view.supersedes is not None:
            self.verifier.forget()  # the replaced document is superseded now
        return view

    def _record_files(self, document_id: uuid.UUID, produced: list[ProducedFile]) -> DocumentView:
        owner = document_owner(document_id)
        try:
            with self.db.writing() as session:
                document = session.execute(
                    select(Document).where(Document.id == document_id).with_for_update()
                ).scalar_one()
                if document.status != "pending":
                    # Another process finished it first: this call's files (announced, so among
                    # the leftovers) go below, unless its record points at the same bytes.
                    leftovers = self.unrecorded_files.settle(session, owner, recorded=())
                    view = self.reader.view(document)
                else:
                    leftovers = self.unrecorded_files.settle(
                        session, owner, recorded={f.sha256 for f in produced}
                    )
                    view = self._issue_files(session, document, produced)
        except BaseException:
            self.production.discard(produced)
            raise
        # Files of an attempt that recorded nothing (a dead earlier one, or this one): they go now.
        self.unrecorded_files.remove(owner, leftovers)
        return view

    def _issue_files(
        self, session: Session, document: Document, produced: list[ProducedFile]
    ) -> DocumentView:
        now = self.now()
        for produced_file in produced:
            session.add(
                DocumentFile(
                    document_id=document.id,
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
            subject=str(document.id),
            details={
                "number": document.number,
                "files": {f.kind: f.sha256 for f in produced},
            },
        )
        if document.supersedes_id is not None:
            self._finish_supersede(session, document, now)
        session.flush()
        return self.reader.view(document)

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
        try:
            self._void(document_id, reason)
        finally:
            self.verifier.forget()  # a replaced document loses its pending supersede reason

    def _void(self, document_id: uuid.UUID, reason: str) -> None:
        owner = document_owner(document_id)
        with self.db.writing() as session:
            document = session.execute(
                select(Document).where(Document.id == document_id).with_for_update()
            ).scalar_one()
            # Whatever an attempt at it stored is nobody's now (or was recorded already).
            leftovers = self.unrecorded_files.settle(session, owner, recorded=())
            if document.status == "pending":
                self._mark_void(session, document, reason)
        self.unrecorded_files.remove(owner, leftovers)

    def _mark_void(self, session: Session, document: Document, reason: str) -> None:
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
            subject=str(document.id),
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

    # -- reading -------------------------------------------------------------------------------

    def get(self, document_id: uuid.UUID, actor: Actor) -> DocumentView:
        return self.reader.get(document_id, actor)

    def search(self, actor: Actor, query: SearchFilter) -> list[DocumentView]:
        return self.reader.search(actor, query)

    def draft_of(self, document_id: uuid.UUID, actor: Actor) -> DocumentDraft:
        return self.reader.draft_of(document_id, actor)

    def stored_file(
        self, document_id: uuid.UUID, kind: str, actor: Actor
    ) -> tuple[DocumentView, FileView]:
        """A document's stored file (read it from ``production.store``), for those allowed to
        read the document."""
        view = self.get(document_id, actor)
        stored = next((f for f in view.files if f.kind == kind), None)
        if stored is None:
            if kind == "pdf" and view.status != "pending" and not self.production.pdf_available:
                raise NotFound(
                    f"PDF dokumen {view.number} tidak tersedia: "
                    f"{self.production.pdf_unavailable_reason}"
                )
            raise NotFound(f"Dokumen {view.number} tidak memiliki berkas {kind.upper()}")
        return view, stored

    # -- verifying -----------------------------------------------------------------------------

    def verify(self, token: str) -> Verification:
        return self.verifier.verify(token)

    def verify_file(self, data: bytes) -> FileMatch:
        return self.verifier.verify_file(data)

    def confirm_nip(self, token: str, candidate: str, *, client: str) -> str:
        return self.verifier.confirm_nip(token, candidate, client=client)


def _voided(reason: str, number: str) -> NumberVoided:
    return NumberVoided(voided_message(reason, number), number=number)
