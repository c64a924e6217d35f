"""Batch issuance: one activity, many recipients, consecutive numbers, files made by jobs.

The request is validated row by row before anything is written. Then one transaction takes a block
of consecutive numbers and records every document as ``pending`` together with the batch, so a crash
at any later point leaves nothing unaccounted for: the jobs that render the chunks are idempotent
(a document already issued is skipped) and :meth:`Batches.resume` re-queues whatever is left.
"""

from __future__ import annotations

import logging
import re
import tempfile
import time
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.adapters import pdf
from registry.adapters.db import audit, numbers
from registry.adapters.db.schema import Batch, Document, DocumentFile
from registry.adapters.jobs import FINALIZE_BATCH, JobHandlers, JobQueue
from registry.adapters.private_files import private_dir
from registry.domain.actors import Actor
from registry.domain.batch_rows import BatchRecipient, draft_for, validate_batch
from registry.domain.drafts import ActivityDraft, DocumentDraft, ValidDraft
from registry.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RegistryError
from registry.domain.views import DocumentRef, as_utc
from registry.settings import Settings
from registry.usecases.idempotency import Made
from registry.usecases.issuing import Registry
from registry.usecases.notifications import Notifications
from registry.usecases.unrecorded_files import batch_owner, sha256_of_file

log = logging.getLogger("satupintu")

CHUNK_SIZE = 10
MAX_BATCH = 5000
# A single document left pending this long was being produced by a process that died.
STALE_PENDING = timedelta(minutes=10)
MAX_ERROR = 1000
#: Batches a listing shows at most, newest first.
RECENT_LIMIT = 50
# Who reads batches: as the API's guards on the job routes (the operator at the CLI too).
_READERS = ("issuer", "auditor", "operator")
BATCH_STATUS_LABELS = {"rendering": "sedang diproses", "done": "selesai", "failed": "gagal"}


def job_threads(settings: Settings) -> int:
    """Two jobs per LibreOffice process: while one thread renders the next DOCX (Python, a few
    tens of milliseconds), the converter already works on the other thread's document."""
    return 2 * settings.converters


@dataclass(frozen=True)
class BatchView:
    id: uuid.UUID
    status: str  # rendering | done | failed
    type: str
    total: int
    issued: int
    void: int
    pending: int
    first_number: str
    last_number: str
    created_at: datetime
    finished_at: datetime | None
    merged_sha256: str | None
    zip_sha256: str | None
    error: str | None
    documents: tuple[DocumentRef, ...]


@dataclass(frozen=True)
class BatchListing:
    """One batch in a list of batches: what it is, how far it got, who started it and when."""

    id: uuid.UUID
    status: str
    type: str
    total: int
    issued: int
    void: int
    pending: int
    first_number: str
    last_number: str
    created_by: str
    created_at: datetime
    finished_at: datetime | None
    #: The activity every document of the batch shares.
    title: str


@dataclass(frozen=True)
class BatchDocument:
    """One document of a batch, in number order, with the name it was issued to."""

    id: uuid.UUID
    number: str
    holder_name: str
    status: str


@dataclass(frozen=True)
class BatchRequest:
    """One activity for many recipients, as an upload or a JSON body describes it."""

    type: str
    activity: ActivityDraft
    recipients: Sequence[BatchRecipient]
    unit_code: str | None = None
    series: str | None = None
    details: Mapping[str, Any] | None = None

    def draft(self, recipient: BatchRecipient) -> DocumentDraft:
        return draft_for(
            recipient,
            type=self.type,
            activity=self.activity,
            unit_code=self.unit_code,
            series=self.series,
            details=self.details,
        )


@dataclass(frozen=True)
class BatchOutcome:
    batch: BatchView
    replayed: bool


class Batches:
    def __init__(self, registry: Registry, queue: JobQueue | None = None) -> None:
        self.registry = registry
        self.queue = queue
        self.notifications = Notifications(registry)

    @property
    def handlers(self) -> JobHandlers:
        return JobHandlers(
            render_chunk=self.render_chunk, finalize_batch=self.finalize, gave_up=self.gave_up
        )

    # -- issuing -------------------------------------------------------------------------------

    def submit(
        self, request: BatchRequest, actor: Actor, idempotency_key: str | None = None
    ) -> BatchOutcome:
        """Check every row (one bad row refuses all, naming row and column), then issue."""
        valid = validate_batch(request.recipients, request.draft, self.registry.validate)
        drafts = [request.draft(recipient) for recipient in request.recipients]
        return self.issue(drafts, valid, actor, idempotency_key)

    def issue(
        self,
        drafts: Sequence[DocumentDraft],
        valid: Sequence[ValidDraft],
        actor: Actor,
        idempotency_key: str | None = None,
    ) -> BatchOutcome:
        if not valid:
            raise InvalidInput("Daftar penerima kosong", field="recipients")
        if len(valid) > MAX_BATCH:
            raise InvalidInput(
                f"Satu batch paling banyak {MAX_BATCH} penerima ({len(valid)} dikirim)",
                field="recipients",
            )
        series = {(v.series.id, v.unit_code) for v in valid}
        if len(series) != 1:
            raise InvalidInput("Semua dokumen dalam satu batch harus satu seri nomor", field="type")
        answered = self.registry.idempotency.run(
            actor,
            idempotency_key,
            "batch",
            [asdict(draft) for draft in drafts],
            lambda session, now: Made(batch_id=self._insert(session, valid, actor, now)),
            lambda _, made: _batch_of(made),
        )
        if not answered.replayed:
            self._schedule(answered.value)
        return BatchOutcome(self.view(answered.value), replayed=answered.replayed)

    def _insert(
        self, session: Session, valid: Sequence[ValidDraft], actor: Actor, now: datetime
    ) -> uuid.UUID:
        for kind, path in {(draft.type, draft.activity.path) for draft in valid}:
            self.registry.production.keep_template(kind, path)
        valid = self.registry.recorder.credit(session, list(valid))
        year = now.astimezone(self.registry.settings.zone).year
        last = numbers.allocate(session, valid[0].series.id, year, count=len(valid))
        first = last - len(valid) + 1
        batch_id = uuid.uuid4()
        # The batch row first: documents point at it.
        batch = Batch(
            id=batch_id,
            status="rendering",
            type=valid[0].type,
            total=len(valid),
            first_number="",
            last_number="",
            created_by=actor.label,
            created_at=now,
        )
        session.add(batch)
        session.flush()
        issued_numbers: list[str] = []
        for seq, draft in zip(range(first, last + 1), valid, strict=True):
            document = self.registry.record_pending(
                session, draft, actor, now, seq, batch_id=batch_id
            )
            issued_numbers.append(document.number)
        batch.first_number, batch.last_number = issued_numbers[0], issued_numbers[-1]
        audit.append(
            session,
            at=now,
            actor=actor.label,
            action="batch.issue",
            subject=str(batch_id),
            details={
                "count": len(issued_numbers),
                "first": batch.first_number,
                "last": batch.last_number,
            },
        )
        return batch_id

    def _schedule(self, batch_id: uuid.UUID) -> None:
        with self.registry.db.reading() as session:
            pending = list(
                session.execute(
                    select(Document.id)
                    .where(Document.batch_id == batch_id, Document.status == "pending")
                    .order_by(Document.seq)
                ).scalars()
            )
        if not pending:
            self._enqueue_finalize(batch_id)
            return
        for start in range(0, len(pending), CHUNK_SIZE):
            chunk = pending[start : start + CHUNK_SIZE]
            if self.queue is None:
                self.render_chunk(batch_id, chunk)
            else:
                self.queue.enqueue_chunk(batch_id, chunk)

    def _enqueue_finalize(self, batch_id: uuid.UUID) -> None:
        if self.queue is None:
            self.finalize(batch_id)
        else:
            self.queue.enqueue_finalize(batch_id)

    # -- jobs ----------------------------------------------------------------------------------

    def render_chunk(self, batch_id: uuid.UUID, document_ids: list[uuid.UUID]) -> None:
        for document_id in document_ids:
            try:
                self.registry.complete(document_id)
            except RegistryError as exc:
                # complete() has voided the document with the reason; the batch goes on.
                log.warning("batch %s: document %s void: %s", batch_id, document_id, exc.message)
        with self.registry.db.reading() as session:
            remaining = session.execute(
                select(func.count())
                .select_from(Document)
                .where(Document.batch_id == batch_id, Document.status == "pending")
            ).scalar_one()
        if remaining == 0:
            self._enqueue_finalize(batch_id)

    def finalize(self, batch_id: uuid.UUID) -> None:
        """Merge the batch's PDFs in number order for printing and pack a ZIP; mark it done."""
        registry = self.registry
        store = registry.production.store
        with registry.db.reading() as session:
            batch = session.get(Batch, batch_id)
            if batch is None or batch.status != "rendering":
                return
            rows = session.execute(
                select(
                    Document.number,
                    Document.holder_name,
                    DocumentFile.sha256,
                    DocumentFile.kind,
                    DocumentFile.size,
                )
                .join(DocumentFile, DocumentFile.document_id == Document.id)
                .where(
                    Document.batch_id == batch_id,
                    Document.status.in_(("issued", "revoked", "superseded")),
                    DocumentFile.signature.is_not(None),
                )
                .order_by(Document.seq)
            ).all()
            pending = session.execute(
                select(func.count())
                .select_from(Document)
                .where(Document.batch_id == batch_id, Document.status == "pending")
            ).scalar_one()
        if pending:
            return  # a chunk is still running; its end schedules this again
        merged_sha256 = zip_sha256 = None
        owner = batch_owner(batch_id)
        unrecorded = registry.unrecorded_files
        created: list[str] = []  # stored by this call: removed again if it records nothing
        private_dir(registry.settings.scratch_dir)
        with tempfile.TemporaryDirectory(dir=registry.settings.scratch_dir) as scratch:
            pdf_rows = [row for row in rows if row.kind == "pdf"]
            if pdf_rows:
                merged = Path(scratch) / "merged.pdf"
                with ExitStack() as opened:
                    # qpdf wants paths: the database store copies each PDF out for the merge.
                    pdfs = [opened.enter_context(store.local_path(r.sha256)) for r in pdf_rows]
                    pdf.merge_files(pdfs, merged)
                unrecorded.announce(owner, [sha256_of_file(merged)])
                stored = store.put_path(merged)
                merged_sha256 = stored.sha256
                created += [stored.sha256] if stored.created else []
            if rows:
                archive = Path(scratch) / "batch.zip"
                packed_at = time.localtime()[:6]
                with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zipped:
                    for row in rows:
                        entry = zipfile.ZipInfo(
                            f"{_file_stem(row.number, row.holder_name)}.{row.kind}", packed_at
                        )
                        entry.file_size = row.size
                        with zipped.open(entry, "w") as out:
                            for chunk in store.iter_chunks(row.sha256):
                                out.write(chunk)
                unrecorded.announce(owner, [sha256_of_file(archive)])
                stored = store.put_path(archive)
                zip_sha256 = stored.sha256
                created += [stored.sha256] if stored.created else []
        recorded = False
        try:
            recorded, leftovers = self._record_result(
                batch_id, len(rows), merged_sha256, zip_sha256
            )
            # An earlier finalize of this batch died after storing its files: they go now.
            unrecorded.remove(owner, leftovers)
            if recorded:
                self.notifications.batch_ended(batch_id)  # after the commit; never raises
        finally:
            if not recorded and created:
                # Another finalize recorded its files first, or this one failed to record; an
                # identical file that the other one recorded stays.
                with registry.db.reading() as session:
                    kept = {
                        sha
                        for row in session.execute(
                            select(Batch.merged_sha256, Batch.zip_sha256).where(
                                Batch.id == batch_id
                            )
                        ).all()
                        for sha in row
                    }
                for sha256 in set(created) - kept:
                    store.remove(sha256)

    def _record_result(
        self, batch_id: uuid.UUID, count: int, merged_sha256: str | None, zip_sha256: str | None
    ) -> tuple[bool, set[str]]:
        """Whether this call recorded the batch's result, and the files other finalizes of it
        stored and never recorded."""
        registry = self.registry
        owner = batch_owner(batch_id)
        with registry.db.writing() as session:
            batch = session.execute(
                select(Batch).where(Batch.id == batch_id).with_for_update()
            ).scalar_one()
            if batch.status != "rendering":
                return False, registry.unrecorded_files.settle(session, owner, recorded=())
            leftovers = registry.unrecorded_files.settle(
                session, owner, recorded={sha for sha in (merged_sha256, zip_sha256) if sha}
            )
            now = registry.now()
            batch.status = "done" if count else "failed"
            batch.error = None if count else "Tidak satu pun dokumen berhasil dibuat"
            batch.finished_at = now
            batch.merged_sha256 = merged_sha256
            batch.zip_sha256 = zip_sha256
            audit.append(
                session,
                at=now,
                actor="system",
                action="batch.done",
                subject=str(batch_id),
                details={"documents": count, "merged": merged_sha256, "zip": zip_sha256},
            )
            return True, leftovers

    # -- failing and retrying -------------------------------------------------------------------

    def gave_up(self, batch_id: uuid.UUID, task: str, error: BaseException) -> None:
        """The job queue will not run this batch's job again: the batch ends ``failed``."""
        step = (
            "PDF gabungan dan arsip ZIP tidak dapat dibuat"
            if task == FINALIZE_BATCH
            else "Sebagian dokumen batch tidak dapat dibuat"
        )
        self.fail(batch_id, f"{step} ({_describe(error)})")

    def fail(self, batch_id: uuid.UUID, reason: str) -> bool:
        """Mark an unfinished batch ``failed`` with the reason; False if it had already ended."""
        with self.registry.db.writing() as session:
            batch = session.execute(
                select(Batch).where(Batch.id == batch_id).with_for_update()
            ).scalar()
            if batch is None or batch.status != "rendering":
                return False
            now = self.registry.now()
            batch.status = "failed"
            batch.error = reason[:MAX_ERROR]
            batch.finished_at = now
            audit.append(
                session,
                at=now,
                actor="system",
                action="batch.failed",
                subject=str(batch_id),
                details={"reason": batch.error},
            )
        log.error("batch %s failed: %s", batch_id, reason)
        self.notifications.batch_ended(batch_id)
        return True

    def retry(self, batch_id: uuid.UUID, actor: Actor) -> BatchView:
        """Run a failed batch's unfinished steps again: its pending documents, then the finalize.

        Documents already issued or void keep their numbers and files; nothing is numbered anew.
        """
        if actor.role not in ("issuer", "operator"):  # an API issuer, or the operator at the CLI
            raise PermissionDenied("Hanya penerbit yang dapat mengulang batch")
        with self.registry.db.writing() as session:
            batch = session.execute(
                select(Batch).where(Batch.id == batch_id).with_for_update()
            ).scalar()
            if batch is None:
                raise NotFound("Batch tidak ditemukan")
            if batch.status != "failed":
                raise Conflict(
                    f"Batch berstatus {BATCH_STATUS_LABELS.get(batch.status, batch.status)}; "
                    "hanya batch yang gagal dapat diulang",
                    batch_status=batch.status,
                )
            now = self.registry.now()
            audit.append(
                session,
                at=now,
                actor=actor.label,
                action="batch.retry",
                subject=str(batch_id),
                details={"previous_error": batch.error},
            )
            batch.status = "rendering"
            batch.error = None
            batch.finished_at = None
        log.info("retrying batch %s", batch_id)
        self._schedule(batch_id)
        return self.view(batch_id)

    def resume(self, *, older_than: timedelta = timedelta(0)) -> int:
        """Re-queue unfinished work after a restart; returns how many batches were picked up.

        With the in-process queue every unfinished batch is an orphan. On PostgreSQL the queue
        keeps jobs across crashes, so only batches older than ``older_than`` are re-queued (jobs
        are idempotent; this covers a crash between committing a batch and queueing its jobs).
        Pending documents outside batches that are older than ``STALE_PENDING`` are completed too
        (their request died with its process).
        """
        with self.registry.db.reading() as session:
            batch_ids = list(
                session.execute(
                    select(Batch.id).where(
                        Batch.status == "rendering",
                        Batch.created_at < self.registry.now() - older_than,
                    )
                ).scalars()
            )
        for batch_id in batch_ids:
            log.info("resuming batch %s", batch_id)
            self._schedule(batch_id)
        self.finish_abandoned()
        return len(batch_ids)

    def finish_abandoned(self) -> int:
        """Complete pending documents outside batches older than ``STALE_PENDING``: their request
        died with its process, or the database went away between its two transactions. Safe
        beside other processes doing the same (``complete`` keeps whichever commits first).
        Then files stored long ago for records never committed are swept (``unrecorded_files``).
        """
        with self.registry.db.reading() as session:
            stale = list(
                session.execute(
                    select(Document.id).where(
                        Document.status == "pending",
                        Document.batch_id.is_(None),
                        Document.issued_at < self.registry.now() - STALE_PENDING,
                    )
                ).scalars()
            )
        for document_id in stale:
            try:
                self.registry.complete(document_id)
            except RegistryError as exc:
                log.warning("stale document %s void: %s", document_id, exc.message)
        self.registry.unrecorded_files.sweep()
        return len(stale)

    # -- reading -------------------------------------------------------------------------------

    def get(self, batch_id: uuid.UUID, actor: Actor) -> BatchView:
        _require_reader(actor)
        return self.view(batch_id)

    def recent(self, actor: Actor, limit: int = RECENT_LIMIT) -> tuple[BatchListing, ...]:
        """The latest batches, newest first, with their progress counts."""
        _require_reader(actor)
        with self.registry.db.reading() as session:
            return _listings(
                session,
                list(
                    session.execute(
                        select(Batch).order_by(Batch.created_at.desc(), Batch.id).limit(limit)
                    ).scalars()
                ),
            )

    def listing(self, batch_id: uuid.UUID, actor: Actor) -> BatchListing:
        """One batch as a list of batches shows it: its activity, who started it, its counts."""
        _require_reader(actor)
        with self.registry.db.reading() as session:
            batch = session.get(Batch, batch_id)
            if batch is None:
                raise NotFound("Batch tidak ditemukan")
            return _listings(session, [batch])[0]

    def documents(self, batch_id: uuid.UUID, actor: Actor) -> tuple[BatchDocument, ...]:
        """A batch's documents in number order, each with its holder's name and status."""
        _require_reader(actor)
        with self.registry.db.reading() as session:
            if session.get(Batch, batch_id) is None:
                raise NotFound("Batch tidak ditemukan")
            return tuple(
                BatchDocument(
                    id=row.id, number=row.number, holder_name=row.holder_name, status=row.status
                )
                for row in session.execute(
                    select(Document.id, Document.number, Document.holder_name, Document.status)
                    .where(Document.batch_id == batch_id)
                    .order_by(Document.seq)
                ).all()
            )

    def view(self, batch_id: uuid.UUID) -> BatchView:
        with self.registry.db.reading() as session:
            return self._view(session, batch_id)

    def _view(self, session: Session, batch_id: uuid.UUID) -> BatchView:
        batch = session.get(Batch, batch_id)
        if batch is None:
            raise NotFound("Batch tidak ditemukan")
        counts = {"issued": 0, "void": 0, "pending": 0}
        for status, count in session.execute(
            select(Document.status, func.count())
            .where(Document.batch_id == batch_id)
            .group_by(Document.status)
        ).all():
            counts[status if status in counts else "issued"] += count
        documents: tuple[DocumentRef, ...] = ()
        if batch.status != "rendering":
            # The list is the result; while rendering, progress polls need only the counts.
            documents = tuple(
                DocumentRef(id=row.id, number=row.number)
                for row in session.execute(
                    select(Document.id, Document.number)
                    .where(Document.batch_id == batch_id)
                    .order_by(Document.seq)
                ).all()
            )
        return BatchView(
            id=batch.id,
            status=batch.status,
            type=batch.type,
            total=batch.total,
            issued=counts["issued"],
            void=counts["void"],
            pending=counts["pending"],
            first_number=batch.first_number,
            last_number=batch.last_number,
            created_at=as_utc(batch.created_at),
            finished_at=as_utc(batch.finished_at) if batch.finished_at else None,
            merged_sha256=batch.merged_sha256,
            zip_sha256=batch.zip_sha256,
            error=batch.error,
            documents=documents,
        )


def _listings(session: Session, batches: Sequence[Batch]) -> tuple[BatchListing, ...]:
    counts: dict[uuid.UUID, dict[str, int]] = {
        batch.id: {"issued": 0, "void": 0, "pending": 0} for batch in batches
    }
    titles: dict[uuid.UUID, str] = {}
    if batches:
        for batch_id, status, count, title in session.execute(
            select(Document.batch_id, Document.status, func.count(), func.min(Document.title))
            .where(Document.batch_id.in_(counts))
            .group_by(Document.batch_id, Document.status)
        ).all():
            if batch_id is None:  # not selected; the column is nullable for mypy
                continue
            # Revoked or superseded later: issued by the batch all the same.
            key = status if status in ("void", "pending") else "issued"
            counts[batch_id][key] += count
            titles[batch_id] = title
    return tuple(
        BatchListing(
            id=batch.id,
            status=batch.status,
            type=batch.type,
            total=batch.total,
            issued=counts[batch.id]["issued"],
            void=counts[batch.id]["void"],
            pending=counts[batch.id]["pending"],
            first_number=batch.first_number,
            last_number=batch.last_number,
            created_by=batch.created_by,
            created_at=as_utc(batch.created_at),
            finished_at=as_utc(batch.finished_at) if batch.finished_at else None,
            title=titles.get(batch.id, ""),
        )
        for batch in batches
    )


def _require_reader(actor: Actor) -> None:
    if actor.role not in _READERS:
        raise PermissionDenied("Batch hanya dapat dilihat penerbit dan auditor")


def _batch_of(made: Made) -> uuid.UUID:
    if made.batch_id is None:
        raise RuntimeError("the idempotency key of a batch names no batch")
    return made.batch_id


def _describe(error: BaseException) -> str:
    if isinstance(error, RegistryError):
        return error.message
    return f"{type(error).__name__}: {error}"


def _file_stem(number: str, holder_name: str) -> str:
    """A file name that keeps the number's order and reads well on Windows too."""
    raw = f"{number}_{holder_name}"
    return re.sub(r"[^0-9A-Za-z._-]+", "_", raw).strip("_")[:120]
